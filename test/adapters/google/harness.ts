import {
  createGoogleClients,
  type GoogleTokens,
} from "../../../functions/adapters/google/index.ts";
import type { RetryOptions } from "../../../functions/adapters/google/retry.ts";
import { GOOGLE_SCOPE_LIST } from "../../../functions/adapters/google/scopes.ts";
import type { GoogleClientsConfig } from "../../../functions/adapters/google/session.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../../emulator/index.ts";

export const OWNER = "alex@morganadvisory.example";
export const OTHER = "sam@otherfirm.example";

/** A virtual clock: sleeping advances it instantly and records how long was asked for. */
export function virtualTime() {
  let now = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    waited: () => sleeps.reduce((a, b) => a + b, 0),
  };
}

export async function startEmulator(): Promise<GoogleEmulator> {
  return startGoogleEmulator({
    users: [
      { email: OWNER, name: "Alex Morgan" },
      { email: OTHER, name: "Sam Other" },
    ],
  });
}

export interface Connected {
  clients: ReturnType<typeof createGoogleClients>;
  time: ReturnType<typeof virtualTime>;
  persisted: GoogleTokens[];
  refreshToken: string;
}

/**
 * Ports for `email` as Decorum builds them in production: a stored refresh token (issued with
 * exactly Decorum's scopes), OAuth and API calls pointed at the emulator, virtual time.
 */
export function connect(
  emulator: GoogleEmulator,
  email: string = OWNER,
  options: {
    retry?: RetryOptions;
    withAccessToken?: boolean;
    config?: Partial<GoogleClientsConfig>;
  } = {},
): Connected {
  const issued = emulator.issueTokens(email, { scopes: [...GOOGLE_SCOPE_LIST] });
  const time = virtualTime();
  const persisted: GoogleTokens[] = [];
  const clients = createGoogleClients({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    rootUrl: emulator.url,
    endpoints: {
      authUrl: emulator.endpoints.authUrl,
      tokenUrl: emulator.endpoints.tokenUrl,
      revokeUrl: emulator.endpoints.revokeUrl,
      certsUrl: emulator.endpoints.certsUrl,
    },
    refreshToken: issued.refresh_token,
    ...(options.withAccessToken === false
      ? {}
      : { accessToken: issued.access_token, expiryDate: Date.now() + issued.expires_in * 1000 }),
    onTokens: async (tokens) => {
      persisted.push(tokens);
    },
    retry: { random: () => 0.999, ...options.retry },
    now: time.now,
    sleep: time.sleep,
    requestTimeoutMs: 2_000,
    ...options.config,
  });
  return { clients, time, persisted, refreshToken: issued.refresh_token };
}

/** Calls the emulator logged for `method` (its Google method name), in order. */
export function callsTo(emulator: GoogleEmulator, method: string) {
  return emulator.calls.filter((c) => c.method === method);
}

export function rawMessage(opts: {
  from: string;
  to: string;
  subject: string;
  body?: string;
  messageId?: string;
}): string {
  return [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Message-ID: <${opts.messageId ?? `${Math.random().toString(36).slice(2)}@harbour.example`}>`,
    "Date: Mon, 03 Mar 2025 09:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    opts.body ?? "Would you join us?",
    "",
  ].join("\r\n");
}
