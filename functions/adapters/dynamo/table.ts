import { createHash } from "node:crypto";
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { StoreError, translateError } from "./errors.ts";

/**
 * Decorum's one DynamoDB table. This file is the only place its keys, indexes and TTL are written
 * down: `infra/` passes {@link TABLE} to `sst.aws.Dynamo`, the local server and the tests create
 * the table with {@link createTableInput}, and the stores build keys with {@link keys}.
 *
 * Every item of an account lives in the account's partition, so an account is one Query away
 * from being listed or deleted, and every key a store builds starts with the account it was
 * opened for: one account's data cannot be reached through another's key.
 *
 * | item          | pk        | sk               | gsi1pk / gsi1sk                  | gsi2pk / gsi2sk              |
 * |---------------|-----------|------------------|----------------------------------|------------------------------|
 * | account       | A#<acct>  | ACCOUNT          | –                                | ACCOUNTS / <acct>            |
 * | invitation    | A#<acct>  | INV#<key>        | A#<acct>#C#<client> / <at>#<key> | A#<acct>#INV / <at>#<key>    |
 * | client        | A#<acct>  | CLIENT#<client>  | –                                | –                            |
 *
 * `<key>` is the invitation's iCalendar UID, else its Message-ID; `<at>` is when it arrived, as a
 * UTC ISO 8601 instant (fixed width, so string order is time order). Invitations carry
 * `expiresAt` (epoch seconds, the table's TTL attribute); accounts and clients never expire (a
 * client's first-seen date must outlive the retention of the mail that set it).
 *
 * Why these shapes, by requests per operation (measured against dynalite with `countRequests`,
 * see test/adapters/dynamo/requests.test.ts):
 * - **Counting by a time-ordered sort key, not maintained counters.** A Query with `Select:
 *   COUNT` on gsi1 costs 1 request per count, and `record` stays a single conditional PutItem.
 *   Counters (a `CNT#<client>#<day>` item per day) also cost 1 Query to read, but every `record`
 *   then needs a second request (PutItem of the invitation + UpdateItem of the counter, with a
 *   set of counted keys so a retry does not double-count), and without transactions — which
 *   dynalite lacks — a crash between the two leaves the count wrong. Measured here: count 1 +
 *   record 1; counters would be count 1 + record 2 by construction, i.e. 4 per invitation.
 * - **`lookup` is one BatchGetItem** of the invitation item and the client item (strongly
 *   consistent, both live on the base table).
 * - **First-seen is one conditional UpdateItem** that only ever moves the date earlier.
 * - **Listing** (weekly summary, activity page) is a Query on gsi2 newest first, or on gsi1 when
 *   a client is given. Nothing in the application Scans.
 * - **Accounts** sit in one well-known gsi2 partition (`ACCOUNTS`), ordered by id, for the
 *   scheduled jobs; a handful of owners per deployment is far below one partition's limits.
 *
 * A new client's first invitation needs its first-seen date written too (record = PutItem +
 * UpdateItem); the ledger then skips that invitation's count, since a client never seen has no
 * invitations (./ledger.ts explains the rule). Measured over a month of representative mail
 * through the pipeline's calls (27 invitations, 61 other messages): at most 3 requests per
 * invitation (mean 2.2: duplicates 1, other categories 2, frequency categories 3) and at most
 * 1 per other message.
 *
 * GSI reads are eventually consistent (typically well under a second on AWS; dynalite updates
 * them synchronously), so a count can miss an invitation recorded in the same instant.
 */
export const TABLE = {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    /** Invitations of one client of one account, by arrival time: frequency counts. */
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" },
    /** Invitations of one account by arrival time; and all accounts by id. */
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: "all" },
  },
  ttl: "expiresAt",
} as const satisfies TableDefinition;

/** The shape `sst.aws.Dynamo` takes for these props (plain values, no Pulumi inputs). */
export interface TableDefinition {
  fields: Readonly<Record<string, "string" | "number" | "binary">>;
  primaryIndex: { readonly hashKey: string; readonly rangeKey?: string };
  globalIndexes?: Readonly<
    Record<
      string,
      {
        readonly hashKey: string;
        readonly rangeKey?: string;
        readonly projection?: "all" | "keys-only" | readonly string[];
      }
    >
  >;
  ttl?: string;
}

/** Index names, for Query's IndexName. */
export const INDEX = { byClient: "gsi1", listing: "gsi2" } as const;
export type IndexName = (typeof INDEX)[keyof typeof INDEX];

/** The TTL attribute's name. */
export const TTL_ATTRIBUTE = TABLE.ttl;

/**
 * Sort-key material longer than this is replaced by a hash, so that a pathological Message-ID
 * cannot push a key past DynamoDB's 1024-byte sort-key limit. The full value stays in the item.
 */
const MAX_KEY_PART_BYTES = 400;

function keyPart(value: string): string {
  if (Buffer.byteLength(value, "utf8") <= MAX_KEY_PART_BYTES) return value;
  return `H#${createHash("sha256").update(value).digest("hex")}`;
}

const ACCOUNT_ID = /^[A-Za-z0-9._@+-]{1,200}$/;

/** Account ids become key prefixes, so they may not contain the `#` separator. */
export function assertAccountId(accountId: string): string {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new StoreError(
      "invalid",
      "An account id is 1-200 characters of letters, digits and . _ @ + -",
    );
  }
  return accountId;
}

/** A UTC instant in the fixed-width form the sort keys use. Throws on an unparseable date. */
export function sortableInstant(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const time = date.getTime();
  if (Number.isNaN(time)) throw new StoreError("invalid", `Not a date: ${String(value)}`);
  return date.toISOString();
}

const ACCOUNTS_PARTITION = "ACCOUNTS";

/** The keys of every item kind. Stores build keys only through these. */
export const keys = {
  account(accountId: string) {
    return { pk: `A#${accountId}`, sk: "ACCOUNT" };
  },
  accountListing(accountId: string) {
    return { gsi2pk: ACCOUNTS_PARTITION, gsi2sk: accountId };
  },
  accountsPartition: ACCOUNTS_PARTITION,
  partition(accountId: string) {
    return `A#${accountId}`;
  },
  invitation(accountId: string, key: string) {
    return { pk: `A#${accountId}`, sk: `INV#${keyPart(key)}` };
  },
  client(accountId: string, client: string) {
    return { pk: `A#${accountId}`, sk: `CLIENT#${keyPart(client)}` };
  },
  /** gsi1 partition: one client's invitations. */
  byClient(accountId: string, client: string) {
    return `A#${accountId}#C#${keyPart(client)}`;
  },
  /** gsi2 partition: all invitations of one account. */
  invitations(accountId: string) {
    return `A#${accountId}#INV`;
  },
  /** gsi1sk and gsi2sk of an invitation: arrival instant, then its key to keep them unique. */
  arrival(receivedAt: string, key: string) {
    return `${sortableInstant(receivedAt)}#${keyPart(key)}`;
  },
} as const;

function attributeType(type: "string" | "number" | "binary"): "S" | "N" | "B" {
  return type === "string" ? "S" : type === "number" ? "N" : "B";
}

function keySchema(hashKey: string, rangeKey: string | undefined): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: hashKey, KeyType: "HASH" }];
  if (rangeKey) schema.push({ AttributeName: rangeKey, KeyType: "RANGE" });
  return schema;
}

function projection(value: "all" | "keys-only" | readonly string[] | undefined): Projection {
  if (value === undefined || value === "all") return { ProjectionType: "ALL" };
  if (value === "keys-only") return { ProjectionType: "KEYS_ONLY" };
  return { ProjectionType: "INCLUDE", NonKeyAttributes: [...value] };
}

/**
 * CreateTable input for a definition, billed per request like SST's component. TTL is not part
 * of CreateTable (it is UpdateTimeToLive, which SST calls and dynalite lacks).
 */
export function createTableInput(
  tableName: string,
  definition: TableDefinition = TABLE,
): CreateTableCommandInput {
  const attributes: AttributeDefinition[] = Object.entries(definition.fields).map(
    ([name, type]) => ({ AttributeName: name, AttributeType: attributeType(type) }),
  );
  const indexes: GlobalSecondaryIndex[] = Object.entries(definition.globalIndexes ?? {}).map(
    ([name, index]) => ({
      IndexName: name,
      KeySchema: keySchema(index.hashKey, index.rangeKey),
      Projection: projection(index.projection),
    }),
  );
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributes,
    KeySchema: keySchema(definition.primaryIndex.hashKey, definition.primaryIndex.rangeKey),
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  };
}

function sameKeys(actual: KeySchemaElement[] | undefined, expected: KeySchemaElement[]): boolean {
  const render = (schema: KeySchemaElement[]) =>
    schema.map((element) => `${element.AttributeName}:${element.KeyType}`).join(",");
  return render(actual ?? []) === render(expected);
}

/** Explains how an existing table differs from the definition, or returns null when it matches. */
export function describeMismatch(
  table: TableDescription,
  definition: TableDefinition = TABLE,
): string | null {
  const wanted = createTableInput(table.TableName ?? "", definition);
  if (!sameKeys(table.KeySchema, wanted.KeySchema ?? [])) return "its primary key differs";
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.IndexName);
    if (!found) return `it has no index ${index.IndexName}`;
    if (!sameKeys(found.KeySchema, index.KeySchema ?? [])) {
      return `its index ${index.IndexName} has different keys`;
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the table from the definition unless it exists, then waits until it is ACTIVE. An
 * existing table with other keys is an error (a local data directory from an older design).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { definition?: TableDefinition; timeoutMs?: number } = {},
): Promise<void> {
  const definition = options.definition ?? TABLE;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
  } catch (error) {
    if (!(error instanceof Error) || error.name !== "ResourceInUseException") {
      throw translateError(error, "CreateTable");
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    let table: TableDescription | undefined;
    try {
      table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      throw translateError(error, "DescribeTable");
    }
    if (table) {
      const mismatch = describeMismatch(table, definition);
      if (mismatch) {
        throw new StoreError("config", `Table ${tableName} exists but ${mismatch}`);
      }
      if (table.TableStatus === "ACTIVE") return;
    }
    if (Date.now() > deadline) {
      throw new StoreError("unavailable", `Table ${tableName} did not become ACTIVE in time`);
    }
    await sleep(50);
  }
}
