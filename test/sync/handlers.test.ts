import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerHandler } from "../../functions/handlers/worker.ts";
import type { Job } from "../../functions/schemas/jobs.ts";
import { enqueuePeriodicSyncs } from "../../functions/sync/periodic.ts";
import {
  addAccount,
  ledgerRecords,
  mail,
  OWNER,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld();
});
afterAll(async () => {
  await world?.close();
});

const record = (messageId: string, body: unknown) => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof body === "string" ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: "1" },
  eventSource: "aws:sqs",
});

describe("the SQS worker handler", () => {
  it("runs each record's job and reports only the failed ones for redelivery", async () => {
    const { ledger } = await addAccount(world, { accountId: "acct-h" });
    // Deliver without a push: the SQS records below are the only way the work arrives.
    world.emulator.setPushEndpoint(null);
    await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, messageId: "h1@harbourbank.example" }),
    );
    const logged: Array<Record<string, unknown>> = [];
    const handler = createWorkerHandler(
      async () => world.services.deps,
      (e) => logged.push(e),
    );
    const job: Job = { type: "gmail-sync", accountId: "acct-h", reason: "periodic" };
    const response = await handler({
      Records: [
        record("ok", job),
        record("unreadable", "{not json"),
        record("unknown-account", { ...job, accountId: "nobody" }),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "unreadable" }] });
    expect(await ledgerRecords(ledger)).toHaveLength(1);
    expect(world.emulator.state(OWNER).drafts).toHaveLength(1);
    expect(logged.find((e) => e.messageId === "unknown-account")).toMatchObject({
      outcome: { status: "skipped", reason: "no_account" },
    });
  });

  it("reports a job whose sync crashed, so SQS delivers it again", async () => {
    await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.home, messageId: "h2@harbourbank.example" }),
    );
    world.hooks.afterStep = (step) => {
      if (step === "fetched") throw new Error("crash");
    };
    const handler = createWorkerHandler(
      async () => world.services.deps,
      () => {},
    );
    const job: Job = { type: "gmail-sync", accountId: "acct-h", reason: "periodic" };
    try {
      expect(await handler({ Records: [record("crashing", job)] })).toEqual({
        batchItemFailures: [{ itemIdentifier: "crashing" }],
      });
    } finally {
      world.hooks.afterStep = null;
    }
    expect(await handler({ Records: [record("again", job)] })).toEqual({ batchItemFailures: [] });
  });

  it("rejects an event that is not SQS", async () => {
    const handler = createWorkerHandler(
      async () => world.services.deps,
      () => {},
    );
    await expect(handler({ detail: {} })).rejects.toThrow(/SQS/);
  });
});

describe("the periodic sync", () => {
  it("queues a Gmail and a Calendar sync for each connected, unpaused account", async () => {
    await world.services.accounts.createAccount({
      accountId: "acct-never-connected",
      email: "x@y.example",
    });
    const jobs: Job[] = [];
    const result = await enqueuePeriodicSyncs(world.services.accounts, {
      enqueue: async (job) => {
        jobs.push(job);
      },
    });
    expect(result).toEqual({ accounts: 1, jobs: 2 });
    expect(jobs).toEqual([
      { type: "gmail-sync", accountId: "acct-h", reason: "periodic" },
      { type: "calendar-sync", accountId: "acct-h", reason: "periodic" },
    ]);
  });
});
