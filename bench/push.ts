import { addAccount, mail, OWNER, startSyncWorld, TEXTS } from "../test/sync/harness.ts";
import type { Figures } from "./index.ts";

const INVITATIONS = 200;

/**
 * Push-to-draft latency through the real path: the emulator delivers an invitation and POSTs the
 * Pub/Sub push to the push routes over HTTP; the in-process queue runs the worker against
 * dynalite and the emulator; the clock stops when drafts.create has returned (the draft is then
 * visible in the emulator). One invitation at a time, the world settled in between, so each
 * figure is one push's own latency. Also counts Google API calls per processed message.
 */
export async function benchPush(log: (line: string) => void): Promise<Figures> {
  const world = await startSyncWorld();
  try {
    await addAccount(world, { accountId: "bench" });
    const latencies: number[] = [];
    // The first Gmail push of each delivery, and the first draft it led to.
    const marks: { received: number | null; drafted: number | null } = {
      received: null,
      drafted: null,
    };
    world.hooks.onReceived = (kind) => {
      if (kind === "gmail" && marks.received === null) marks.received = performance.now();
    };
    world.hooks.afterStep = (step) => {
      if (step === "drafted" && marks.drafted === null) marks.drafted = performance.now();
    };
    const callsBefore = world.emulator.calls.length;
    for (let i = 0; i < INVITATIONS; i++) {
      marks.received = null;
      marks.drafted = null;
      await world.emulator.deliverMessage(
        OWNER,
        mail({
          ...TEXTS.poker,
          subject: `Poker night ${i}`,
          messageId: `bench-${i}@harbourbank.example`,
        }),
      );
      await world.settle();
      const { received, drafted } = marks;
      if (received === null || drafted === null) throw new Error(`invitation ${i} was not drafted`);
      latencies.push(drafted - received);
    }
    const calls = world.emulator.calls.slice(callsBefore);
    const drafts = world.emulator.state(OWNER).drafts.length;
    const byMethod = new Map<string, number>();
    for (const call of calls) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
    const per = (method: string) => round((byMethod.get(method) ?? 0) / INVITATIONS, 2);

    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    log(`${INVITATIONS} invitations, ${drafts} drafts created`);
    log(`push → draft: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal p95 < 1000 ms)`);
    log(
      `Google calls per message: ${(calls.length / INVITATIONS).toFixed(2)} (${[...byMethod]
        .map(([method, count]) => `${method.replace(/^gmail\.users\./, "")} ${count}`)
        .join(", ")})`,
    );
    log(`messages.get per message: ${per("gmail.users.messages.get")} (goal exactly 1)`);
    return {
      push_invitations: INVITATIONS,
      push_drafts_created: drafts,
      push_to_draft_p50_ms: round(p50, 1),
      push_to_draft_p95_ms: round(p95, 1),
      push_to_draft_max_ms: round(latencies.at(-1) ?? 0, 1),
      push_google_calls_per_message: round(calls.length / INVITATIONS, 2),
      push_messages_get_per_message: per("gmail.users.messages.get"),
      push_history_list_per_message: per("gmail.users.history.list"),
      push_drafts_create_per_message: per("gmail.users.drafts.create"),
      push_messages_modify_per_message: per("gmail.users.messages.modify"),
    };
  } finally {
    await world.close();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
