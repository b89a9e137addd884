import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type TableAccess, type TableOptions, tableAccess } from "./client.ts";
import { translateError } from "./errors.ts";
import { assertAccountId, keys, TABLE, TTL_ATTRIBUTE } from "./table.ts";

/**
 * Messages Decorum fetched but could not read, for the weekly summary's account health. One item
 * per message in the account's partition (so deleting the account deletes them), keyed by the
 * message's arrival and source so a retried sync records it once:
 *
 * | item          | pk        | sk                              |
 * |---------------|-----------|---------------------------------|
 * | parse failure | A#<acct>  | FAIL#<arrival ISO>#<source>     |
 */

const HASH_KEY = TABLE.primaryIndex.hashKey;
const RANGE_KEY = TABLE.primaryIndex.rangeKey;
const PREFIX = "FAIL#";

export interface ParseFailureEntry {
  /** Where the message came from, e.g. `gmail:<id>`. */
  source: string;
  /** When the message arrived. */
  at: Date;
  error: string;
}

export class ParseFailureLog {
  readonly #db: TableAccess;
  readonly #retentionSeconds: number;

  constructor(options: TableOptions & { retentionDays?: number }) {
    this.#db = tableAccess(options);
    this.#retentionSeconds = (options.retentionDays ?? 120) * 86_400;
  }

  /** Records a failure; recording the same message again changes nothing. */
  async record(accountId: string, failure: ParseFailureEntry): Promise<void> {
    const id = assertAccountId(accountId);
    try {
      await this.#db.doc.send(
        new PutCommand({
          TableName: this.#db.table,
          Item: {
            [HASH_KEY]: keys.partition(id),
            [RANGE_KEY]: `${PREFIX}${failure.at.toISOString()}#${failure.source}`,
            account: id,
            source: failure.source,
            error: failure.error.slice(0, 500),
            [TTL_ATTRIBUTE]: Math.floor(this.#db.now().getTime() / 1000) + this.#retentionSeconds,
          },
        }),
      );
    } catch (error) {
      throw translateError(error, "recording a message that could not be read");
    }
  }

  /** How many messages that arrived in [from, to) could not be read (expired ones excluded). */
  async count(accountId: string, window: { from: Date; to: Date }): Promise<number> {
    const id = assertAccountId(accountId);
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const page = await this.#db.doc.send(
          new QueryCommand({
            TableName: this.#db.table,
            KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
            FilterExpression: "#ttl > :now",
            ExpressionAttributeNames: { "#pk": HASH_KEY, "#sk": RANGE_KEY, "#ttl": TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ":pk": keys.partition(id),
              ":from": `${PREFIX}${window.from.toISOString()}`,
              // "$" sorts after "#", so every source of the last instant before `to` is inside.
              ":to": `${PREFIX}${new Date(window.to.getTime() - 1).toISOString()}$`,
              ":now": Math.floor(this.#db.now().getTime() / 1000),
            },
            Select: "COUNT",
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      throw translateError(error, "counting messages that could not be read");
    }
    return count;
  }
}
