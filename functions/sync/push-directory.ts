import { createHash, timingSafeEqual } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { documentClient } from "../adapters/dynamo/client.ts";
import { isConditionalCheckFailed, translateError } from "../adapters/dynamo/errors.ts";
import { assertAccountId, TTL_ATTRIBUTE } from "../adapters/dynamo/table.ts";

/**
 * How a push finds its account. A Gmail notification names only the mailbox's address, a
 * Calendar one only its channel id, while accounts are keyed by Google's subject id: so the
 * watch code writes one small routing item per mailbox and per channel, and the push endpoint
 * reads one item per push (no Scan, no account listing).
 *
 * | item          | pk                      | sk     | attributes                                   |
 * |---------------|-------------------------|--------|----------------------------------------------|
 * | Gmail route   | PUSH#GMAIL#<address>    | ROUTE  | account                                      |
 * | Calendar route| PUSH#CAL#<channel id>   | ROUTE  | account, tokenHash, resourceId, expiresAt    |
 *
 * They sit outside the account's partition because the push does not know the account yet. A
 * route whose account was deleted leads nowhere: the worker finds no account and drops the job.
 * Calendar routes expire (table TTL) a day after their channel. Only a SHA-256 of the channel's
 * secret token is kept; the token itself is known to Google and to no stored item.
 */

export interface CalendarRoute {
  accountId: string;
  channelId: string;
  resourceId: string;
  expiration: Date;
  tokenHash: string;
}

export interface PushDirectoryOptions {
  client: DynamoDBClient;
  tableName: string;
}

const SK = "ROUTE";
const GmailRouteItem = z.object({ account: z.string() });
const CalendarRouteItem = z.object({
  account: z.string(),
  channelId: z.string(),
  resourceId: z.string(),
  expiration: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
});

function gmailKey(address: string) {
  return { pk: `PUSH#GMAIL#${address.trim().toLowerCase()}`, sk: SK };
}

function channelKey(channelId: string) {
  return { pk: `PUSH#CAL#${channelId}`, sk: SK };
}

export function hashChannelToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Compares a presented channel token with the stored hash in constant time. */
export function channelTokenMatches(
  route: Pick<CalendarRoute, "tokenHash">,
  token: string,
): boolean {
  const presented = Buffer.from(hashChannelToken(token), "hex");
  const stored = Buffer.from(route.tokenHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export class PushDirectory {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: PushDirectoryOptions) {
    this.#doc = documentClient(options.client);
    this.#table = options.tableName;
  }

  async putGmailRoute(address: string, accountId: string): Promise<void> {
    await this.#send("PutItem", () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...gmailKey(address), type: "push-route", account: assertAccountId(accountId) },
        }),
      ),
    );
  }

  /** The account whose mailbox this is, or null. */
  async gmailAccount(address: string): Promise<string | null> {
    const result = await this.#send("GetItem", () =>
      this.#doc.send(new GetCommand({ TableName: this.#table, Key: gmailKey(address) })),
    );
    const parsed = GmailRouteItem.safeParse(result.Item);
    return parsed.success ? parsed.data.account : null;
  }

  /** Removes the route if it still points at this account (another may have connected it since). */
  async deleteGmailRoute(address: string, accountId: string): Promise<void> {
    await this.#deleteIf(gmailKey(address), accountId);
  }

  async putCalendarRoute(route: {
    accountId: string;
    channelId: string;
    resourceId: string;
    expiration: Date;
    token: string;
  }): Promise<void> {
    await this.#send("PutItem", () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...channelKey(route.channelId),
            type: "push-route",
            account: assertAccountId(route.accountId),
            channelId: route.channelId,
            resourceId: route.resourceId,
            expiration: route.expiration.toISOString(),
            tokenHash: hashChannelToken(route.token),
            [TTL_ATTRIBUTE]: Math.floor(route.expiration.getTime() / 1000) + 86_400,
          },
        }),
      ),
    );
  }

  async calendarRoute(channelId: string): Promise<CalendarRoute | null> {
    if (channelId.length === 0 || channelId.length > 64) return null;
    const result = await this.#send("GetItem", () =>
      this.#doc.send(new GetCommand({ TableName: this.#table, Key: channelKey(channelId) })),
    );
    const parsed = CalendarRouteItem.safeParse(result.Item);
    if (!parsed.success) return null;
    const { account, expiration, ...rest } = parsed.data;
    return { ...rest, accountId: account, expiration: new Date(expiration) };
  }

  async deleteCalendarRoute(channelId: string, accountId: string): Promise<void> {
    await this.#deleteIf(channelKey(channelId), accountId);
  }

  async #deleteIf(key: { pk: string; sk: string }, accountId: string): Promise<void> {
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: key,
          ConditionExpression: "attribute_not_exists(pk) OR #account = :account",
          ExpressionAttributeNames: { "#account": "account" },
          ExpressionAttributeValues: { ":account": accountId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateError(error, "DeleteItem");
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
