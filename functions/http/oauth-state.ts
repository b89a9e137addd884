import { createHash } from "node:crypto";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { type TableAccess, type TableOptions, tableAccess } from "../adapters/dynamo/client.ts";
import { translateError } from "../adapters/dynamo/errors.ts";
import { TTL_ATTRIBUTE } from "../adapters/dynamo/table.ts";

/**
 * The OAuth state and its PKCE verifier, kept server-side for ten minutes and usable once: the
 * callback deletes the item as it reads it, so a replayed callback finds nothing. The browser
 * holds only the state (in a signed cookie), binding the flow to the browser that started it.
 *
 * | item        | pk                    | sk    | attributes            |
 * |-------------|-----------------------|-------|-----------------------|
 * | oauth state | OAUTH#<sha256(state)> | STATE | verifier, expiresAt   |
 */
export interface OAuthStateStore {
  save(state: string, verifier: string, ttlSeconds: number): Promise<void>;
  /** The verifier saved under this state, deleting it; null when unknown, used or expired. */
  take(state: string): Promise<{ verifier: string } | null>;
}

const StateItem = z.object({ verifier: z.string().min(43), expiresAt: z.number() });

export class DynamoOAuthStateStore implements OAuthStateStore {
  readonly #db: TableAccess;

  constructor(options: TableOptions) {
    this.#db = tableAccess(options);
  }

  async save(state: string, verifier: string, ttlSeconds: number): Promise<void> {
    const expiresAt = Math.floor(this.#db.now().getTime() / 1000) + ttlSeconds;
    try {
      await this.#db.doc.send(
        new PutCommand({
          TableName: this.#db.table,
          Item: { ...stateKey(state), type: "oauth_state", verifier, [TTL_ATTRIBUTE]: expiresAt },
        }),
      );
    } catch (error) {
      throw translateError(error, "PutItem");
    }
  }

  async take(state: string): Promise<{ verifier: string } | null> {
    let old: Record<string, unknown> | undefined;
    try {
      const result = await this.#db.doc.send(
        new DeleteCommand({
          TableName: this.#db.table,
          Key: stateKey(state),
          ReturnValues: "ALL_OLD",
        }),
      );
      old = result.Attributes;
    } catch (error) {
      throw translateError(error, "DeleteItem");
    }
    const parsed = StateItem.safeParse(old);
    if (!parsed.success) return null;
    if (parsed.data.expiresAt <= Math.floor(this.#db.now().getTime() / 1000)) return null;
    return { verifier: parsed.data.verifier };
  }
}

function stateKey(state: string) {
  return { pk: `OAUTH#${createHash("sha256").update(state).digest("base64url")}`, sk: "STATE" };
}
