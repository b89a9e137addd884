import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countRequests } from "../functions/adapters/dynamo/client.ts";
import { DynamoLedger } from "../functions/adapters/dynamo/ledger.ts";
import type { ParsedMessage } from "../functions/core/model.ts";
import { isParseFailure, readMessages } from "../functions/core/parse/index.ts";
import { triageMessage } from "../functions/core/triage.ts";
import { startLocalDynamo } from "../functions/local/dynalite.ts";
import { DEFAULT_SETTINGS } from "../functions/schemas/settings.ts";
import type { Figures } from "./index.ts";
import { writeBenchMbox } from "./mbox-generator.ts";

const MESSAGES = 2_000;
const NOT_INVITATIONS = new Set(["not_invitation", "business_meeting"]);

/**
 * A 2,000-message Takeout backfill through the DynamoDB ledger (dynalite in memory), with every
 * SDK request and its consumed capacity counted by middleware and charged to the message whose
 * triage made it. Goal: at most 3 requests per invitation and at most 1 per other message.
 */
export async function benchLedger(log: (line: string) => void): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), "decorum-bench-ledger-"));
  const dynamo = await startLocalDynamo({});
  try {
    const mbox = join(dir, "backfill.mbox");
    await writeBenchMbox(mbox, MESSAGES, 7);
    const messages: ParsedMessage[] = [];
    for await (const item of readMessages([mbox])) if (!isParseFailure(item)) messages.push(item);
    messages.sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));

    const counter = countRequests(dynamo.client);
    const ledger = new DynamoLedger({
      client: dynamo.client,
      tableName: dynamo.tableName,
      accountId: "bench",
    });
    const deps = { settings: DEFAULT_SETTINGS, ledger, now: new Date() };
    const tally = {
      invitation: { messages: 0, requests: 0, capacity: 0, worst: 0 },
      other: { messages: 0, requests: 0, capacity: 0, worst: 0 },
    };
    for (const message of messages) {
      const before = { requests: counter.requests(), capacity: counter.capacity() };
      const result = await triageMessage(message, deps);
      const requests = counter.requests() - before.requests;
      const bucket = NOT_INVITATIONS.has(result.category) ? tally.other : tally.invitation;
      bucket.messages++;
      bucket.requests += requests;
      bucket.capacity += counter.capacity() - before.capacity;
      bucket.worst = Math.max(bucket.worst, requests);
    }
    const per = (n: number, d: number) => (d === 0 ? 0 : n / d);
    const { invitation, other } = tally;
    log(
      `backfill of ${messages.length} messages: ${invitation.messages} invitations, ${other.messages} other`,
    );
    log(
      `per invitation: ${per(invitation.requests, invitation.messages).toFixed(2)} requests (worst ${invitation.worst}, goal ≤ 3), ${per(invitation.capacity, invitation.messages).toFixed(2)} capacity units`,
    );
    log(
      `per other message: ${per(other.requests, other.messages).toFixed(2)} requests (worst ${other.worst}, goal ≤ 1), ${per(other.capacity, other.messages).toFixed(2)} capacity units`,
    );
    log("(dynalite reports no capacity for empty queries or failed conditions; AWS charges them)");
    return {
      ledger_backfill_messages: messages.length,
      ledger_invitations: invitation.messages,
      ledger_requests_per_invitation: round(per(invitation.requests, invitation.messages)),
      ledger_requests_per_invitation_worst: invitation.worst,
      ledger_capacity_per_invitation: round(per(invitation.capacity, invitation.messages)),
      ledger_requests_per_other: round(per(other.requests, other.messages)),
      ledger_requests_per_other_worst: other.worst,
      ledger_capacity_per_other: round(per(other.capacity, other.messages)),
    };
  } finally {
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Number(n.toFixed(3));
