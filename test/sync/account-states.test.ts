import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addAccount,
  labelNames,
  ledgerRecords,
  mail,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

const USERS = {
  dry: "dry@morganadvisory.example",
  paused: "paused@morganadvisory.example",
  revoked: "revoked@morganadvisory.example",
  storm: "storm@morganadvisory.example",
};

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld({ users: Object.values(USERS) });
});
afterAll(async () => {
  await world?.close();
});

let sequence = 0;
const uniqueId = () => `s${++sequence}.${Date.now()}@harbourbank.example`;
const callsFor = (email: string) => world.emulator.calls.filter((c) => c.user === email);

describe("account settings and states", () => {
  it("records decisions in dry-run without drafting or labelling", async () => {
    const { ledger } = await addAccount(world, {
      accountId: "acct-dry",
      email: USERS.dry,
      settings: { owner: { name: "Alex Morgan" }, dryRun: true },
    });
    const delivered = await world.emulator.deliverMessage(
      USERS.dry,
      mail({ ...TEXTS.poker, to: USERS.dry, messageId: uniqueId() }),
    );
    await world.settle();
    const records = await ledgerRecords(ledger);
    expect(records).toHaveLength(1);
    expect(records[0]?.action).toBe("decline_firmly");
    expect(records[0]?.draft).toEqual({ state: "none" });
    expect(world.emulator.state(USERS.dry).drafts).toEqual([]);
    expect(labelNames(world, USERS.dry, delivered.id).some((n) => n.startsWith("Decorum"))).toBe(
      false,
    );
  });

  it("does nothing at all for a paused account", async () => {
    const { ledger } = await addAccount(world, { accountId: "acct-paused", email: USERS.paused });
    await world.services.accounts.putSettings("acct-paused", {
      owner: { name: "Alex Morgan" },
      paused: true,
    });
    const calls = callsFor(USERS.paused).length;
    await world.emulator.deliverMessage(
      USERS.paused,
      mail({ ...TEXTS.poker, to: USERS.paused, messageId: uniqueId() }),
    );
    await world.settle();
    expect(callsFor(USERS.paused)).toHaveLength(calls);
    expect(await ledgerRecords(ledger)).toEqual([]);
    expect(world.outcomes.at(-1)).toMatchObject({
      job: { accountId: "acct-paused" },
      outcome: { status: "skipped", reason: "paused" },
    });
  });

  it("marks an account whose grant was revoked disconnected, once, without retrying", async () => {
    await addAccount(world, { accountId: "acct-revoked", email: USERS.revoked });
    world.emulator.revokeRefreshTokens(USERS.revoked);
    const failures = world.failures.length;
    await world.emulator.deliverMessage(
      USERS.revoked,
      mail({ ...TEXTS.poker, to: USERS.revoked, messageId: uniqueId() }),
    );
    await world.settle();
    const account = await world.services.accounts.getAccount("acct-revoked");
    expect(account?.connection.state).toBe("disconnected");
    expect(account?.hasRefreshToken).toBe(false);
    expect(world.failures).toHaveLength(failures);
    expect(world.queue.deadLetters).toEqual([]);

    // Later pushes cost no Google call at all.
    const calls = world.emulator.calls.length;
    await world.emulator.deliverMessage(
      USERS.revoked,
      mail({ ...TEXTS.home, to: USERS.revoked, messageId: uniqueId() }),
    );
    await world.settle();
    expect(world.emulator.calls).toHaveLength(calls);
    expect(world.outcomes.at(-1)?.outcome).toEqual({ status: "skipped", reason: "disconnected" });
  });

  it("absorbs a storm of 429s: every invitation drafted once, nothing dead-lettered", async () => {
    const { ledger } = await addAccount(world, { accountId: "acct-storm", email: USERS.storm });
    world.emulator.faults.add({ method: "gmail.*", user: USERS.storm, status: 429, times: 40 });
    const threads: string[] = [];
    for (let i = 0; i < 10; i++) {
      const delivered = await world.emulator.deliverMessage(
        USERS.storm,
        mail({
          ...TEXTS.poker,
          subject: `Poker night ${i}`,
          to: USERS.storm,
          messageId: uniqueId(),
        }),
      );
      threads.push(delivered.threadId);
    }
    await world.settle();
    world.emulator.faults.clear();
    const refused = callsFor(USERS.storm).filter((c) => c.status === 429);
    expect(refused).toHaveLength(40);
    const drafts = world.emulator.state(USERS.storm).drafts;
    expect(drafts).toHaveLength(10);
    for (const thread of threads) {
      expect(drafts.filter((d) => d.message.threadId === thread)).toHaveLength(1);
    }
    expect(await ledgerRecords(ledger)).toHaveLength(10);
    expect(world.queue.deadLetters).toEqual([]);
  });
});
