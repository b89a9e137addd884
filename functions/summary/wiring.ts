import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Account } from "../adapters/dynamo/accounts.ts";
import { AccountStore } from "../adapters/dynamo/accounts.ts";
import type { TokenCipher } from "../adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../adapters/dynamo/ledger.ts";
import { ParseFailureLog } from "../adapters/dynamo/parse-failures.ts";
import { SummaryMarkers } from "../adapters/dynamo/summary-markers.ts";
import { createGoogleClients } from "../adapters/google/clients.ts";
import { GoogleError, isDisconnected } from "../adapters/google/errors.ts";
import type { GmailPort } from "../adapters/google/ports.ts";
import { SendRefused } from "../adapters/google/recipients.ts";
import type { GoogleClientsConfig } from "../adapters/google/session.ts";
import type { LedgerRecord } from "../core/ledger.ts";
import type {
  AccountGateway,
  DraftListing,
  SendResult,
  SummaryAccount,
  SummaryJobDeps,
} from "./job.ts";

export interface SummaryWiring {
  dynamo: DynamoDBClient;
  tableName: string;
  /** Opens the stored refresh tokens. */
  cipher: TokenCipher;
  /** Everything but the account's own token: client id and secret, and the emulator's URLs. */
  google: Omit<GoogleClientsConfig, "refreshToken" | "onTokens">;
  settingsUrl: string | null;
  remainingMs: () => number;
  now?: () => Date;
  continueWith?: (cursor: string | null) => Promise<void>;
  log?: (event: Record<string, unknown>) => void;
}

/** The job's dependencies over the DynamoDB stores and the Google clients. */
export function createSummaryDeps(wiring: SummaryWiring): SummaryJobDeps {
  const now = wiring.now ?? (() => new Date());
  const accounts = new AccountStore({
    client: wiring.dynamo,
    tableName: wiring.tableName,
    cipher: wiring.cipher,
    now,
  });
  const markers = new SummaryMarkers({ client: wiring.dynamo, tableName: wiring.tableName, now });
  const failures = new ParseFailureLog({ client: wiring.dynamo, tableName: wiring.tableName, now });
  return {
    async listAccounts(page) {
      const listed = await accounts.listAccounts(page);
      return { items: listed.items.map(toSummaryAccount), cursor: listed.cursor };
    },
    markers,
    parseFailures: (account, period) =>
      failures.count(account.accountId, { from: period.start, to: period.end }),
    async openAccount(account) {
      const refreshToken = await accounts.getRefreshToken(account.accountId);
      if (refreshToken === null)
        throw new Error(`Account ${account.accountId} has no refresh token`);
      const remaining = wiring.remainingMs();
      const { gmail } = createGoogleClients({
        ...wiring.google,
        // No retry wait may outlast the invocation.
        ...(Number.isFinite(remaining)
          ? { retry: { ...wiring.google.retry, deadline: Date.now() + remaining - 5_000 } }
          : {}),
        refreshToken,
        // Google rotates refresh tokens rarely; a rotated one must be kept or the account dies.
        onTokens: async (tokens) => {
          if (tokens.refreshToken) {
            await accounts.setRefreshToken(account.accountId, tokens.refreshToken);
          }
        },
      });
      const ledger = new DynamoLedger({
        client: wiring.dynamo,
        tableName: wiring.tableName,
        accountId: account.accountId,
        retentionDays: account.settings.retentionDays,
        now,
      });
      return gatewayOf(ledger, gmail);
    },
    now,
    remainingMs: wiring.remainingMs,
    settingsUrl: wiring.settingsUrl,
    ...(wiring.continueWith ? { continueWith: wiring.continueWith } : {}),
    ...(wiring.log ? { log: wiring.log } : {}),
  };
}

export function toSummaryAccount(account: Account): SummaryAccount {
  const connected = account.connection.state === "connected" && account.hasRefreshToken;
  return {
    accountId: account.accountId,
    email: account.email,
    settings: account.settings,
    connection: connected
      ? { state: "connected" }
      : {
          state: "disconnected",
          reason:
            account.connection.state === "disconnected"
              ? account.connection.reason
              : "no refresh token stored",
        },
    gmailWatchExpiration: account.gmail.watchExpiration,
    calendarChannelExpiration: account.calendar.channel?.expiration ?? null,
  };
}

/** An account's ledger and Gmail, translated into the job's results. */
export function gatewayOf(
  ledger: Pick<DynamoLedger, "listInvitations">,
  gmail: Pick<GmailPort, "listDrafts" | "sendSummary">,
): AccountGateway {
  return {
    async listInvitations(range) {
      const records: LedgerRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await ledger.listInvitations(range, {
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        records.push(...page.items);
        cursor = page.cursor ?? undefined;
      } while (cursor);
      return records;
    },
    async listDraftIds(): Promise<DraftListing> {
      try {
        const drafts = await gmail.listDrafts();
        return { ok: true, ids: new Set(drafts.map((draft) => draft.id)) };
      } catch (error) {
        return { ok: false, disconnected: isDisconnected(error), error: messageOf(error) };
      }
    },
    async sendSummary(raw): Promise<SendResult> {
      try {
        const sent = await gmail.sendSummary({ raw });
        return { status: "sent", id: sent.id };
      } catch (error) {
        return classifySendFailure(error);
      }
    },
  };
}

/** Whether a failed send may have reached Gmail: only Google's clear refusals count as unsent. */
export function classifySendFailure(error: unknown): SendResult {
  const message = messageOf(error);
  if (error instanceof SendRefused) {
    return { status: "not_sent", error: message, retry: false, disconnected: false };
  }
  if (error instanceof GoogleError) {
    if (error.kind === "revoked") {
      return { status: "not_sent", error: message, retry: false, disconnected: true };
    }
    if (error.unprocessed) {
      return { status: "not_sent", error: message, retry: error.retryable, disconnected: false };
    }
    // A 4xx is an answer: Google looked at the request and refused it.
    if (error.status !== null && error.status >= 400 && error.status < 500) {
      return { status: "not_sent", error: message, retry: false, disconnected: false };
    }
  }
  return { status: "unknown", error: message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
