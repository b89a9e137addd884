import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type TableAccess, type TableOptions, tableAccess } from "../adapters/dynamo/client.ts";
import { translateError } from "../adapters/dynamo/errors.ts";
import { assertAccountId, keys } from "../adapters/dynamo/table.ts";

/** Everything Decorum holds for one account, as the "Your data" page hands it over. */
export interface AccountExport {
  format: "decorum-export/1";
  exportedAt: string;
  accountId: string;
  /** The account item: email, settings, connection state, sync cursors. Never the token. */
  account: Record<string, unknown> | null;
  invitations: Record<string, unknown>[];
  clients: Record<string, unknown>[];
  /** Anything else in the account's partition (summary markers…), by item type. */
  other: Record<string, Record<string, unknown>[]>;
}

export interface AccountExporter {
  exportAccount(accountId: string): Promise<AccountExport>;
}

/** Storage details, not data about the person: the keys, and secrets that must never leave. */
const DROPPED = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "refreshToken"]);
/** Item types that are the app's own machinery, not the owner's data. */
const INTERNAL_TYPES = new Set(["session"]);
const MAX_PAGES = 10_000;

/**
 * Reads the account's whole partition (every item of an account lives there; see
 * functions/adapters/dynamo/table.ts), so the export includes whatever another part of
 * Decorum stores there, not only what this page knows about.
 */
export class DynamoAccountExporter implements AccountExporter {
  readonly #db: TableAccess;

  constructor(options: TableOptions) {
    this.#db = tableAccess(options);
  }

  async exportAccount(accountId: string): Promise<AccountExport> {
    const id = assertAccountId(accountId);
    const result: AccountExport = {
      format: "decorum-export/1",
      exportedAt: this.#db.now().toISOString(),
      accountId: id,
      account: null,
      invitations: [],
      clients: [],
      other: {},
    };
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let items: Record<string, unknown>[];
      try {
        const response = await this.#db.doc.send(
          new QueryCommand({
            TableName: this.#db.table,
            KeyConditionExpression: "pk = :p",
            ExpressionAttributeValues: { ":p": keys.partition(id) },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        items = response.Items ?? [];
        startKey = response.LastEvaluatedKey;
      } catch (error) {
        throw translateError(error, "Query");
      }
      for (const item of items) {
        const type = typeof item.type === "string" ? item.type : "unknown";
        if (INTERNAL_TYPES.has(type)) continue;
        const data = Object.fromEntries(Object.entries(item).filter(([k]) => !DROPPED.has(k)));
        if (type === "account") result.account = data;
        else if (type === "invitation") result.invitations.push(data);
        else if (type === "client") result.clients.push(data);
        else {
          result.other[type] ??= [];
          result.other[type].push(data);
        }
      }
      if (!startKey) return result;
    }
    throw new Error("The account's data did not fit the export's page limit");
  }
}
