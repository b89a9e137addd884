import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { documentClient } from "./client.ts";
import { isConditionalCheckFailed, StoreError, translateError } from "./errors.ts";
import { parseItem } from "./items.ts";
import { assertAccountId, keys, TABLE, TTL_ATTRIBUTE } from "./table.ts";

/**
 * The weekly summary's once-per-week marker: one item per account and ISO week, in the account's
 * partition (so deleting the account deletes its markers), written with a conditional PutItem
 * *before* the summary is sent. Whoever creates the item sends; everyone else skips. That holds
 * across concurrent runs and retries without transactions (which dynalite lacks).
 *
 * | item            | pk        | sk                    |
 * |-----------------|-----------|-----------------------|
 * | summary marker  | A#<acct>  | SUMMARY#<YYYY-Www>    |
 *
 * A claim carries a random token; only its holder may complete or release it, so a slow first
 * run can never overwrite what a later one recorded.
 */

const HASH_KEY = TABLE.primaryIndex.hashKey;
const RANGE_KEY = TABLE.primaryIndex.rangeKey;
const WEEK = /^\d{4}-W\d{2}$/;
const DAY_SECONDS = 86_400;
/** Markers outlive the week they guard by far: they also answer "when was the last summary". */
const DEFAULT_RETENTION_DAYS = 120;

export type MarkerStatus = "claimed" | "sent" | "skipped_empty" | "failed";

const MarkerItem = z.object({
  account: z.string(),
  week: z.string(),
  status: z.enum(["claimed", "sent", "skipped_empty", "failed"]),
  token: z.string(),
  claimedAt: z.string(),
  updatedAt: z.string(),
  messageId: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
});

export interface SummaryMarker {
  accountId: string;
  week: string;
  status: MarkerStatus;
  token: string;
  claimedAt: string;
  updatedAt: string;
  /** Gmail's id of the sent summary. */
  messageId: string | null;
  error: string | null;
}

export type MarkerOutcome =
  | { status: "sent"; messageId: string }
  | { status: "failed"; error: string };

export interface SummaryMarkersOptions {
  client: DynamoDBClient;
  tableName: string;
  retentionDays?: number;
  now?: () => Date;
}

export class SummaryMarkers {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  constructor(options: SummaryMarkersOptions) {
    this.#doc = documentClient(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_SECONDS;
    this.#now = options.now ?? (() => new Date());
  }

  /** The week's marker, or null when no run has claimed it. Strongly consistent. */
  async get(accountId: string, week: string): Promise<SummaryMarker | null> {
    const result = await this.#send("GetItem", () =>
      this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: markerKey(accountId, week),
          ConsistentRead: true,
        }),
      ),
    );
    if (!result.Item) return null;
    return toMarker(parseItem(MarkerItem, result.Item, "summary marker"));
  }

  /**
   * Claims the week for one run: true when this call created the marker, false when another run
   * (or an earlier attempt of this one) already has. `status` "skipped_empty" records a week the
   * owner chose not to hear about, so later ticks skip it without rebuilding the summary.
   */
  async claim(
    accountId: string,
    week: string,
    claim: { token: string; status?: "claimed" | "skipped_empty" },
  ): Promise<boolean> {
    const now = this.#now();
    const item = {
      ...markerKey(accountId, week),
      type: "summary-marker",
      account: accountId,
      week,
      status: claim.status ?? "claimed",
      token: claim.token,
      claimedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      messageId: null,
      error: null,
      [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + this.#retentionSeconds,
    };
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": HASH_KEY },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateError(error, "PutItem");
    }
  }

  /** Records how the claimed week ended. False when the claim is not this token's (any more). */
  async complete(
    accountId: string,
    week: string,
    token: string,
    outcome: MarkerOutcome,
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: markerKey(accountId, week),
          UpdateExpression:
            "SET #status = :status, #messageId = :messageId, #error = :error, #updatedAt = :now",
          ConditionExpression: "#token = :token AND #status = :claimed",
          ExpressionAttributeNames: {
            "#status": "status",
            "#messageId": "messageId",
            "#error": "error",
            "#updatedAt": "updatedAt",
            "#token": "token",
          },
          ExpressionAttributeValues: {
            ":status": outcome.status,
            ":messageId": outcome.status === "sent" ? outcome.messageId : null,
            ":error": outcome.status === "failed" ? outcome.error.slice(0, 1000) : null,
            ":now": this.#now().toISOString(),
            ":token": token,
            ":claimed": "claimed",
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateError(error, "UpdateItem");
    }
  }

  /**
   * Gives the week back, for when the send certainly did not happen (Google refused it without
   * acting): a later tick may try again. Only the holder of a still-open claim can release it.
   */
  async release(accountId: string, week: string, token: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: markerKey(accountId, week),
          ConditionExpression: "#token = :token AND #status = :claimed",
          ExpressionAttributeNames: { "#token": "token", "#status": "status" },
          ExpressionAttributeValues: { ":token": token, ":claimed": "claimed" },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateError(error, "DeleteItem");
    }
  }

  async #send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateError(error, operation);
    }
  }
}

function markerKey(accountId: string, week: string): Record<string, string> {
  if (!WEEK.test(week)) throw new StoreError("invalid", `Not an ISO week key: ${week}`);
  return {
    [HASH_KEY]: keys.partition(assertAccountId(accountId)),
    [RANGE_KEY]: `SUMMARY#${week}`,
  };
}

function toMarker(item: z.infer<typeof MarkerItem>): SummaryMarker {
  return {
    accountId: item.account,
    week: item.week,
    status: item.status,
    token: item.token,
    claimedAt: item.claimedAt,
    updatedAt: item.updatedAt,
    messageId: item.messageId,
    error: item.error,
  };
}
