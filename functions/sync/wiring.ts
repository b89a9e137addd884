import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type Account, AccountStore } from "../adapters/dynamo/accounts.ts";
import type { TokenCipher } from "../adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../adapters/dynamo/ledger.ts";
import { ParseFailureLog } from "../adapters/dynamo/parse-failures.ts";
import { createGoogleClients } from "../adapters/google/clients.ts";
import type { GoogleClientsConfig } from "../adapters/google/session.ts";
import type { GoogleClients } from "./context.ts";
import { LabelCache } from "./labels.ts";
import { LeaseStore } from "./lease.ts";
import { PushDirectory } from "./push-directory.ts";
import type { SyncDeps } from "./worker.ts";

/**
 * Production wiring of the worker, the crons and the watch service over DynamoDB and Google.
 * Handlers call this once per container (from SST links); the local server calls it with
 * dynalite and the emulator's URLs.
 */
export interface SyncWiring {
  dynamo: DynamoDBClient;
  tableName: string;
  /** Opens the stored refresh tokens. */
  cipher: TokenCipher;
  /** Client id and secret, and (locally) the emulator's rootUrl and endpoints. */
  google: Omit<GoogleClientsConfig, "refreshToken" | "onTokens">;
  now?: () => Date;
  log?: (event: Record<string, unknown>) => void;
  leaseMs?: number;
}

export interface SyncServices {
  accounts: AccountStore;
  directory: PushDirectory;
  lease: LeaseStore;
  deps: SyncDeps;
  /** The account's Google ports (cached per account and refresh token in this process). */
  googleFor(account: Account, refreshToken: string): GoogleClients;
}

export function createSyncServices(wiring: SyncWiring): SyncServices {
  const now = wiring.now ?? (() => new Date());
  const accounts = new AccountStore({
    client: wiring.dynamo,
    tableName: wiring.tableName,
    cipher: wiring.cipher,
    now,
  });
  const directory = new PushDirectory({ client: wiring.dynamo, tableName: wiring.tableName });
  const lease = new LeaseStore({
    client: wiring.dynamo,
    tableName: wiring.tableName,
    now,
    ...(wiring.leaseMs ? { durationMs: wiring.leaseMs } : {}),
  });

  // A warm container keeps each account's OAuth client (and its access token) across jobs. The
  // cache key includes the refresh token, so a reconnected account never uses its old grant.
  const clients = new Map<string, { refreshToken: string; clients: GoogleClients }>();
  const googleFor = (account: Account, refreshToken: string): GoogleClients => {
    const cached = clients.get(account.accountId);
    if (cached && cached.refreshToken === refreshToken) return cached.clients;
    // No per-invocation deadline here (the clients outlive an invocation): the retry budget
    // (google.retry.maxWaitMs, 20 s by default) must fit inside the worker's timeout instead.
    const made = createGoogleClients({
      ...wiring.google,
      refreshToken,
      // A rotated refresh token must be kept, or the account dies with the old one.
      onTokens: async (tokens) => {
        if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
          await accounts.setRefreshToken(account.accountId, tokens.refreshToken);
        }
      },
    });
    clients.set(account.accountId, { refreshToken, clients: made });
    return made;
  };

  const ledgers = new Map<string, DynamoLedger>();
  const labels = new Map<string, LabelCache>();
  const deps: SyncDeps = {
    accounts,
    lease,
    parseFailures: new ParseFailureLog({ client: wiring.dynamo, tableName: wiring.tableName, now }),
    ledgerFor(account) {
      const key = `${account.accountId}\u0000${account.settings.retentionDays}`;
      let ledger = ledgers.get(key);
      if (!ledger) {
        ledger = new DynamoLedger({
          client: wiring.dynamo,
          tableName: wiring.tableName,
          accountId: account.accountId,
          retentionDays: account.settings.retentionDays,
          now,
        });
        ledgers.set(key, ledger);
      }
      return ledger;
    },
    googleFor,
    labelsFor(accountId) {
      let cache = labels.get(accountId);
      if (!cache) {
        cache = new LabelCache();
        labels.set(accountId, cache);
      }
      return cache;
    },
    now,
    ...(wiring.log ? { log: wiring.log } : {}),
  };
  return { accounts, directory, lease, deps, googleFor };
}
