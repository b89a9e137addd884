import type { DraftState, LedgerRecord } from "../core/ledger.ts";
import type { ParsedMessage } from "../core/model.ts";
import { triageMessage } from "../core/triage.ts";
import type { AccountContext } from "./context.ts";
import { ensureDraft, recomposeDraft } from "./drafts.ts";
import { labelMessage } from "./labels.ts";

/**
 * One message or Calendar event through the core: triage (which records the decision once per
 * invitation key), then the reply draft, then (for a Gmail message) the label. Every step is safe
 * to repeat, so a retry of the whole sync after a crash anywhere converges on one record, one
 * draft and one label.
 */
export async function triageAndDraft(ctx: AccountContext, message: ParsedMessage): Promise<void> {
  const { settings, ledger } = ctx;
  const result = await triageMessage(message, {
    settings,
    ledger,
    now: ctx.now(),
    ...(ctx.rulebook ? { rulebook: ctx.rulebook } : {}),
  });
  await ctx.step("recorded", message.source);
  const base = { category: result.category, action: result.action, key: result.key };
  if (result.recorded === "not_recorded" || result.key === null) {
    ctx.processed({
      source: message.source,
      outcome: { kind: "triaged", ...base, recorded: result.recorded, draft: "none" },
    });
    return;
  }

  const key = result.key;
  let record: LedgerRecord | null = null;
  let state: DraftState;
  if (result.recorded === "new") {
    state = result.draft && !settings.dryRun ? { state: "decided" } : { state: "none" };
  } else {
    // Seen before (a retry, a duplicate push, or the other copy of this invitation).
    record = (await ledger.lookup(key, null)).existing;
    state = record?.draft ?? { state: "none" };
  }

  const draft = await ensureDraft({
    ledger,
    gmail: ctx.google.gmail,
    key,
    state,
    threadId: message.gmail?.threadId ?? null,
    dryRun: settings.dryRun,
    now: ctx.now,
    step: (step) => ctx.step(step, message.source),
    compose: async () => {
      if (result.draft) return result.draft;
      if (!record) return null;
      return recomposeDraft({ record, message, settings, ledger, now: ctx.now() });
    },
  });

  if (message.gmail && !settings.dryRun) {
    await labelMessage(ctx.google.gmail, ctx.labels, message.gmail.id, result.action);
    await ctx.step("labelled", message.source);
  }
  ctx.processed({
    source: message.source,
    outcome: { kind: "triaged", ...base, recorded: result.recorded, draft: draft.status },
  });
}
