import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRequests, type RequestCounter } from "../../../functions/adapters/dynamo/client.ts";
import { DynamoLedger } from "../../../functions/adapters/dynamo/ledger.ts";
import { type Ledger, MemoryLedger } from "../../../functions/core/ledger.ts";
import { type Category, FREQUENCY_CATEGORIES } from "../../../functions/core/vocabulary.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";
import { invitation } from "./records.ts";

let dynamo: TestDynamo;
let counter: RequestCounter;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  counter = countRequests(dynamo.client);
});

afterAll(async () => {
  counter.detach();
  await dynamo.close();
});

interface Message {
  /** UID or Message-ID. */
  key: string;
  client: string | null;
  category: Category;
  at: string;
}

const DAY = 86_400_000;
const WINDOW_DAYS = 14;

/**
 * A month of one owner's mail: regular clients inviting to lunches and outings (some often
 * enough to cross the threshold), calendar copies of emailed invitations, a new client whose
 * first message is an invitation, an older message arriving late (a Takeout import), mail
 * from non-clients, and plenty of ordinary correspondence.
 */
function month(): Message[] {
  const messages: Message[] = [];
  const start = Date.parse("2025-03-01T08:00:00.000Z");
  const clients = ["acme.example", "globex.example", "initech.example", "ana@gmail.com"];
  const categories: Category[] = [
    "meal_or_drinks",
    "outing",
    "home_visit",
    "business_meeting",
    "travel",
    "family_function",
  ];
  for (let day = 0; day < 30; day++) {
    const at = (hours: number) => new Date(start + day * DAY + hours * 3_600_000).toISOString();
    const client = clients[day % clients.length] ?? null;
    messages.push({ key: `mail-${day}-a`, client, category: "not_invitation", at: at(1) });
    messages.push({ key: `mail-${day}-b`, client: null, category: "not_invitation", at: at(2) });
    if (day % 2 === 0) {
      const category = categories[day % categories.length] ?? "meal_or_drinks";
      messages.push({ key: `uid-${day}@cal`, client, category, at: at(3) });
      // The calendar copy of the same invitation, a little later.
      if (day % 4 === 0) messages.push({ key: `uid-${day}@cal`, client, category, at: at(3.1) });
    }
  }
  messages.push({
    key: "first-contact",
    client: "newco.example",
    category: "meal_or_drinks",
    at: "2025-03-20T12:00:00.000Z",
  });
  messages.push({
    key: "from-a-stranger",
    client: null,
    category: "outing",
    at: "2025-03-21T12:00:00.000Z",
  });
  messages.push({
    key: "late-import",
    client: "acme.example",
    category: "outing",
    at: "2025-02-10T12:00:00.000Z",
  });
  messages.push({
    key: "new-via-note",
    client: "hooli.example",
    category: "not_invitation",
    at: "2025-03-22T09:00:00.000Z",
  });
  messages.push({
    key: "hooli-lunch",
    client: "hooli.example",
    category: "meal_or_drinks",
    at: "2025-03-23T09:00:00.000Z",
  });
  return messages;
}

/** The triage pipeline's use of the ledger, as the issue specifies it. Returns the count it saw. */
async function triage(ledger: Ledger, message: Message): Promise<number | null> {
  const at = new Date(message.at);
  if (message.category === "not_invitation") {
    if (message.client) await ledger.noteCorrespondence(message.client, at);
    return null;
  }
  const { existing, firstSeen } = await ledger.lookup(message.key, message.client);
  if (existing) return null;
  let count: number | null = null;
  if (message.client && FREQUENCY_CATEGORIES.includes(message.category)) {
    count = await ledger.countInvitations(message.client, {
      from: new Date(at.getTime() - WINDOW_DAYS * DAY),
      to: at,
      categories: FREQUENCY_CATEGORIES,
    });
  }
  await ledger.record(
    invitation({
      key: message.key,
      client: message.client,
      category: message.category,
      receivedAt: message.at,
      decidedAt: message.at,
    }),
  );
  if (message.client && (firstSeen === null || firstSeen > at)) {
    await ledger.noteCorrespondence(message.client, at);
  }
  return count;
}

async function measure(openLedger: () => Ledger, messages: Message[]) {
  const invitations: number[] = [];
  const others: number[] = [];
  const counts: (number | null)[] = [];
  let capacity = 0;
  for (const message of messages) {
    counter.reset();
    counts.push(await triage(openLedger(), message));
    capacity += counter.capacity();
    (message.category === "not_invitation" ? others : invitations).push(counter.requests());
  }
  return { invitations, others, counts, capacity };
}

const now = () => new Date("2025-04-01T00:00:00.000Z");

describe("DynamoDB requests per message", () => {
  it.each([
    ["a fresh ledger per message (nothing remembered between messages)", "fresh"],
    ["one ledger for the whole month", "shared"],
  ])("stay within budget with %s, and count what MemoryLedger counts", async (_, mode) => {
    const accountId = `acct-${randomUUID()}`;
    const open = () =>
      new DynamoLedger({ client: dynamo.client, tableName: dynamo.tableName, accountId, now });
    const shared = open();
    const messages = month();

    const measured = await measure(mode === "fresh" ? open : () => shared, messages);
    const memory = new MemoryLedger();
    const expected: (number | null)[] = [];
    for (const message of messages) expected.push(await triage(memory, message));

    expect(measured.counts).toEqual(expected);
    expect(measured.counts.some((count) => (count ?? 0) >= 2)).toBe(true);
    expect(Math.max(...measured.invitations)).toBeLessThanOrEqual(3);
    expect(Math.max(...measured.others)).toBeLessThanOrEqual(1);
    expect(measured.capacity).toBeGreaterThan(0);
  });

  const SEEN_CLIENT = invitation({
    key: "k",
    client: "acme.example",
    receivedAt: "2025-03-01T08:00:00.000Z",
  });

  it.each([
    [
      "lookup",
      { BatchGetItemCommand: 1 },
      (ledger: DynamoLedger) => ledger.lookup("k", "acme.example"),
    ],
    [
      "countInvitations",
      { QueryCommand: 1 },
      (ledger: DynamoLedger) =>
        ledger.countInvitations("acme.example", {
          from: new Date(0),
          to: now(),
          categories: FREQUENCY_CATEGORIES,
        }),
    ],
    [
      "record without a client",
      { PutItemCommand: 1 },
      (ledger: DynamoLedger) => ledger.record(invitation({ key: "k2", client: null })),
    ],
    [
      "record after a lookup of a known client",
      { BatchGetItemCommand: 1, PutItemCommand: 1 },
      async (ledger: DynamoLedger) => {
        await ledger.lookup("k3", "acme.example");
        await ledger.record(
          invitation({ key: "k3", client: "acme.example", receivedAt: "2025-03-02T08:00:00.000Z" }),
        );
      },
    ],
    [
      "record of a new client's first invitation",
      { PutItemCommand: 1, UpdateItemCommand: 1 },
      (ledger: DynamoLedger) => ledger.record(invitation({ key: "k4", client: "new.example" })),
    ],
    [
      "noteCorrespondence",
      { UpdateItemCommand: 1 },
      (ledger: DynamoLedger) =>
        ledger.noteCorrespondence("acme.example", new Date("2025-02-01T00:00:00.000Z")),
    ],
    ["claimDraft", { UpdateItemCommand: 1 }, (ledger: DynamoLedger) => ledger.claimDraft("k")],
  ])("%s costs %j", async (_, operations, call) => {
    const accountId = `acct-${randomUUID()}`;
    const open = () =>
      new DynamoLedger({ client: dynamo.client, tableName: dynamo.tableName, accountId, now });
    await open().record(SEEN_CLIENT);
    counter.reset();
    await call(open());
    expect(counter.byOperation()).toEqual(operations);
    expect(counter.capacity()).toBeGreaterThan(0);
  });
});
