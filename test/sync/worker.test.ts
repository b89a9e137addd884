import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "../../functions/sync/worker.ts";
import { addAccount, mail, OWNER, type SyncWorld, startSyncWorld, TEXTS } from "./harness.ts";

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld();
  await addAccount(world, { accountId: "acct-w" });
  // The test drives the worker itself.
  world.emulator.setPushEndpoint(null);
});
afterAll(async () => {
  await world?.close();
});

describe("runJob", () => {
  it("defers a push that arrives mid-sync to the running sync, which then fetches its mail", async () => {
    const first = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, messageId: "w1@harbourbank.example" }),
    );
    let second: Awaited<ReturnType<typeof world.emulator.deliverMessage>> | undefined;
    let deferred: unknown;
    world.hooks.afterStep = async (step, detail) => {
      if (step !== "fetched" || second || detail.source !== `gmail:${first.id}`) return;
      second = await world.emulator.deliverMessage(
        OWNER,
        mail({ ...TEXTS.home, messageId: "w2@harbourbank.example" }),
      );
      deferred = await runJob(
        { type: "gmail-sync", accountId: "acct-w", reason: "push", historyId: second.historyId },
        world.services.deps,
      );
    };
    try {
      const outcome = await runJob(
        { type: "gmail-sync", accountId: "acct-w", reason: "push", historyId: first.historyId },
        world.services.deps,
      );
      expect(deferred).toEqual({ status: "deferred" });
      expect(outcome).toMatchObject({
        status: "done",
        results: [
          { type: "gmail-sync", status: "synced", listed: 1 },
          { type: "gmail-sync", status: "synced", listed: 1 },
        ],
      });
    } finally {
      world.hooks.afterStep = null;
    }
    const threads = world.emulator.state(OWNER).drafts.map((d) => d.message.threadId);
    expect(threads).toContain(first.threadId);
    expect(threads).toContain(second?.threadId);
  });

  it("skips a push its cursor already covers with a single read", async () => {
    const account = await world.services.accounts.getAccount("acct-w");
    const calls = world.emulator.calls.length;
    const outcome = await runJob(
      {
        type: "gmail-sync",
        accountId: "acct-w",
        reason: "push",
        historyId: account?.gmail.historyId ?? "1",
      },
      world.services.deps,
    );
    expect(outcome).toEqual({ status: "skipped", reason: "up_to_date" });
    expect(world.emulator.calls).toHaveLength(calls);
  });

  it("skips a job for an account that does not exist", async () => {
    expect(
      await runJob(
        { type: "calendar-sync", accountId: "ghost", reason: "periodic" },
        world.services.deps,
      ),
    ).toEqual({ status: "skipped", reason: "no_account" });
  });
});
