import { describe, expect, it } from "vitest";
import { type LedgerRecord, MemoryLedger } from "../../functions/core/ledger.ts";

const base: LedgerRecord = {
  key: "uid-1@client.example",
  client: "client.example",
  category: "meal_or_drinks",
  action: "accept",
  confidence: 0.9,
  language: "en",
  reasons: [],
  receivedAt: "2026-11-02T18:00:00.000Z",
  decidedAt: "2026-11-02T18:00:01.000Z",
  messageId: "m1@client.example",
  subject: "Drinks?",
  from: { address: "ana@client.example", name: "Ana" },
  source: "test",
  event: null,
  gmail: null,
  draft: { state: "none" },
};

describe("MemoryLedger", () => {
  it("records a key once and returns the first record on a repeat", async () => {
    const ledger = new MemoryLedger();
    expect((await ledger.record(base)).created).toBe(true);
    const again = await ledger.record({ ...base, action: "decline" });
    expect(again).toEqual({ created: false, record: base });
  });

  it.each([
    ["just inside the window start", "2026-11-01T00:00:00.000Z", 1],
    ["just before the window start", "2026-10-31T23:59:59.999Z", 0],
    ["at the exclusive window end", "2026-11-15T00:00:00.000Z", 0],
  ])("counts an invitation %s", async (_label, receivedAt, expected) => {
    const ledger = new MemoryLedger();
    await ledger.record({ ...base, receivedAt });
    const count = await ledger.countInvitations("client.example", {
      from: new Date("2026-11-01T00:00:00.000Z"),
      to: new Date("2026-11-15T00:00:00.000Z"),
      categories: ["meal_or_drinks"],
    });
    expect(count).toBe(expected);
  });

  it("keeps the earliest correspondence as first seen", async () => {
    const ledger = new MemoryLedger();
    await ledger.noteCorrespondence("client.example", new Date("2026-05-01T00:00:00Z"));
    await ledger.noteCorrespondence("client.example", new Date("2025-01-01T00:00:00Z"));
    await ledger.noteCorrespondence("client.example", new Date("2026-06-01T00:00:00Z"));
    const { firstSeen } = await ledger.lookup("nothing", "client.example");
    expect(firstSeen?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("moves the draft state of a recorded invitation only", async () => {
    const ledger = new MemoryLedger();
    await ledger.record(base);
    expect(await ledger.setDraftState(base.key, { state: "decided" })).toBe(true);
    expect(await ledger.setDraftState("missing", { state: "decided" })).toBe(false);
    expect((await ledger.lookup(base.key, null)).existing?.draft).toEqual({ state: "decided" });
  });
});
