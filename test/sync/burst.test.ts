import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import {
  addAccount,
  ledgerRecords,
  mail,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

/**
 * A burst: 2,000 messages for 20 accounts, delivered in ten rounds within seconds, with one
 * Pub/Sub push per account per round (Gmail coalesces notifications the same way). Every
 * message must be fetched and triaged exactly once, nothing may reach the dead-letter list, and
 * Decorum must not provoke a 429 of its own.
 */

const ACCOUNTS = 20;
const PER_ACCOUNT = 100;
const ROUNDS = 10;
const emailOf = (n: number) => `owner${n}@burst.example`;

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld({
    users: Array.from({ length: ACCOUNTS }, (_, n) => emailOf(n)),
    queue: { concurrency: 6 },
  });
  for (let n = 0; n < ACCOUNTS; n++) {
    await addAccount(world, { accountId: `burst-${n}`, email: emailOf(n) });
  }
}, 120_000);
afterAll(async () => {
  await world?.close();
});

function message(account: number, index: number): string {
  const messageId = `b${account}-${index}@harbourbank.example`;
  const to = emailOf(account);
  if (index % 10 === 0) {
    return mail({ ...TEXTS.poker, subject: `Poker night ${index}`, to, messageId });
  }
  if (index % 10 === 5) {
    return mail({
      subject: `Charity gala ${index}`,
      body: "You are invited to our annual charity gala on 12 March.",
      // Each gala from its own client, so no frequency rule turns one into a decline.
      from: `events@client${index}.example`,
      to,
      messageId,
    });
  }
  return mail({
    subject: `Statement ${index}`,
    body: `Please find the figures for account ${index} attached. Regards, Jane`,
    to,
    messageId,
  });
}

async function push(email: string, historyId: string): Promise<number> {
  const url = `${world.url}/push/gmail`;
  const token = await world.emulator.signPushToken({ audience: url });
  const data = Buffer.from(JSON.stringify({ emailAddress: email, historyId: Number(historyId) }));
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      message: { data: data.toString("base64"), messageId: String(Date.now()) },
      subscription: "projects/decorum-test/subscriptions/gmail-push",
    }),
  });
  return response.status;
}

describe("a burst of 2,000 messages for 20 accounts", () => {
  it("triages every message exactly once, dead-letters nothing and causes no 429", async () => {
    world.emulator.setPushEndpoint(null);
    const startCalls = world.emulator.calls.length;
    const started = Date.now();
    const delivered = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      const latest: string[] = [];
      for (let n = 0; n < ACCOUNTS; n++) {
        let historyId = "";
        for (let i = 0; i < PER_ACCOUNT / ROUNDS; i++) {
          const index = round * (PER_ACCOUNT / ROUNDS) + i;
          const result = await world.emulator.deliverMessage(emailOf(n), message(n, index));
          delivered.set(`gmail:${result.id}`, emailOf(n));
          historyId = result.historyId;
        }
        latest.push(historyId);
      }
      const statuses = await Promise.all(latest.map((id, n) => push(emailOf(n), id)));
      expect(statuses.every((status) => status === 204)).toBe(true);
    }
    const deliveredIn = Date.now() - started;
    await world.settle();
    const elapsed = Date.now() - started;

    expect(delivered.size).toBe(ACCOUNTS * PER_ACCOUNT);
    expect(deliveredIn).toBeLessThan(60_000);
    const triaged = new Map<string, number>();
    for (const event of world.processed) {
      if (event.outcome.kind === "triaged" && delivered.has(event.source)) {
        triaged.set(event.source, (triaged.get(event.source) ?? 0) + 1);
      }
    }
    expect(triaged.size).toBe(delivered.size);
    expect([...triaged.values()].every((count) => count === 1)).toBe(true);

    const calls = world.emulator.calls.slice(startCalls);
    expect(calls.filter((c) => c.method === "gmail.users.messages.get")).toHaveLength(
      delivered.size,
    );
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
    expect(world.queue.deadLetters).toEqual([]);
    expect(world.failures).toEqual([]);

    for (let n = 0; n < ACCOUNTS; n++) {
      const drafts = world.emulator.state(emailOf(n)).drafts;
      expect(drafts).toHaveLength(PER_ACCOUNT / 10);
    }
    const records = await ledgerRecords(
      new DynamoLedger({
        client: world.dynamo.client,
        tableName: world.dynamo.tableName,
        accountId: "burst-7",
      }),
    );
    expect(records).toHaveLength(PER_ACCOUNT / 5);
    console.log(
      `burst: ${delivered.size} messages delivered in ${deliveredIn} ms, all processed in ${elapsed} ms; ${calls.length} Google calls; queue ${JSON.stringify(world.queue.stats)}`,
    );
    expect(elapsed).toBeLessThan(60_000);
  }, 120_000);
});
