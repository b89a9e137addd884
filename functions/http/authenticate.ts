import type { Context } from "hono";
import { StoreError } from "../adapters/dynamo/errors.ts";
import type { AppContext } from "./context.ts";
import { formToken, readSessionCookie } from "./session.ts";
import type { AuthState } from "./types.ts";

/**
 * The signed-in account of a request, or null: a validly signed cookie, a live session item in
 * that account's partition, and the account itself. The account id comes from here only.
 */
export async function authenticate(ctx: AppContext, c: Context): Promise<AuthState | null> {
  const cookie = await readSessionCookie(c, ctx.config);
  if (!cookie) return null;
  const session = await ctx.deps.stores.sessions
    .get(cookie.accountId, cookie.sessionId)
    .catch((error: unknown) => {
      // A malformed account id in a validly signed cookie can only come from an older version.
      if (error instanceof StoreError && error.kind === "invalid") return null;
      throw error;
    });
  if (!session) return null;
  const account = await ctx.deps.accounts.getAccount(cookie.accountId);
  if (!account) return null;
  return {
    account,
    sessionId: cookie.sessionId,
    formToken: formToken(ctx.config, cookie.sessionId),
  };
}
