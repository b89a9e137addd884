import type { Context } from "hono";
import type { Account, AccountStore } from "../adapters/dynamo/accounts.ts";
import type { DynamoLedger } from "../adapters/dynamo/ledger.ts";
import type { OAuthPort } from "../adapters/google/ports.ts";
import type { WebConfig } from "./config.ts";
import type { AccountExporter } from "./export.ts";
import type { OAuthStateStore } from "./oauth-state.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { SessionStore } from "./session.ts";

/** The account operations the web app uses (AccountStore implements them). */
export type AccountsPort = Pick<
  AccountStore,
  | "createAccount"
  | "getAccount"
  | "putSettings"
  | "setRefreshToken"
  | "getRefreshToken"
  | "setConnection"
  | "deleteAccount"
>;

/** What the activity pages read from an account's ledger (DynamoLedger implements it). */
export type ActivityLedger = Pick<DynamoLedger, "listInvitations">;

/**
 * Starts and stops Decorum's watch on an account (Gmail users.watch and the Calendar channel);
 * functions/sync/watch.ts implements it. Both must be safe to call again.
 */
export interface ConnectionPort {
  connect(accountId: string): Promise<void>;
  disconnect(accountId: string): Promise<void>;
}

/** The web app's own small stores (functions/http/stores.ts builds them on the shared table). */
export interface WebStores {
  sessions: SessionStore;
  oauthStates: OAuthStateStore;
  limiter: RateLimiter;
  exporter: AccountExporter;
}

export interface AppDeps {
  accounts: AccountsPort;
  /** The ledger of one account; the id always comes from the session. */
  ledger: (accountId: string) => ActivityLedger;
  oauth: OAuthPort;
  connection: ConnectionPort;
  stores: WebStores;
  now: () => Date;
  config: WebConfig;
  /**
   * The caller's IP address, for sign-in rate limits: the Lambda handler reads API Gateway's
   * sourceIp, the local server its socket. Null puts every caller in one shared bucket.
   */
  clientIp?: (c: Context) => string | null;
  /** Structured log lines (errors the page cannot show); console.error by default. */
  log?: (event: Record<string, unknown>) => void;
}

/** What an authenticated request carries. */
export interface AuthState {
  account: Account;
  sessionId: string;
  /** The form token every state-changing form posts back. */
  formToken: string;
}

export interface WebEnv {
  Variables: {
    auth: AuthState;
    /** The parsed form of a POST, once its token was checked. */
    form: FormBody;
  };
}

/** A form body: every field's values in order (a file input yields File objects). */
export type FormBody = Record<string, (string | File)[]>;

export type WebContext = Context<WebEnv>;
