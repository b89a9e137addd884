import { GoogleApiError, insufficientScopes, unauthenticated } from "./errors.ts";
import type { RequestContext } from "./http.ts";
import type { SigningKey } from "./keys.ts";
import type { AccessToken, TokenStore } from "./oauth.ts";
import type { PushRecord, PushResult } from "./push.ts";
import type { Ids, Mailbox } from "./store.ts";

/** The emulator's shared state, handed to each API module. */
export interface Core {
  now(): number;
  /** "http://127.0.0.1:PORT", known once the server listens. */
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | null;
  defaultUser: string | null;
  pushServiceAccount: string;
  pushEndpoint: string | null;
  pushTimeoutMs: number;
  boxes: Map<string, Mailbox>;
  ids: Ids;
  tokens: TokenStore;
  key: SigningKey;
  forgedKey(): SigningKey;
  pushes: PushRecord[];
  /** Registers an in-flight push so `idle()` can wait for it. */
  track(p: Promise<PushResult>): Promise<PushResult>;
}

export function findBox(core: Core, email: string): Mailbox {
  const box = core.boxes.get(email.toLowerCase());
  if (!box) throw new Error(`emulator: unknown user ${email}`);
  return box;
}

export interface ApiContext extends RequestContext {
  /** The caller's valid access token, or null when missing, unknown, expired or revoked. */
  access: AccessToken | null;
}

/**
 * Authenticates and authorises an API call: 401 without a valid token, 403 without one of the
 * method's scopes, 403 when `userId` names someone other than the token's user.
 */
export function requireUser(
  core: Core,
  ctx: ApiContext,
  scopes: readonly string[],
  userId = ctx.params.userId ?? "me",
): { box: Mailbox; access: AccessToken } {
  const access = ctx.access;
  if (!access) throw unauthenticated();
  if (!access.scopes.some((s) => scopes.includes(s))) throw insufficientScopes();
  if (userId !== "me" && userId.toLowerCase() !== access.email) {
    throw new GoogleApiError(403, `Delegation denied for ${access.email}`);
  }
  return { box: findBox(core, access.email), access };
}
