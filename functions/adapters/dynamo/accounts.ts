import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { DEFAULT_SETTINGS, parseSettings, type Settings } from "../../schemas/settings.ts";
import { documentClient } from "./client.ts";
import type { TokenCipher } from "./crypto.ts";
import { isConditionalCheckFailed, StoreError, translateError } from "./errors.ts";
import { AccountItem, type CalendarChannel, type Connection, parseItem } from "./items.ts";
import { decodeCursor, encodeCursor, type Page, pageLimit, startKeyOf } from "./paging.ts";
import { assertAccountId, INDEX, keys, sortableInstant } from "./table.ts";

/** One owner's account as the handlers see it. The refresh token is fetched on its own. */
export interface Account {
  accountId: string;
  email: string;
  settings: Settings;
  connection: Connection;
  gmail: {
    /** The last Gmail historyId synced to (a decimal string), or null before the first sync. */
    historyId: string | null;
    /** When the users.watch registration lapses (ISO 8601). */
    watchExpiration: string | null;
  };
  calendar: {
    syncToken: string | null;
    /** Bumped by every syncToken write: the compare-and-set version. */
    syncVersion: number;
    channel: CalendarChannel | null;
  };
  hasRefreshToken: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AccountStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Encrypts refresh tokens at rest; build it with TokenCipher.fromBase64(config value). */
  cipher: TokenCipher;
  now?: () => Date;
}

export type ConnectionUpdate =
  | { state: "connected" }
  | { state: "disconnected"; reason: string; forgetToken?: boolean };

/** The SET (and optional REMOVE) clauses of an account update, without the keywords. */
interface UpdateParts {
  set: string;
  remove?: string;
}

const Email = z.string().trim().toLowerCase().pipe(z.email());
const HistoryId = z.string().regex(/^\d{1,20}$/, "a Gmail historyId is a decimal number");
const HISTORY_WIDTH = 20;
const DELETE_BATCH = 25;
const MAX_DELETE_ROUNDS = 10_000;
const WRITE_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Owners' accounts: settings, encrypted Google refresh tokens, sync cursors, push channel
 * expiries and connection state, one item per account (keys: ./table.ts).
 *
 * Cursors move under optimistic concurrency because pushes, the periodic sweep and retries may
 * sync the same account at once: the Gmail historyId only ever moves forward (compared as a
 * zero-padded 20-digit string, so numbers beyond 2^53 compare exactly), and the Calendar
 * syncToken is compare-and-set on a version number.
 */
export class AccountStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #cipher: TokenCipher;
  readonly #now: () => Date;

  constructor(options: AccountStoreOptions) {
    this.#doc = documentClient(options.client);
    this.#table = options.tableName;
    this.#cipher = options.cipher;
    this.#now = options.now ?? (() => new Date());
  }

  /** Creates the account once; a second call returns the existing one unchanged. */
  async createAccount(input: {
    accountId: string;
    email: string;
    settings?: unknown;
  }): Promise<{ created: boolean; account: Account }> {
    const accountId = assertAccountId(input.accountId);
    const email = Email.safeParse(input.email);
    if (!email.success) throw new StoreError("invalid", "An account email must be an address");
    const settings =
      input.settings === undefined ? DEFAULT_SETTINGS : parseSettings(input.settings);
    const now = this.#now().toISOString();
    const item = {
      ...keys.account(accountId),
      ...keys.accountListing(accountId),
      type: "account",
      account: accountId,
      email: email.data,
      settings,
      connection: { state: "disconnected", reason: "not yet authorised with Google", at: now },
      historyId: null,
      watchExpiration: null,
      syncToken: null,
      syncVersion: 0,
      channel: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { created: true, account: toAccount(parseItem(AccountItem, item, "account")) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateError(error, "PutItem");
    }
    const existing = await this.getAccount(accountId);
    if (!existing) throw new StoreError("unavailable", `Account ${accountId} changed meanwhile`);
    return { created: false, account: existing };
  }

  async getAccount(accountId: string): Promise<Account | null> {
    const item = await this.#getItem(assertAccountId(accountId));
    return item ? toAccount(item) : null;
  }

  /** All accounts, ordered by id, a page at a time (for the scheduled jobs). */
  async listAccounts(options: { cursor?: string; limit?: number } = {}): Promise<Page<Account>> {
    const limit = pageLimit(options.limit, 100);
    const keyAttributes = ["pk", "sk", "gsi2pk", "gsi2sk"];
    const startKey = options.cursor
      ? decodeCursor(options.cursor, { gsi2pk: keys.accountsPartition })
      : undefined;
    const page = await this.#send("Query", () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: INDEX.listing,
          KeyConditionExpression: "gsi2pk = :p",
          ExpressionAttributeValues: { ":p": keys.accountsPartition },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const items = (page.Items ?? []).map((item) =>
      toAccount(parseItem(AccountItem, item, "account")),
    );
    const cursor = page.LastEvaluatedKey
      ? encodeCursor(startKeyOf(page.LastEvaluatedKey, keyAttributes))
      : null;
    return { items, cursor };
  }

  /** Validates with the same schema as `--settings FILE` and stores the result. */
  async putSettings(accountId: string, input: unknown): Promise<Settings> {
    let settings: Settings;
    try {
      settings = parseSettings(input);
    } catch (error) {
      const message = error instanceof Error ? error.message : "Invalid settings";
      throw new StoreError("invalid", message, { cause: error });
    }
    await this.#update(
      accountId,
      { set: "#settings = :settings" },
      {
        names: { "#settings": "settings" },
        values: { ":settings": settings },
      },
    );
    return settings;
  }

  /** Stores a refresh token encrypted, and marks the account connected. */
  async setRefreshToken(accountId: string, refreshToken: string): Promise<void> {
    const id = assertAccountId(accountId);
    if (refreshToken.length === 0) throw new StoreError("invalid", "The refresh token is empty");
    const sealed = this.#cipher.seal(refreshToken, tokenContext(id));
    await this.#update(
      id,
      { set: "#token = :token, #connection = :connection" },
      {
        names: { "#token": "refreshToken", "#connection": "connection" },
        values: {
          ":token": sealed,
          ":connection": { state: "connected", at: this.#now().toISOString() },
        },
      },
    );
  }

  /** The decrypted refresh token, or null when none is stored. */
  async getRefreshToken(accountId: string): Promise<string | null> {
    const id = assertAccountId(accountId);
    const item = await this.#getItem(id);
    if (!item) throw notFound(id);
    return item.refreshToken ? this.#cipher.open(item.refreshToken, tokenContext(id)) : null;
  }

  /**
   * Records the connection state at the store's clock. `forgetToken` drops the stored refresh
   * token too (after Google answered invalid_grant, or the owner disconnected).
   */
  async setConnection(accountId: string, update: ConnectionUpdate): Promise<void> {
    const at = this.#now().toISOString();
    const connection =
      update.state === "connected"
        ? { state: "connected", at }
        : { state: "disconnected", reason: update.reason, at };
    const forget = update.state === "disconnected" && update.forgetToken === true;
    await this.#update(
      accountId,
      { set: "#connection = :connection", ...(forget ? { remove: "#token" } : {}) },
      {
        names: { "#connection": "connection", ...(forget ? { "#token": "refreshToken" } : {}) },
        values: { ":connection": connection },
      },
    );
  }

  /**
   * Moves the Gmail historyId forward. Returns false (changing nothing) when the stored one is
   * already at or past it: a slower concurrent sync can never move the cursor back.
   */
  async advanceHistoryId(accountId: string, historyId: string): Promise<boolean> {
    const parsed = HistoryId.safeParse(historyId);
    if (!parsed.success) throw new StoreError("invalid", "A Gmail historyId is a decimal number");
    const normalised = BigInt(parsed.data).toString();
    return this.#conditional(
      accountId,
      { set: "#history = :history, #historyKey = :key" },
      "attribute_not_exists(#historyKey) OR #historyKey < :key",
      {
        names: { "#history": "historyId", "#historyKey": "historyKey" },
        values: { ":history": normalised, ":key": normalised.padStart(HISTORY_WIDTH, "0") },
      },
    );
  }

  /**
   * Compare-and-set of the Calendar syncToken (null after a 410, to force a full sync). Succeeds
   * only when the stored version is still `expectedVersion`; returns the version now stored.
   */
  async setCalendarSyncToken(
    accountId: string,
    update: { syncToken: string | null; expectedVersion: number },
  ): Promise<{ updated: boolean; version: number }> {
    const { syncToken, expectedVersion } = update;
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new StoreError("invalid", "expectedVersion is a whole number");
    }
    const updated = await this.#conditional(
      accountId,
      { set: "#token = :token, #version = :next" },
      "#version = :expected",
      {
        names: { "#token": "syncToken", "#version": "syncVersion" },
        values: { ":token": syncToken, ":next": expectedVersion + 1, ":expected": expectedVersion },
      },
    );
    if (updated) return { updated, version: expectedVersion + 1 };
    const current = await this.getAccount(accountId);
    if (!current) throw notFound(accountId);
    return { updated, version: current.calendar.syncVersion };
  }

  /** When the Gmail users.watch registration expires (Gmail's `expiration`). */
  async setGmailWatch(accountId: string, watch: { expiration: Date }): Promise<void> {
    await this.#update(
      accountId,
      { set: "#watch = :watch" },
      {
        names: { "#watch": "watchExpiration" },
        values: { ":watch": sortableInstant(watch.expiration) },
      },
    );
  }

  /** The Calendar push channel now registered, or null once stopped. */
  async setCalendarChannel(
    accountId: string,
    channel: { id: string; resourceId: string; expiration: Date } | null,
  ): Promise<void> {
    const value = channel
      ? {
          id: channel.id,
          resourceId: channel.resourceId,
          expiration: sortableInstant(channel.expiration),
        }
      : null;
    await this.#update(
      accountId,
      { set: "#channel = :channel" },
      {
        names: { "#channel": "channel" },
        values: { ":channel": value },
      },
    );
  }

  /**
   * Removes every item of the account: the account item first (so listings and new work stop
   * seeing it), then everything else in its partition. Returns how many items were deleted.
   */
  async deleteAccount(accountId: string): Promise<number> {
    const id = assertAccountId(accountId);
    const removed = await this.#send("DeleteItem", () =>
      this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keys.account(id),
          ReturnValues: "ALL_OLD",
        }),
      ),
    );
    let deleted = removed.Attributes ? 1 : 0;
    for (let round = 0; round < MAX_DELETE_ROUNDS; round++) {
      const page = await this.#send("Query", () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: "pk = :p",
            ExpressionAttributeValues: { ":p": keys.partition(id) },
            ProjectionExpression: "pk, sk",
            ConsistentRead: true,
          }),
        ),
      );
      const found = (page.Items ?? []).map((item) => startKeyOf(item, ["pk", "sk"]));
      if (found.length === 0) return deleted;
      for (let start = 0; start < found.length; start += DELETE_BATCH) {
        await this.#batchDelete(found.slice(start, start + DELETE_BATCH));
      }
      deleted += found.length;
    }
    throw new StoreError("unavailable", `Account ${id} kept receiving items while deleting`);
  }

  async #batchDelete(itemKeys: Record<string, string>[]): Promise<void> {
    let pending = itemKeys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 1; ; attempt++) {
      const result = await this.#send("BatchWriteItem", () =>
        this.#doc.send(new BatchWriteCommand({ RequestItems: { [this.#table]: pending } })),
      );
      const left = result.UnprocessedItems?.[this.#table] ?? [];
      const next = left.flatMap((request) => {
        const key = request.DeleteRequest?.Key;
        return key ? [{ DeleteRequest: { Key: startKeyOf(key, ["pk", "sk"]) } }] : [];
      });
      if (next.length === 0) return;
      if (attempt >= WRITE_ATTEMPTS) {
        throw new StoreError("throttled", "DynamoDB left deletions unprocessed after every retry");
      }
      pending = next;
      await sleep(25 * 2 ** attempt);
    }
  }

  async #getItem(accountId: string): Promise<AccountItem | null> {
    const result = await this.#send("GetItem", () =>
      this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: keys.account(accountId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!result.Item) return null;
    const item = parseItem(AccountItem, result.Item, "account");
    if (item.account !== accountId) {
      throw new StoreError("corrupt", "An account item names another account");
    }
    return item;
  }

  /** An update of an existing account; throws not_found when there is none. */
  async #update(
    accountId: string,
    expression: UpdateParts,
    attributes: { names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<void> {
    const id = assertAccountId(accountId);
    const done = await this.#conditional(id, expression, null, attributes);
    if (!done) throw notFound(id);
  }

  /**
   * A conditional update of an existing account. Returns false when `condition` failed; throws
   * not_found when the account does not exist (told apart with one read, on that path only).
   */
  async #conditional(
    accountId: string,
    expression: UpdateParts,
    condition: string | null,
    attributes: { names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<boolean> {
    const id = assertAccountId(accountId);
    const update = `SET ${expression.set}, #updatedAt = :updatedAt${expression.remove ? ` REMOVE ${expression.remove}` : ""}`;
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.account(id),
          UpdateExpression: update,
          ConditionExpression: condition
            ? `attribute_exists(pk) AND (${condition})`
            : "attribute_exists(pk)",
          ExpressionAttributeNames: { ...attributes.names, "#updatedAt": "updatedAt" },
          ExpressionAttributeValues: {
            ...attributes.values,
            ":updatedAt": this.#now().toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateError(error, "UpdateItem");
    }
    if (condition === null) return false;
    if (!(await this.#getItem(id))) throw notFound(id);
    return false;
  }

  async #send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateError(error, operation);
    }
  }
}

/** Binds a sealed token to its account: copied onto another account's item, it fails to open. */
function tokenContext(accountId: string): string {
  return `decorum:refresh-token:${accountId}`;
}

function notFound(accountId: string): StoreError {
  return new StoreError("not_found", `No account ${accountId}`);
}

function toAccount(item: AccountItem): Account {
  return {
    accountId: item.account,
    email: item.email,
    settings: item.settings,
    connection: item.connection,
    gmail: { historyId: item.historyId, watchExpiration: item.watchExpiration },
    calendar: { syncToken: item.syncToken, syncVersion: item.syncVersion, channel: item.channel },
    hasRefreshToken: item.refreshToken !== undefined,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}
