import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import * as z from "zod";
import { type TableAccess, type TableOptions, tableAccess } from "../adapters/dynamo/client.ts";
import { translateError } from "../adapters/dynamo/errors.ts";
import { assertAccountId, keys, TTL_ATTRIBUTE } from "../adapters/dynamo/table.ts";
import type { ResolvedConfig } from "./config.ts";

/**
 * Sessions are server-side items, one per sign-in, in the account's own partition: signing out
 * deletes the item (a copied cookie dies with it), and deleting the account deletes every
 * session with the rest of its data. The cookie holds only the account id and a random session
 * id, signed (HMAC) so it cannot be forged; the item stores a hash of the id, so reading the
 * table does not give anyone a usable cookie. Never a token in a cookie (pitfall 7).
 *
 * | item    | pk       | sk                      | attributes                       |
 * |---------|----------|-------------------------|----------------------------------|
 * | session | A#<acct> | SESSION#<sha256(sid)>   | account, createdAt, expiresAt    |
 */
export interface SessionStore {
  create(accountId: string, ttlSeconds: number): Promise<{ sessionId: string; expiresAt: Date }>;
  /** The session's expiry, or null when it does not exist or has expired. */
  get(accountId: string, sessionId: string): Promise<{ expiresAt: Date } | null>;
  delete(accountId: string, sessionId: string): Promise<void>;
}

const SessionItem = z.object({ account: z.string(), expiresAt: z.number() });

export class DynamoSessionStore implements SessionStore {
  readonly #db: TableAccess;

  constructor(options: TableOptions) {
    this.#db = tableAccess(options);
  }

  async create(accountId: string, ttlSeconds: number) {
    const sessionId = randomBytes(32).toString("base64url");
    const now = this.#db.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    try {
      await this.#db.doc.send(
        new PutCommand({
          TableName: this.#db.table,
          Item: {
            ...sessionKey(accountId, sessionId),
            type: "session",
            account: accountId,
            createdAt: now.toISOString(),
            [TTL_ATTRIBUTE]: Math.floor(expiresAt.getTime() / 1000),
          },
        }),
      );
    } catch (error) {
      throw translateError(error, "PutItem");
    }
    return { sessionId, expiresAt };
  }

  async get(accountId: string, sessionId: string) {
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.#db.doc.send(
        new GetCommand({
          TableName: this.#db.table,
          Key: sessionKey(accountId, sessionId),
          ConsistentRead: true,
        }),
      );
      item = result.Item;
    } catch (error) {
      throw translateError(error, "GetItem");
    }
    const parsed = SessionItem.safeParse(item);
    if (!parsed.success || parsed.data.account !== accountId) return null;
    // TTL deletion lags by up to two days: an expired item is no session.
    const expiresAt = new Date(parsed.data.expiresAt * 1000);
    return expiresAt.getTime() > this.#db.now().getTime() ? { expiresAt } : null;
  }

  async delete(accountId: string, sessionId: string) {
    try {
      await this.#db.doc.send(
        new DeleteCommand({ TableName: this.#db.table, Key: sessionKey(accountId, sessionId) }),
      );
    } catch (error) {
      throw translateError(error, "DeleteItem");
    }
  }
}

function sessionKey(accountId: string, sessionId: string) {
  const digest = createHash("sha256").update(sessionId).digest("base64url");
  return { pk: keys.partition(assertAccountId(accountId)), sk: `SESSION#${digest}` };
}

// ── Cookies ──────────────────────────────────────────────────────────────────────────────────

const SESSION_COOKIE = "decorum_session";
const OAUTH_COOKIE = "decorum_oauth";
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionCookie {
  accountId: string;
  sessionId: string;
}

function cookieOptions(config: ResolvedConfig, maxAge: number) {
  // Lax, not Strict: the browser comes back from Google through a cross-site redirect, and a
  // Strict cookie would be missing on that whole redirect chain. State changes are guarded by
  // the origin check and a per-session form token instead.
  return config.secureCookies
    ? ({
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        path: "/",
        prefix: "host",
        maxAge,
      } as const)
    : ({ httpOnly: true, secure: false, sameSite: "Lax", path: "/", maxAge } as const);
}

function prefixOf(config: ResolvedConfig) {
  return config.secureCookies ? ("host" as const) : undefined;
}

export async function setSessionCookie(
  c: Context,
  config: ResolvedConfig,
  session: SessionCookie,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  await setSignedCookie(
    c,
    SESSION_COOKIE,
    `${session.sessionId}:${session.accountId}`,
    config.cookieSecret,
    cookieOptions(config, maxAge),
  );
}

/** The signed session cookie's contents, or null when absent, tampered with or malformed. */
export async function readSessionCookie(
  c: Context,
  config: ResolvedConfig,
): Promise<SessionCookie | null> {
  const value = await getSignedCookie(c, config.cookieSecret, SESSION_COOKIE, prefixOf(config));
  if (!value) return null;
  const colon = value.indexOf(":");
  const sessionId = value.slice(0, colon);
  const accountId = value.slice(colon + 1);
  if (colon < 0 || !SESSION_ID.test(sessionId) || accountId === "") return null;
  return { accountId, sessionId };
}

export function clearSessionCookie(c: Context, config: ResolvedConfig): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(config, 0));
}

/** Binds an OAuth state to this browser: the callback must come back with the same state. */
export async function setOAuthCookie(
  c: Context,
  config: ResolvedConfig,
  state: string,
  maxAge: number,
): Promise<void> {
  await setSignedCookie(c, OAUTH_COOKIE, state, config.cookieSecret, cookieOptions(config, maxAge));
}

export async function readOAuthCookie(c: Context, config: ResolvedConfig): Promise<string | null> {
  const value = await getSignedCookie(c, config.cookieSecret, OAUTH_COOKIE, prefixOf(config));
  return value || null;
}

export function clearOAuthCookie(c: Context, config: ResolvedConfig): void {
  deleteCookie(c, OAUTH_COOKIE, cookieOptions(config, 0));
}

// ── Form tokens ──────────────────────────────────────────────────────────────────────────────

/** The session's form token: derived, so nothing more is stored; a new session gets a new one. */
export function formToken(config: ResolvedConfig, sessionId: string): string {
  return createHmac("sha256", config.csrfSecret).update(sessionId).digest("base64url");
}

export function formTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
