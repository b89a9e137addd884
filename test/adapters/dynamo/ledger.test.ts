import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../../functions/adapters/dynamo/errors.ts";
import { DynamoLedger } from "../../../functions/adapters/dynamo/ledger.ts";
import { keys } from "../../../functions/adapters/dynamo/table.ts";
import type { LedgerRecord } from "../../../functions/core/ledger.ts";
import { FREQUENCY_CATEGORIES } from "../../../functions/core/vocabulary.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";
import { invitation, manualClock } from "./records.ts";

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

const NOW = "2025-03-10T09:00:00.000Z";

function openLedger(
  options: { accountId?: string; now?: () => Date; retentionDays?: number } = {},
) {
  const clock = manualClock(NOW);
  const accountId = options.accountId ?? `acct-${randomUUID()}`;
  const ledger = new DynamoLedger({
    client: dynamo.client,
    tableName: dynamo.tableName,
    accountId,
    now: options.now ?? clock.now,
    ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
  });
  return { ledger, accountId, clock };
}

const FORTNIGHT = {
  from: new Date("2025-02-25T00:00:00.000Z"),
  to: new Date("2025-03-11T00:00:00.000Z"),
  categories: FREQUENCY_CATEGORIES,
};

describe("DynamoLedger.record", () => {
  it("records 50 concurrent deliveries of one invitation once and counts it once", async () => {
    const { ledger, accountId } = openLedger();
    const record = invitation({ key: `uid-${randomUUID()}` });

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        ledger.record({ ...record, source: `gmail:push-${index}` }),
      ),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    const winner = results.find((result) => result.created)?.record;
    for (const result of results) expect(result.record).toEqual(winner);
    // A fresh ledger, so nothing this instance remembers can stand in for the Query.
    const fresh = openLedger({ accountId }).ledger;
    expect(await fresh.countInvitations("client.example", FORTNIGHT)).toBe(1);
    const stored = (await dynamo.scanAll()).filter(
      (item) => item.pk === keys.partition(accountId) && String(item.sk).startsWith("INV#"),
    );
    expect(stored).toHaveLength(1);
  });

  it("counts the email and the calendar copy of one invitation (same UID) once", async () => {
    const { ledger, accountId } = openLedger();
    const uid = `event-${randomUUID()}@calendar.example`;
    const email = invitation({ key: uid, source: "gmail:aa1", messageId: "m1@client.example" });
    const calendar = invitation({
      key: uid,
      source: "calendar:evt1",
      messageId: null,
      receivedAt: "2025-03-01T10:00:07.000Z",
      gmail: null,
    });

    const first = await ledger.record(email);
    const second = await ledger.record(calendar);

    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, record: email });
    const fresh = openLedger({ accountId }).ledger;
    expect(await fresh.countInvitations("client.example", FORTNIGHT)).toBe(1);
  });

  it("returns the stored record, not the one offered, on a repeat", async () => {
    const { ledger } = openLedger();
    const original = invitation({ key: `k-${randomUUID()}`, action: "accept" });
    await ledger.record(original);

    const repeat = await ledger.record({ ...original, action: "decline", subject: "changed" });

    expect(repeat).toEqual({ created: false, record: original });
    expect((await ledger.lookup(original.key, original.client)).existing).toEqual(original);
  });

  it("round-trips keys longer than a sort key may hold", async () => {
    const { ledger } = openLedger();
    const key = `${"x".repeat(1500)}@mail.example`;
    await ledger.record(invitation({ key }));

    expect((await ledger.lookup(key, "client.example")).existing?.key).toBe(key);
    expect((await ledger.record(invitation({ key }))).created).toBe(false);
  });

  it.each([
    ["an unparseable arrival date", { receivedAt: "yesterday" }],
    ["an empty key", { key: "" }],
    ["an empty client", { client: "" }],
    ["a confidence that is not a number", { confidence: Number.NaN }],
  ])("rejects a record with %s", async (_, overrides: Partial<LedgerRecord>) => {
    const { ledger } = openLedger();
    await expect(ledger.record(invitation(overrides))).rejects.toMatchObject({ kind: "invalid" });
  });
});

describe("DynamoLedger.lookup", () => {
  it("finds nothing and no first-seen date for a new key and client", async () => {
    const { ledger } = openLedger();
    expect(await ledger.lookup("nothing-here", "new.example")).toEqual({
      existing: null,
      firstSeen: null,
    });
  });

  it("returns the record and the client's first-seen date", async () => {
    const { ledger } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);

    expect(await ledger.lookup(record.key, "client.example")).toEqual({
      existing: record,
      firstSeen: new Date(record.receivedAt),
    });
  });

  it("looks up by key alone when the sender is not a client", async () => {
    const { ledger } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}`, client: null });
    await ledger.record(record);

    expect(await ledger.lookup(record.key, null)).toEqual({ existing: record, firstSeen: null });
  });
});

describe("DynamoLedger.countInvitations", () => {
  const from = "2025-03-01T00:00:00.000Z";
  const to = "2025-03-15T00:00:00.000Z";

  it.each([
    ["1 ms before the window", "2025-02-28T23:59:59.999Z", 0],
    ["exactly at `from` (inclusive)", from, 1],
    ["inside the window", "2025-03-08T12:00:00.000Z", 1],
    ["1 ms before `to`", "2025-03-14T23:59:59.999Z", 1],
    ["exactly at `to` (exclusive)", to, 0],
    ["after the window", "2025-03-20T00:00:00.000Z", 0],
  ])("counts an invitation that arrived %s as %i", async (_, receivedAt, expected) => {
    const { ledger, accountId } = openLedger({ now: () => new Date("2025-03-20T00:00:00.000Z") });
    await ledger.noteCorrespondence("client.example", new Date("2025-01-01T00:00:00.000Z"));
    await ledger.record(invitation({ key: `k-${randomUUID()}`, receivedAt }));

    const fresh = openLedger({ accountId, now: () => new Date("2025-03-20T00:00:00.000Z") });
    const window = { from: new Date(from), to: new Date(to), categories: FREQUENCY_CATEGORIES };
    expect(await fresh.ledger.countInvitations("client.example", window)).toBe(expected);
  });

  it("counts only the asked categories and only that client", async () => {
    const { ledger } = openLedger();
    const records = [
      invitation({ key: "a", category: "meal_or_drinks" }),
      invitation({ key: "b", category: "outing" }),
      invitation({ key: "c", category: "business_meeting" }),
      invitation({ key: "d", category: "home_visit" }),
      invitation({ key: "e", client: "other.example", category: "meal_or_drinks" }),
      invitation({ key: "f", client: null, category: "meal_or_drinks" }),
    ];
    for (const record of records) await ledger.record(record);

    expect(await ledger.countInvitations("client.example", FORTNIGHT)).toBe(3);
    expect(
      await ledger.countInvitations("client.example", { ...FORTNIGHT, categories: ["outing"] }),
    ).toBe(1);
    expect(await ledger.countInvitations("client.example", { ...FORTNIGHT, categories: [] })).toBe(
      0,
    );
    expect(await ledger.countInvitations("other.example", FORTNIGHT)).toBe(1);
  });

  it("answers 0 for a client first seen after the window, and counts once it is older", async () => {
    const { ledger, accountId } = openLedger();
    await ledger.record(invitation({ key: "late", receivedAt: "2025-03-09T00:00:00.000Z" }));
    const early = {
      from: new Date("2025-02-01T00:00:00.000Z"),
      to: new Date("2025-03-01T00:00:00.000Z"),
      categories: FREQUENCY_CATEGORIES,
    };
    expect(await ledger.countInvitations("client.example", early)).toBe(0);

    // Another process records an older invitation; a lookup sees the earlier first-seen date.
    const other = openLedger({ accountId }).ledger;
    await other.record(invitation({ key: "older", receivedAt: "2025-02-10T00:00:00.000Z" }));
    await ledger.lookup("whatever", "client.example");
    expect(await ledger.countInvitations("client.example", early)).toBe(1);
  });
});

describe("DynamoLedger.noteCorrespondence", () => {
  it("keeps the earliest date whatever the order of concurrent notes", async () => {
    const { ledger, accountId } = openLedger();
    const base = Date.parse("2024-01-01T00:00:00.000Z");
    const dates = Array.from(
      { length: 40 },
      () => new Date(base + Math.floor(Math.random() * 1e10)),
    );
    const earliest = new Date(Math.min(...dates.map((date) => date.getTime())));

    await Promise.all(
      dates.map((date) => openLedger({ accountId }).ledger.noteCorrespondence("c.example", date)),
    );

    expect((await ledger.lookup("none", "c.example")).firstSeen).toEqual(earliest);
  });

  it("moves first-seen earlier but never later", async () => {
    const { ledger } = openLedger();
    await ledger.noteCorrespondence("c.example", new Date("2024-06-01T00:00:00.000Z"));
    await ledger.noteCorrespondence("c.example", new Date("2024-09-01T00:00:00.000Z"));
    expect((await ledger.lookup("none", "c.example")).firstSeen?.toISOString()).toBe(
      "2024-06-01T00:00:00.000Z",
    );
    await ledger.noteCorrespondence("c.example", new Date("2024-02-01T00:00:00.000Z"));
    expect((await ledger.lookup("none", "c.example")).firstSeen?.toISOString()).toBe(
      "2024-02-01T00:00:00.000Z",
    );
  });
});

describe("DynamoLedger draft state", () => {
  it("lets exactly one of 20 concurrent claimers move decided → drafting", async () => {
    const { ledger, accountId } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);

    const claims = await Promise.all(
      Array.from({ length: 20 }, () => openLedger({ accountId }).ledger.claimDraft(record.key)),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await ledger.lookup(record.key, null)).existing?.draft).toEqual({
      state: "drafting",
      startedAt: NOW,
    });
  });

  it("records the Gmail draft id, after which nobody can claim again", async () => {
    const { ledger } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);
    expect(await ledger.claimDraft(record.key)).toBe(true);

    const drafted = { state: "drafted", draftId: "r-123", threadId: "18f0a", at: NOW } as const;
    expect(await ledger.setDraftState(record.key, drafted)).toBe(true);

    expect((await ledger.lookup(record.key, null)).existing?.draft).toEqual(drafted);
    expect(await ledger.claimDraft(record.key)).toBe(false);
  });

  it.each([
    ["no draft is due", { state: "none" } as const],
    ["a draft is being made", { state: "drafting", startedAt: NOW } as const],
  ])("refuses a claim when %s", async (_, draft) => {
    const { ledger } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}`, draft });
    await ledger.record(record);
    expect(await ledger.claimDraft(record.key)).toBe(false);
  });

  it("answers false for a record that does not exist", async () => {
    const { ledger } = openLedger();
    expect(await ledger.claimDraft("missing")).toBe(false);
    expect(await ledger.setDraftState("missing", { state: "none" })).toBe(false);
    expect(await ledger.lookup("missing", null)).toEqual({ existing: null, firstSeen: null });
  });
});

describe("DynamoLedger retention", () => {
  it("sets the TTL attribute retentionDays after arrival", async () => {
    const { ledger, accountId } = openLedger({ retentionDays: 30 });
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);

    const stored = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.invitation(accountId, record.key) }),
    );
    expect(stored.Item?.expiresAt).toBe(Date.parse(record.receivedAt) / 1000 + 30 * 86_400);
  });

  it("defaults to settings.retentionDays (400 days)", async () => {
    const { ledger, accountId } = openLedger();
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);

    const stored = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.invitation(accountId, record.key) }),
    );
    expect(stored.Item?.expiresAt).toBe(Date.parse(record.receivedAt) / 1000 + 400 * 86_400);
  });

  // dynalite never deletes expired items (and AWS may take days to), so the item is still in
  // the table below: these assertions exercise the read-side filter, driven by the clock.
  it("hides expired records from every read and lets the key be recorded afresh", async () => {
    const clock = manualClock(NOW);
    const { ledger, accountId } = openLedger({ now: clock.now, retentionDays: 30 });
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);
    const window = { ...FORTNIGHT, from: new Date("2025-01-01T00:00:00.000Z"), to: new Date(NOW) };
    const range = { from: window.from, to: window.to };
    expect(await ledger.countInvitations("client.example", window)).toBe(1);

    clock.set("2025-03-31T10:00:01.000Z"); // 30 days and 1 second after arrival

    expect((await ledger.lookup(record.key, "client.example")).existing).toBeNull();
    expect(await ledger.countInvitations("client.example", window)).toBe(0);
    expect((await ledger.listInvitations(range)).items).toEqual([]);
    expect(await ledger.claimDraft(record.key)).toBe(false);
    const stillStored = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.invitation(accountId, record.key) }),
    );
    expect(stillStored.Item).toBeDefined();

    const again = await ledger.record({ ...record, subject: "Lunch again?" });
    expect(again.created).toBe(true);
  });

  it("keeps a record one second before it expires", async () => {
    const clock = manualClock("2025-03-31T09:59:59.000Z");
    const { ledger } = openLedger({ now: clock.now, retentionDays: 30 });
    const record = invitation({ key: `k-${randomUUID()}` });
    await ledger.record(record);
    expect((await ledger.lookup(record.key, null)).existing).toEqual(record);
  });
});

describe("DynamoLedger tenancy", () => {
  it("never shows one account's records to another", async () => {
    const alice = openLedger();
    const bob = openLedger();
    const record = invitation({ key: `shared-uid-${randomUUID()}` });
    await alice.ledger.record(record);
    await alice.ledger.noteCorrespondence("client.example", new Date("2024-01-01T00:00:00.000Z"));
    const range = { from: new Date("2025-01-01T00:00:00.000Z"), to: new Date(NOW) };

    expect(await bob.ledger.lookup(record.key, "client.example")).toEqual({
      existing: null,
      firstSeen: null,
    });
    expect(
      await openLedger({ accountId: bob.accountId }).ledger.countInvitations(
        "client.example",
        FORTNIGHT,
      ),
    ).toBe(0);
    expect((await bob.ledger.listInvitations(range)).items).toEqual([]);
    expect(await bob.ledger.claimDraft(record.key)).toBe(false);
    expect(await bob.ledger.setDraftState(record.key, { state: "none" })).toBe(false);
    expect((await alice.ledger.lookup(record.key, null)).existing?.draft).toEqual({
      state: "decided",
    });

    // The same UID in Bob's account is Bob's own, separate record.
    expect((await bob.ledger.record(record)).created).toBe(true);
  });

  it("rejects another account's page cursor", async () => {
    const alice = openLedger();
    const bob = openLedger();
    for (const key of ["a", "b", "c"]) await alice.ledger.record(invitation({ key }));
    const range = { from: new Date("2025-01-01T00:00:00.000Z"), to: new Date(NOW) };
    const page = await alice.ledger.listInvitations(range, { limit: 1 });
    expect(page.cursor).not.toBeNull();

    await expect(
      bob.ledger.listInvitations(range, { limit: 1, cursor: page.cursor ?? "" }),
    ).rejects.toBeInstanceOf(StoreError);
  });

  it.each(["", "has#hash", "a".repeat(201), "spaces are out"])(
    "refuses the account id %j",
    (accountId) => {
      expect(() => openLedger({ accountId })).toThrow(StoreError);
    },
  );
});

describe("DynamoLedger.listInvitations", () => {
  async function seeded() {
    const opened = openLedger();
    const records = [
      invitation({ key: "r1", receivedAt: "2025-03-01T08:00:00.000Z", category: "outing" }),
      invitation({ key: "r2", receivedAt: "2025-03-02T08:00:00.000Z" }),
      invitation({ key: "r3", receivedAt: "2025-03-03T08:00:00.000Z", client: "other.example" }),
      invitation({ key: "r4", receivedAt: "2025-03-04T08:00:00.000Z", category: "home_visit" }),
      invitation({ key: "r5", receivedAt: "2025-03-05T08:00:00.000Z", client: null }),
      invitation({ key: "r6", receivedAt: "2025-03-06T08:00:00.000Z" }),
      invitation({ key: "r7", receivedAt: "2025-03-07T08:00:00.000Z", category: "outing" }),
    ];
    for (const record of records) await opened.ledger.record(record);
    return opened;
  }
  const ALL = {
    from: new Date("2025-03-01T00:00:00.000Z"),
    to: new Date("2025-03-08T00:00:00.000Z"),
  };

  it("lists newest first", async () => {
    const { ledger } = await seeded();
    const page = await ledger.listInvitations(ALL);
    expect(page.items.map((record) => record.key)).toEqual([
      "r7",
      "r6",
      "r5",
      "r4",
      "r3",
      "r2",
      "r1",
    ]);
    expect(page.cursor).toBeNull();
  });

  it.each([1, 2, 3, 7])("pages through everything exactly once with limit %i", async (limit) => {
    const { ledger } = await seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await ledger.listInvitations(ALL, { limit, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((record) => record.key));
      if (!page.cursor) break;
      cursor = page.cursor;
    }
    expect(seen).toEqual(["r7", "r6", "r5", "r4", "r3", "r2", "r1"]);
  });

  it.each([
    ["a client", { client: "client.example" }, ["r7", "r6", "r4", "r2", "r1"]],
    ["a category", { category: "outing" as const }, ["r7", "r1"]],
    [
      "a client and a category",
      { client: "client.example", category: "home_visit" as const },
      ["r4"],
    ],
    [
      "a client and a category, one per page",
      { client: "client.example", category: "outing" as const, limit: 1 },
      ["r7", "r1"],
    ],
  ])("filters by %s", async (_, options, expected) => {
    const { ledger } = await seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await ledger.listInvitations(ALL, { ...options, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((record) => record.key));
      if (!page.cursor) break;
      cursor = page.cursor;
    }
    expect(seen).toEqual(expected);
  });

  it("includes `from` and excludes `to`", async () => {
    const { ledger } = await seeded();
    const page = await ledger.listInvitations({
      from: new Date("2025-03-02T08:00:00.000Z"),
      to: new Date("2025-03-04T08:00:00.000Z"),
    });
    expect(page.items.map((record) => record.key)).toEqual(["r3", "r2"]);
  });

  it.each(["not-a-cursor", Buffer.from('{"pk":1}').toString("base64url")])(
    "rejects the malformed cursor %j",
    async (cursor) => {
      const { ledger } = await seeded();
      await expect(ledger.listInvitations(ALL, { cursor })).rejects.toMatchObject({
        kind: "invalid",
      });
    },
  );
});
