import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { documentClient } from "../adapters/dynamo/client.ts";
import { isConditionalCheckFailed, translateError } from "../adapters/dynamo/errors.ts";
import { assertAccountId, keys, TTL_ATTRIBUTE } from "../adapters/dynamo/table.ts";
import { type JobType, JobType as JobTypeSchema } from "../schemas/jobs.ts";

/**
 * One sync at a time per account: a lease item in DynamoDB, taken and given back with
 * conditional writes.
 *
 * Why a lease and not SQS FIFO message groups per account:
 * - The lease also covers work that never passes through the queue: the local server, a manual
 *   run, and a Lambda whose invocation outlives the visibility timeout (SQS then hands the same
 *   message to a second consumer, FIFO or not).
 * - A standard queue has no 5-minute deduplication window to reason about and no group that a
 *   poison message blocks until it reaches the dead-letter queue.
 * - A push that arrives while its account is syncing is not retried later: it leaves a note
 *   (`pending`) on the lease and is acknowledged at once; the holder runs the noted syncs before
 *   letting go. So a burst of pushes costs one or two syncs, not one each.
 *
 * The item lives in the account's partition (`A#<acct>`, `LEASE`), so deleting the account
 * deletes it. `leaseUntil` is epoch ms; a holder that dies is replaced once it passes. The lease
 * must outlast the worker's timeout: a holder extends it between messages, and stops (LeaseLost)
 * if another took it meanwhile.
 */

export interface LeaseStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long a lease lasts unless extended. Default 5 minutes; keep it above the worker's timeout. */
  durationMs?: number;
  now?: () => Date;
}

/** The lease was taken over (it expired while its holder was paused): stop without writing. */
export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}

const LEASE_SK = "LEASE";
const DAY_SECONDS = 86_400;
const ACQUIRE_ROUNDS = 5;

const LeaseItem = z.object({
  pending: z.union([z.set(JobTypeSchema), z.array(JobTypeSchema)]).optional(),
});

export class LeaseStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;
  readonly durationMs: number;

  constructor(options: LeaseStoreOptions) {
    this.#doc = documentClient(options.client);
    this.#table = options.tableName;
    this.#now = options.now ?? (() => new Date());
    this.durationMs = options.durationMs ?? 5 * 60_000;
  }

  #key(accountId: string) {
    return { pk: keys.partition(assertAccountId(accountId)), sk: LEASE_SK };
  }

  #clock(): number {
    return this.#now().getTime();
  }

  /**
   * Takes the lease when it is free or expired. Returns the syncs others noted while it was held
   * (and clears them), or null when someone else holds it.
   */
  async tryAcquire(accountId: string, owner: string): Promise<JobType[] | null> {
    const now = this.#clock();
    try {
      const result = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(accountId),
          UpdateExpression: "SET #owner = :owner, #until = :until, #exp = :exp REMOVE #pending",
          ConditionExpression: "attribute_not_exists(#owner) OR #until < :now",
          ExpressionAttributeNames: {
            "#owner": "owner",
            "#until": "leaseUntil",
            "#exp": TTL_ATTRIBUTE,
            "#pending": "pending",
          },
          ExpressionAttributeValues: {
            ":owner": owner,
            ":until": now + this.durationMs,
            ":exp": Math.floor((now + this.durationMs) / 1000) + DAY_SECONDS,
            ":now": now,
          },
          ReturnValues: "ALL_OLD",
        }),
      );
      return pendingOf(result.Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return null;
      throw translateError(error, "UpdateItem");
    }
  }

  /** Notes a sync for the current holder. False when nobody holds a live lease any more. */
  async markPending(accountId: string, type: JobType): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(accountId),
          UpdateExpression: "ADD #pending :type",
          ConditionExpression: "attribute_exists(#owner) AND #until >= :now",
          ExpressionAttributeNames: {
            "#pending": "pending",
            "#owner": "owner",
            "#until": "leaseUntil",
          },
          ExpressionAttributeValues: { ":type": new Set([type]), ":now": this.#clock() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateError(error, "UpdateItem");
    }
  }

  /** The syncs noted while we held the lease, cleared. Throws LeaseLost if it is no longer ours. */
  async takePending(accountId: string, owner: string): Promise<JobType[]> {
    const result = await this.#ownerUpdate(accountId, owner, {
      UpdateExpression: "REMOVE #pending",
      names: { "#pending": "pending" },
      values: {},
      returnOld: true,
    });
    return pendingOf(result) ?? [];
  }

  /** Pushes the expiry out again. Throws LeaseLost if the lease is no longer ours. */
  async extend(accountId: string, owner: string): Promise<void> {
    const until = this.#clock() + this.durationMs;
    await this.#ownerUpdate(accountId, owner, {
      UpdateExpression: "SET #until = :until, #exp = :exp",
      names: { "#until": "leaseUntil", "#exp": TTL_ATTRIBUTE },
      values: { ":until": until, ":exp": Math.floor(until / 1000) + DAY_SECONDS },
    });
  }

  /**
   * Gives the lease back unless a sync was noted meanwhile (then returns false: take the pending
   * syncs and run them first). Returns true also when the lease was already lost.
   */
  async releaseIfIdle(accountId: string, owner: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(accountId),
          UpdateExpression: "REMOVE #owner, #until",
          ConditionExpression: "#owner = :owner AND attribute_not_exists(#pending)",
          ExpressionAttributeNames: {
            "#owner": "owner",
            "#until": "leaseUntil",
            "#pending": "pending",
          },
          ExpressionAttributeValues: { ":owner": owner },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateError(error, "UpdateItem");
    }
    // Either another holder took over (nothing of ours to release) or a sync is pending.
    try {
      await this.assertHeld(accountId, owner);
      return false;
    } catch (error) {
      if (error instanceof LeaseLost) return true;
      throw error;
    }
  }

  /** Gives the lease back after a failure, keeping the noted syncs for the next holder. */
  async abandon(accountId: string, owner: string): Promise<void> {
    try {
      await this.#ownerUpdate(accountId, owner, {
        UpdateExpression: "REMOVE #owner, #until",
        names: { "#until": "leaseUntil" },
        values: {},
      });
    } catch (error) {
      if (!(error instanceof LeaseLost)) throw error;
    }
  }

  /** Throws LeaseLost unless `owner` holds the lease; changes nothing. */
  async assertHeld(accountId: string, owner: string): Promise<void> {
    await this.#ownerUpdate(accountId, owner, {
      UpdateExpression: "SET #owner = :owner",
      names: {},
      values: {},
    });
  }

  async #ownerUpdate(
    accountId: string,
    owner: string,
    update: {
      UpdateExpression: string;
      names: Record<string, string>;
      values: Record<string, unknown>;
      returnOld?: boolean;
    },
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(accountId),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { ...update.names, "#owner": "owner" },
          ExpressionAttributeValues: { ...update.values, ":owner": owner },
          ...(update.returnOld ? { ReturnValues: "ALL_OLD" } : {}),
        }),
      );
      return result.Attributes;
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new LeaseLost(`The sync lease of account ${accountId} was taken over`);
      }
      throw translateError(error, "UpdateItem");
    }
  }
}

function pendingOf(attributes: Record<string, unknown> | undefined): JobType[] {
  const parsed = LeaseItem.safeParse(attributes ?? {});
  if (!parsed.success || !parsed.data.pending) return [];
  return [...parsed.data.pending].sort();
}

/** What became of a job under the lease. */
export type LeaseOutcome = "ran" | "deferred";

export interface HeldLease {
  /** Extends the lease when a third of it has passed; throws LeaseLost if it was taken. */
  heartbeat(): Promise<void>;
}

/**
 * Runs `work` for `type` (and any syncs noted meanwhile) while holding the account's lease, or
 * notes `type` for the current holder and returns "deferred". A failure gives the lease back
 * (keeping what was noted) and rethrows, so the queue receives the job again.
 */
export async function withAccountLease(
  store: LeaseStore,
  accountId: string,
  type: JobType,
  work: (type: JobType, lease: HeldLease) => Promise<void>,
  options: { owner?: string; now?: () => number } = {},
): Promise<LeaseOutcome> {
  const owner = options.owner ?? randomUUID();
  const now = options.now ?? Date.now;
  let todo: JobType[] | null = null;
  for (let round = 0; round < ACQUIRE_ROUNDS && todo === null; round++) {
    const noted = await store.tryAcquire(accountId, owner);
    if (noted !== null) {
      todo = unique([type, ...noted]);
      break;
    }
    if (await store.markPending(accountId, type)) return "deferred";
    // The holder let go between our two writes: try to take it again.
  }
  if (todo === null) throw new LeaseLost(`Could not take or note the lease of ${accountId}`);

  let extendedAt = now();
  const lease: HeldLease = {
    async heartbeat() {
      if (now() - extendedAt < store.durationMs / 3) return;
      await store.extend(accountId, owner);
      extendedAt = now();
    },
  };
  try {
    for (;;) {
      for (const next of todo) await work(next, lease);
      todo = await store.takePending(accountId, owner);
      if (todo.length > 0) continue;
      if (await store.releaseIfIdle(accountId, owner)) return "ran";
      todo = await store.takePending(accountId, owner);
    }
  } catch (error) {
    await store.abandon(accountId, owner).catch(() => undefined);
    throw error;
  }
}

function unique(types: JobType[]): JobType[] {
  return [...new Set(types)];
}
