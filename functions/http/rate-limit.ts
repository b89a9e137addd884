import { createHash } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { type TableAccess, type TableOptions, tableAccess } from "../adapters/dynamo/client.ts";
import { translateError } from "../adapters/dynamo/errors.ts";
import { TTL_ATTRIBUTE } from "../adapters/dynamo/table.ts";

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(bucket: string, key: string, rule: RateRule): Promise<RateDecision>;
}

const Counted = z.object({ hits: z.number() });

/**
 * Fixed-window counters in DynamoDB with TTL. Why DynamoDB: each Lambda instance has its own
 * memory, so an in-memory bucket would let N instances allow N times the limit. Why a fixed
 * window rather than a token bucket: a window is one atomic UpdateItem (`ADD hits 1`, returning
 * the new count) with no read-modify-write race and no transaction (which dynalite lacks); a
 * token bucket needs a read and a conditional write, retried under contention. The price is that
 * a burst straddling two windows can reach twice the limit, which is fine for slowing down
 * sign-in attempts and try-it submissions. Keys (IPs, account ids) are stored hashed.
 *
 * | item         | pk                      | sk             | attributes       |
 * |--------------|-------------------------|----------------|------------------|
 * | rate counter | RL#<bucket>#<sha(key)>  | W#<windowStart>| hits, expiresAt  |
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly #db: TableAccess;

  constructor(options: TableOptions) {
    this.#db = tableAccess(options);
  }

  async take(bucket: string, key: string, rule: RateRule): Promise<RateDecision> {
    const nowSeconds = Math.floor(this.#db.now().getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % rule.windowSeconds);
    const windowEnd = windowStart + rule.windowSeconds;
    const digest = createHash("sha256").update(key).digest("base64url").slice(0, 32);
    let hits: number;
    try {
      const result = await this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#db.table,
          Key: { pk: `RL#${bucket}#${digest}`, sk: `W#${windowStart}` },
          UpdateExpression: "ADD #hits :one SET #exp = :exp, #type = :type",
          ExpressionAttributeNames: { "#hits": "hits", "#exp": TTL_ATTRIBUTE, "#type": "type" },
          ExpressionAttributeValues: { ":one": 1, ":exp": windowEnd + 60, ":type": "rate" },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      hits = Counted.parse(result.Attributes).hits;
    } catch (error) {
      throw translateError(error, "UpdateItem");
    }
    return { allowed: hits <= rule.limit, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
  }
}
