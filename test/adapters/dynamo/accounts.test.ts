import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../../functions/adapters/dynamo/ledger.ts";
import { keys } from "../../../functions/adapters/dynamo/table.ts";
import { DEFAULT_SETTINGS } from "../../../functions/schemas/settings.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";
import { invitation, manualClock } from "./records.ts";

let dynamo: TestDynamo;
const cipher = TokenCipher.fromBase64(generateTokenKey());
const NOW = "2025-03-10T09:00:00.000Z";

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

function openStore(tableName = dynamo.tableName) {
  const clock = manualClock(NOW);
  return {
    store: new AccountStore({ client: dynamo.client, tableName, cipher, now: clock.now }),
    clock,
  };
}

async function newAccount(store: AccountStore, settings?: unknown) {
  const accountId = `acct-${randomUUID()}`;
  await store.createAccount({ accountId, email: "Owner@Firm.example", settings });
  return accountId;
}

describe("AccountStore accounts and settings", () => {
  it("creates an account once, with default settings and no connection yet", async () => {
    const { store } = openStore();
    const accountId = `acct-${randomUUID()}`;

    const first = await store.createAccount({ accountId, email: "Owner@Firm.example" });
    const second = await store.createAccount({ accountId, email: "someone@else.example" });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.account).toEqual(first.account);
    expect(first.account).toMatchObject({
      accountId,
      email: "owner@firm.example",
      settings: DEFAULT_SETTINGS,
      connection: { state: "disconnected", at: NOW },
      gmail: { historyId: null, watchExpiration: null },
      calendar: { syncToken: null, syncVersion: 0, channel: null },
      hasRefreshToken: false,
    });
  });

  it("stores settings through the settings schema, defaults filled in", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);

    const saved = await store.putSettings(accountId, {
      owner: { name: "Sam Lee" },
      frequency: { threshold: 4 },
      retentionDays: 120,
    });

    expect(saved.owner.name).toBe("Sam Lee");
    expect(saved.frequency).toEqual({ threshold: 4, windowDays: 14 });
    expect((await store.getAccount(accountId))?.settings).toEqual(saved);
  });

  it.each([
    [{ frequency: { threshold: 1 } }, /frequency.threshold/],
    [{ timeZone: "Mars/Olympus" }, /timeZone/],
    [{ retentionDays: 5 }, /retentionDays/],
  ])("rejects invalid settings %j and keeps the old ones", async (input, message) => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    await expect(store.putSettings(accountId, input)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(message),
    });
    expect((await store.getAccount(accountId))?.settings).toEqual(DEFAULT_SETTINGS);
  });

  it("answers not_found for updates of an account that does not exist", async () => {
    const { store } = openStore();
    await expect(store.putSettings("nobody", {})).rejects.toMatchObject({ kind: "not_found" });
    await expect(store.advanceHistoryId("nobody", "5")).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(
      store.setCalendarSyncToken("nobody", { syncToken: "t", expectedVersion: 0 }),
    ).rejects.toMatchObject({ kind: "not_found" });
    expect(await store.getAccount("nobody")).toBeNull();
    // A failed update must not leave a stub item behind.
    const stub = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.account("nobody") }),
    );
    expect(stub.Item).toBeUndefined();
  });

  it("lists every account a page at a time, by Query", async () => {
    const { store } = openStore(await dynamo.newTable());
    const ids = await Promise.all(Array.from({ length: 7 }, () => newAccount(store)));

    const listed: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.listAccounts({ limit: 3, ...(cursor ? { cursor } : {}) });
      listed.push(...page.items.map((account) => account.accountId));
      if (!page.cursor) break;
      cursor = page.cursor;
    }

    expect(listed).toEqual([...ids].sort());
  });

  it("records watch and channel expiries and the connection state", async () => {
    const { store, clock } = openStore();
    const accountId = await newAccount(store);

    await store.setGmailWatch(accountId, { expiration: new Date("2025-03-17T09:00:00.000Z") });
    await store.setCalendarChannel(accountId, {
      id: "chan-1",
      resourceId: "res-1",
      expiration: new Date("2025-04-09T09:00:00.000Z"),
    });
    clock.set("2025-03-11T00:00:00.000Z");
    await store.setConnection(accountId, { state: "disconnected", reason: "invalid_grant" });

    expect(await store.getAccount(accountId)).toMatchObject({
      gmail: { watchExpiration: "2025-03-17T09:00:00.000Z" },
      calendar: {
        channel: { id: "chan-1", resourceId: "res-1", expiration: "2025-04-09T09:00:00.000Z" },
      },
      connection: {
        state: "disconnected",
        reason: "invalid_grant",
        at: "2025-03-11T00:00:00.000Z",
      },
      updatedAt: "2025-03-11T00:00:00.000Z",
    });

    await store.setCalendarChannel(accountId, null);
    expect((await store.getAccount(accountId))?.calendar.channel).toBeNull();
  });
});

describe("AccountStore refresh tokens", () => {
  it("round-trips an encrypted token; the stored item holds no plaintext", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    const token = `1//refresh-${randomUUID()}`;

    await store.setRefreshToken(accountId, token);

    expect(await store.getRefreshToken(accountId)).toBe(token);
    const raw = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.account(accountId) }),
    );
    expect(JSON.stringify(raw.Item)).not.toContain(token);
    expect(raw.Item?.refreshToken).toMatch(/^v1\./);
    expect(await store.getAccount(accountId)).toMatchObject({
      hasRefreshToken: true,
      connection: { state: "connected" },
    });
  });

  it("cannot open a token copied onto another account's item", async () => {
    const { store } = openStore();
    const alice = await newAccount(store);
    const mallory = await newAccount(store);
    await store.setRefreshToken(alice, "alice-secret-token");
    const raw = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.account(alice) }),
    );
    const malloryItem = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.account(mallory) }),
    );
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tableName,
        Item: { ...malloryItem.Item, refreshToken: raw.Item?.refreshToken },
      }),
    );

    await expect(store.getRefreshToken(mallory)).rejects.toMatchObject({ kind: "corrupt" });
  });

  it("forgets the token when asked on disconnect", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    await store.setRefreshToken(accountId, "token");

    await store.setConnection(accountId, { state: "disconnected", reason: "owner disconnected" });
    expect(await store.getRefreshToken(accountId)).toBe("token");

    await store.setConnection(accountId, {
      state: "disconnected",
      reason: "invalid_grant",
      forgetToken: true,
    });
    expect(await store.getRefreshToken(accountId)).toBeNull();
    expect((await store.getAccount(accountId))?.hasRefreshToken).toBe(false);
  });
});

describe("AccountStore cursors", () => {
  it("never moves the Gmail historyId backwards under 60 concurrent updates", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    // Beyond 2^53 and of mixed lengths, so a numeric or naive string compare would go wrong.
    const ids = Array.from({ length: 60 }, () =>
      (
        BigInt(Math.floor(Math.random() * 1e12)) *
        10n ** BigInt(Math.floor(Math.random() * 8))
      ).toString(),
    );
    const highest = ids.reduce((max, id) => (BigInt(id) > BigInt(max) ? id : max));

    await Promise.all(ids.map((id) => openStore().store.advanceHistoryId(accountId, id)));

    expect((await store.getAccount(accountId))?.gmail.historyId).toBe(highest);
  });

  it.each([
    ["a higher id", "1000", "1001", true, "1001"],
    ["a lower id", "1000", "999", false, "1000"],
    ["the same id", "1000", "1000", false, "1000"],
    ["a longer id", "99999999999999999", "100000000000000000", true, "100000000000000000"],
  ])("given %s, advanceHistoryId moves: %s", async (_, start, next, moved, final) => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    await store.advanceHistoryId(accountId, start);
    expect(await store.advanceHistoryId(accountId, next)).toBe(moved);
    expect((await store.getAccount(accountId))?.gmail.historyId).toBe(final);
  });

  it.each(["", "12a", "-5", "1".repeat(21)])("rejects the historyId %j", async (historyId) => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    await expect(store.advanceHistoryId(accountId, historyId)).rejects.toMatchObject({
      kind: "invalid",
    });
  });

  it("lets exactly one of many concurrent syncs set the Calendar syncToken per version", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);

    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        openStore().store.setCalendarSyncToken(accountId, {
          syncToken: `token-${index}`,
          expectedVersion: 0,
        }),
      ),
    );

    const winners = results.filter((result) => result.updated);
    expect(winners).toHaveLength(1);
    for (const result of results) expect(result.version).toBe(1);
    const index = results.findIndex((result) => result.updated);
    expect((await store.getAccount(accountId))?.calendar).toMatchObject({
      syncToken: `token-${index}`,
      syncVersion: 1,
    });
  });

  it("loses no update when concurrent syncs retry on a lost compare-and-set", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    const workers = 12;

    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        const own = openStore().store;
        for (;;) {
          const current = await own.getAccount(accountId);
          const version = current?.calendar.syncVersion ?? 0;
          const result = await own.setCalendarSyncToken(accountId, {
            syncToken: `worker-${worker}`,
            expectedVersion: version,
          });
          if (result.updated) return;
        }
      }),
    );

    expect((await store.getAccount(accountId))?.calendar.syncVersion).toBe(workers);
  });

  it("accepts a null syncToken (after a 410) as a versioned write", async () => {
    const { store } = openStore();
    const accountId = await newAccount(store);
    await store.setCalendarSyncToken(accountId, { syncToken: "t1", expectedVersion: 0 });
    expect(
      await store.setCalendarSyncToken(accountId, { syncToken: null, expectedVersion: 1 }),
    ).toEqual({
      updated: true,
      version: 2,
    });
    expect((await store.getAccount(accountId))?.calendar.syncToken).toBeNull();
  });
});

describe("AccountStore.deleteAccount", () => {
  it("removes every item of the account and nothing of another's", async () => {
    const tableName = await dynamo.newTable();
    const { store } = openStore(tableName);
    const doomed = await newAccount(store);
    const kept = await newAccount(store);
    await store.setRefreshToken(doomed, "doomed-token");
    await store.advanceHistoryId(doomed, "42");
    for (const accountId of [doomed, kept]) {
      const ledger = new DynamoLedger({
        client: dynamo.client,
        tableName,
        accountId,
        now: () => new Date(NOW),
      });
      // 60 invitations from 3 clients: more than one BatchWriteItem's worth.
      for (let index = 0; index < 60; index++) {
        await ledger.record(
          invitation({ key: `uid-${index}`, client: `client${index % 3}.example` }),
        );
      }
      await ledger.noteCorrespondence("solo@gmail.com", new Date("2024-01-01T00:00:00.000Z"));
    }
    const before = await dynamo.scanAll(tableName);

    const deleted = await store.deleteAccount(doomed);

    // A Scan is fine here, in a test: it looks everywhere, not just where the code looks.
    const after = await dynamo.scanAll(tableName);
    const mentions = (item: Record<string, unknown>, accountId: string) =>
      JSON.stringify(item).includes(accountId);
    expect(after.filter((item) => mentions(item, doomed))).toEqual([]);
    expect(deleted).toBe(before.filter((item) => mentions(item, doomed)).length);
    expect(after.filter((item) => mentions(item, kept))).toHaveLength(
      before.filter((item) => mentions(item, kept)).length,
    );
    expect(await store.getAccount(doomed)).toBeNull();
    expect((await store.listAccounts()).items.map((account) => account.accountId)).toEqual([kept]);
    expect(await store.deleteAccount(doomed)).toBe(0);
  });
});
