import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { CountWindow, DraftState, Ledger, LedgerRecord } from "../../core/ledger.ts";
import type { Category } from "../../core/vocabulary.ts";
import { DEFAULT_SETTINGS } from "../../schemas/settings.ts";
import { documentClient } from "./client.ts";
import { isConditionalCheckFailed, StoreError, translateError } from "./errors.ts";
import {
  ClientItem,
  DraftStateSchema,
  InvitationItem,
  LedgerRecordSchema,
  parseItem,
} from "./items.ts";
import { decodeCursor, encodeCursor, type Page, pageLimit, startKeyOf } from "./paging.ts";
import { assertAccountId, INDEX, keys, sortableInstant, TTL_ATTRIBUTE } from "./table.ts";

export interface DynamoLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  /** The account every key of this ledger belongs to. */
  accountId: string;
  /** Invitation records expire this many days after they arrived (settings.retentionDays). */
  retentionDays?: number;
  now?: () => Date;
}

export interface ListInvitationsOptions {
  client?: string;
  category?: Category;
  /** 1…1000, default 50. */
  limit?: number;
  /** From the previous page. */
  cursor?: string;
}

const DAY_SECONDS = 86_400;
/** How long a first-seen date read by `lookup` may stand in for a count (see countInvitations). */
const FIRST_SEEN_FRESH_MS = 60_000;
const MEMO_LIMIT = 1_000;
const BATCH_GET_ATTEMPTS = 6;

/**
 * What this ledger instance knows of a client's first-seen date. `atMost` is an upper bound
 * that stays true forever (first-seen only moves earlier); `read` is the exact value as read or
 * written at `readAt`, which another process may since have moved earlier.
 */
interface FirstSeenMemo {
  atMost: number | null;
  read: { firstSeen: number | null; readAt: number } | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ledger of one account on DynamoDB (table design and its reasons: ./table.ts).
 *
 * Request budget, as the triage pipeline uses it (lookup → countInvitations → record →
 * noteCorrespondence): `lookup` is one BatchGetItem, `countInvitations` one Query, `record` one
 * conditional PutItem, `noteCorrespondence` one conditional UpdateItem. Like MemoryLedger,
 * `record` also notes correspondence with the invitation's client; it and the calls after it
 * skip requests this instance can prove unnecessary, from what `lookup` read:
 * - a note at a time no earlier than a known first-seen date changes nothing, so it is skipped;
 * - every recorded invitation was noted, so its client's first-seen date is no later than its
 *   arrival: for a client `lookup` just found never seen (or first seen after the window), the
 *   count is 0 without a Query.
 * So an invitation costs at most 3 requests and a non-invitation at most 1. The second rule
 * trusts a read for at most a minute; within it, another process recording an older message of
 * the same client can go unseen, the same race a Query on the (eventually consistent) index has.
 * If `record` crashes between its write and its note, a later note of that client (the pipeline
 * notes whenever first-seen is null) restores the rule.
 */
export class DynamoLedger implements Ledger {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #account: string;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;
  readonly #memo = new Map<string, FirstSeenMemo>();

  constructor(options: DynamoLedgerOptions) {
    this.#doc = documentClient(options.client);
    this.#table = options.tableName;
    this.#account = assertAccountId(options.accountId);
    const days = options.retentionDays ?? DEFAULT_SETTINGS.retentionDays;
    if (!Number.isInteger(days) || days < 1) {
      throw new StoreError("invalid", "retentionDays must be a positive whole number");
    }
    this.#retentionSeconds = days * DAY_SECONDS;
    this.#now = options.now ?? (() => new Date());
  }

  get accountId(): string {
    return this.#account;
  }

  async lookup(
    key: string,
    client: string | null,
  ): Promise<{ existing: LedgerRecord | null; firstSeen: Date | null }> {
    const invitationKey = keys.invitation(this.#account, key);
    const clientKey = client ? keys.client(this.#account, client) : null;
    const items = await this.#batchGet(clientKey ? [invitationKey, clientKey] : [invitationKey]);
    const invitation = items.find((item) => item.sk === invitationKey.sk);
    const clientItem = clientKey ? items.find((item) => item.sk === clientKey.sk) : undefined;

    const existing = invitation ? this.#liveRecord(invitation) : null;
    let firstSeen: Date | null = null;
    if (client && clientItem) {
      const parsed = parseItem(ClientItem, clientItem, "client");
      this.#assertOwn(parsed.account);
      firstSeen = new Date(parsed.firstSeen);
    }
    if (client) this.#rememberRead(client, firstSeen ? firstSeen.getTime() : null);
    return { existing, firstSeen };
  }

  async countInvitations(client: string, window: CountWindow): Promise<number> {
    const from = window.from.getTime();
    const to = window.to.getTime();
    if (window.categories.length === 0 || !(to > from)) return 0;
    const read = this.#freshRead(client);
    if (read && (read.firstSeen === null || to <= read.firstSeen)) return 0;

    const categories = [...new Set(window.categories)];
    const values: Record<string, unknown> = {
      ":p": keys.byClient(this.#account, client),
      ":from": sortableInstant(window.from),
      ":to": sortableInstant(window.to),
      ":now": this.#nowSeconds(),
    };
    categories.forEach((category, index) => {
      values[`:c${index}`] = category;
    });
    const input: QueryCommandInput = {
      TableName: this.#table,
      IndexName: INDEX.byClient,
      // Sort keys are `<instant>#<key>`, so BETWEEN from AND to includes `from` and excludes `to`.
      KeyConditionExpression: "gsi1pk = :p AND gsi1sk BETWEEN :from AND :to",
      FilterExpression: `#category IN (${categories.map((_, i) => `:c${i}`).join(", ")}) AND #exp > :now`,
      ExpressionAttributeNames: { "#category": "category", "#exp": TTL_ATTRIBUTE },
      ExpressionAttributeValues: values,
      Select: "COUNT",
    };
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#send("Query", () =>
        this.#doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async record(input: LedgerRecord): Promise<{ created: boolean; record: LedgerRecord }> {
    const parsed = LedgerRecordSchema.safeParse(input);
    if (!parsed.success) {
      throw new StoreError("invalid", `Not a ledger record: ${parsed.error.issues[0]?.message}`);
    }
    const record = parsed.data;
    const arrival = keys.arrival(record.receivedAt, record.key);
    const nowSeconds = this.#nowSeconds();
    const receivedSeconds = Math.floor(Date.parse(record.receivedAt) / 1000);
    const item = {
      ...record,
      ...keys.invitation(this.#account, record.key),
      type: "invitation",
      account: this.#account,
      ...(record.client
        ? { gsi1pk: keys.byClient(this.#account, record.client), gsi1sk: arrival }
        : {}),
      gsi2pk: keys.invitations(this.#account),
      gsi2sk: arrival,
      // From arrival, but never from a future date a sender wrote into a header.
      [TTL_ATTRIBUTE]: Math.min(receivedSeconds, nowSeconds) + this.#retentionSeconds,
    };
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          // An expired item still awaiting TTL deletion counts as absent, as it does on reads.
          ConditionExpression: "attribute_not_exists(pk) OR #exp <= :now",
          ExpressionAttributeNames: { "#exp": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": nowSeconds },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateError(error, "PutItem");
      const existing = await this.#get(record.key);
      if (existing) return { created: false, record: existing };
      throw new StoreError("unavailable", `Invitation ${record.key} changed while recording it`);
    }
    if (record.client) await this.noteCorrespondence(record.client, new Date(record.receivedAt));
    return { created: true, record };
  }

  async noteCorrespondence(client: string, at: Date): Promise<void> {
    const instant = sortableInstant(at);
    const time = at.getTime();
    const memo = this.#memo.get(client);
    if (memo?.atMost != null && memo.atMost <= time) return;
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.client(this.#account, client),
          UpdateExpression:
            "SET #first = :at, #account = :account, #client = :client, #type = :type",
          ConditionExpression: "attribute_not_exists(#first) OR #first > :at",
          ExpressionAttributeNames: {
            "#first": "firstSeen",
            "#account": "account",
            "#client": "client",
            "#type": "type",
          },
          ExpressionAttributeValues: {
            ":at": instant,
            ":account": this.#account,
            ":client": client,
            ":type": "client",
          },
        }),
      );
      this.#remember(client, { atMost: time, read: { firstSeen: time, readAt: this.#clock() } });
    } catch (error) {
      // Already first seen at or before `at`: the normal case for a known client.
      if (!isConditionalCheckFailed(error)) throw translateError(error, "UpdateItem");
      this.#remember(client, { atMost: time, read: null });
    }
  }

  async setDraftState(key: string, draft: DraftState): Promise<boolean> {
    const parsed = DraftStateSchema.safeParse(draft);
    if (!parsed.success) throw new StoreError("invalid", "Not a draft state");
    return this.#conditionalUpdate(key, {
      UpdateExpression: "SET #draft = :draft",
      ConditionExpression: "attribute_exists(pk) AND #exp > :now",
      ExpressionAttributeNames: { "#draft": "draft", "#exp": TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ":draft": parsed.data, ":now": this.#nowSeconds() },
    });
  }

  /**
   * Moves a record's draft from "decided" to "drafting", once: of any number of concurrent
   * callers exactly one gets true and may call drafts.create. False when the record is absent
   * or its draft is not "decided".
   */
  async claimDraft(key: string): Promise<boolean> {
    const drafting: DraftState = { state: "drafting", startedAt: this.#now().toISOString() };
    return this.#conditionalUpdate(key, {
      UpdateExpression: "SET #draft = :drafting",
      ConditionExpression: "#draft.#state = :decided AND #exp > :now",
      ExpressionAttributeNames: { "#draft": "draft", "#state": "state", "#exp": TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ":drafting": drafting,
        ":decided": "decided",
        ":now": this.#nowSeconds(),
      },
    });
  }

  /**
   * Invitations that arrived in [from, to), newest first, a page at a time: by client (gsi1) or
   * across the account (gsi2). Expired records are left out.
   */
  async listInvitations(
    range: { from: Date; to: Date },
    options: ListInvitationsOptions = {},
  ): Promise<Page<LedgerRecord>> {
    const limit = pageLimit(options.limit, 50);
    if (!(range.to.getTime() > range.from.getTime())) return { items: [], cursor: null };
    const byClient = options.client !== undefined;
    const [hashKey, rangeKey] = byClient ? ["gsi1pk", "gsi1sk"] : ["gsi2pk", "gsi2sk"];
    const partition =
      options.client !== undefined
        ? keys.byClient(this.#account, options.client)
        : keys.invitations(this.#account);
    const keyAttributes = ["pk", "sk", hashKey, rangeKey];
    const names: Record<string, string> = { "#exp": TTL_ATTRIBUTE };
    const values: Record<string, unknown> = {
      ":p": partition,
      ":from": sortableInstant(range.from),
      ":to": sortableInstant(range.to),
      ":now": this.#nowSeconds(),
    };
    let filter = "#exp > :now";
    if (options.category) {
      names["#category"] = "category";
      values[":category"] = options.category;
      filter += " AND #category = :category";
    }
    let startKey: Record<string, string> | undefined = options.cursor
      ? decodeCursor(options.cursor, { pk: keys.partition(this.#account), [hashKey]: partition })
      : undefined;

    const records: LedgerRecord[] = [];
    for (;;) {
      const page = await this.#send("Query", () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: byClient ? INDEX.byClient : INDEX.listing,
            KeyConditionExpression: `${hashKey} = :p AND ${rangeKey} BETWEEN :from AND :to`,
            FilterExpression: filter,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            // One more than needed tells whether another page exists without a second Query.
            Limit: Math.min(1000, Math.max(limit + 1, 25)),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      let previous: Record<string, unknown> | undefined;
      for (const item of page.Items ?? []) {
        if (records.length === limit && previous) {
          // More matched than fit: the next page starts after the last one returned.
          return { items: records, cursor: encodeCursor(startKeyOf(previous, keyAttributes)) };
        }
        const record = this.#liveRecord(item);
        if (record) records.push(record);
        previous = item;
      }
      if (!page.LastEvaluatedKey) return { items: records, cursor: null };
      startKey = startKeyOf(page.LastEvaluatedKey, keyAttributes);
      if (records.length === limit) return { items: records, cursor: encodeCursor(startKey) };
    }
  }

  async #get(key: string): Promise<LedgerRecord | null> {
    const result = await this.#send("GetItem", () =>
      this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: keys.invitation(this.#account, key),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? this.#liveRecord(result.Item) : null;
  }

  async #batchGet(wanted: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = wanted;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#send("BatchGetItem", () =>
        this.#doc.send(
          new BatchGetCommand({
            RequestItems: { [this.#table]: { Keys: pending, ConsistentRead: true } },
          }),
        ),
      );
      found.push(...(result.Responses?.[this.#table] ?? []));
      const unprocessed = result.UnprocessedKeys?.[this.#table]?.Keys ?? [];
      if (unprocessed.length === 0) return found;
      if (attempt >= BATCH_GET_ATTEMPTS) {
        throw new StoreError("throttled", "DynamoDB left keys unprocessed after every retry");
      }
      pending = unprocessed;
      await sleep(25 * 2 ** attempt);
    }
  }

  async #conditionalUpdate(
    key: string,
    expression: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.invitation(this.#account, key),
          ...expression,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateError(error, "UpdateItem");
    }
  }

  /** The record in an item, or null when it has expired (TTL deletion lags by up to days). */
  #liveRecord(item: Record<string, unknown>): LedgerRecord | null {
    const { account, expiresAt, ...record } = parseItem(InvitationItem, item, "invitation");
    this.#assertOwn(account);
    return expiresAt > this.#nowSeconds() ? record : null;
  }

  #assertOwn(account: string): void {
    if (account !== this.#account) {
      throw new StoreError("corrupt", "An item in this account's partition names another account");
    }
  }

  /** A read is authoritative (it also forgets bounds from before an account was deleted). */
  #rememberRead(client: string, firstSeen: number | null): void {
    this.#store(client, { atMost: firstSeen, read: { firstSeen, readAt: this.#clock() } });
  }

  #remember(client: string, update: FirstSeenMemo): void {
    const known = this.#memo.get(client)?.atMost;
    const atMost =
      known == null || update.atMost == null
        ? (update.atMost ?? known ?? null)
        : Math.min(known, update.atMost);
    this.#store(client, { atMost, read: update.read });
  }

  #store(client: string, memo: FirstSeenMemo): void {
    this.#memo.delete(client);
    if (this.#memo.size >= MEMO_LIMIT) {
      const oldest = this.#memo.keys().next();
      if (!oldest.done) this.#memo.delete(oldest.value);
    }
    this.#memo.set(client, memo);
  }

  #freshRead(client: string): { firstSeen: number | null } | null {
    const read = this.#memo.get(client)?.read;
    if (!read || this.#clock() - read.readAt > FIRST_SEEN_FRESH_MS) return null;
    return read;
  }

  #clock(): number {
    return this.#now().getTime();
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000);
  }

  async #send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateError(error, operation);
    }
  }
}
