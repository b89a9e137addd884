import * as z from "zod";
import { AccountStore } from "../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import { createOAuth } from "../../functions/adapters/google/oauth.ts";
import type { OAuthPort } from "../../functions/adapters/google/ports.ts";
import type { LedgerRecord } from "../../functions/core/ledger.ts";
import { type AppDeps, createApp, createWebStores } from "../../functions/http/app.tsx";
import type { WebConfig } from "../../functions/http/config.ts";
import { Settings } from "../../functions/schemas/settings.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulator/index.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

export const OWNER = "alex@morganadvisory.example";
export const PARTNER = "jo@morganadvisory.example";
export const OUTSIDER = "pat@elsewhere.example";
export const BASE_URL = "http://localhost:8787";
export const SESSION_KEY = "test-session-key-0123456789-abcdefghijklmnop";

/** The connection port as the web app sees it, recording what it was asked to do. */
export function recordingConnection() {
  const calls: { op: "connect" | "disconnect"; accountId: string }[] = [];
  const state = { failConnect: false };
  return {
    calls,
    state,
    port: {
      async connect(accountId: string) {
        calls.push({ op: "connect", accountId });
        if (state.failConnect) throw new Error("the watch could not start");
      },
      async disconnect(accountId: string) {
        calls.push({ op: "disconnect", accountId });
      },
    },
  };
}

/** A tiny cookie jar over Set-Cookie headers, as a browser keeps them for one site. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export interface Harness {
  dynamo: TestDynamo;
  emulator: GoogleEmulator;
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  accounts: AccountStore;
  connection: ReturnType<typeof recordingConnection>;
  logs: Record<string, unknown>[];
  ledger(accountId: string): DynamoLedger;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<WebConfig>;
  /** Wraps the real OAuth port (to fake an unverified address, say). */
  oauth?: (real: OAuthPort) => OAuthPort;
}

/** The web app on dynalite and the Google emulator, with a recording connection port. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [dynamo, emulator] = await Promise.all([
    startTestDynamo(),
    startGoogleEmulator({
      users: [
        { email: OWNER, name: "Alex Morgan" },
        { email: PARTNER, name: "Jo Partner" },
        { email: OUTSIDER, name: "Pat Outsider" },
      ],
    }),
  ]);
  const cipher = TokenCipher.fromBase64(generateTokenKey());
  const accounts = new AccountStore({ client: dynamo.client, tableName: dynamo.tableName, cipher });
  const ledger = (accountId: string) =>
    new DynamoLedger({ client: dynamo.client, tableName: dynamo.tableName, accountId });
  const connection = recordingConnection();
  const logs: Record<string, unknown>[] = [];
  const realOAuth = createOAuth({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    endpoints: emulator.endpoints,
  });
  const deps: AppDeps = {
    accounts,
    ledger,
    oauth: options.oauth ? options.oauth(realOAuth) : realOAuth,
    connection: connection.port,
    stores: createWebStores({ client: dynamo.client, tableName: dynamo.tableName }),
    now: () => new Date(),
    config: {
      baseUrl: BASE_URL,
      allowList: `${OWNER}, @morganadvisory.example`,
      sessionKey: SESSION_KEY,
      secureCookies: true,
      ...options.config,
    },
    clientIp: (c) => c.req.header("x-test-ip") ?? null,
    log: (event) => logs.push(event),
  };
  return {
    dynamo,
    emulator,
    app: createApp(deps),
    deps,
    accounts,
    connection,
    logs,
    ledger,
    async close() {
      await Promise.all([dynamo.close(), emulator.close()]);
    },
  };
}

/** One browser's view of the app: cookies kept, same-origin headers on posts. */
export class Browser {
  readonly jar = new CookieJar();

  constructor(
    readonly harness: Harness,
    readonly ip = "203.0.113.7",
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await this.harness.app.request(path, {
      headers: { cookie: this.jar.header(), "x-test-ip": this.ip, ...headers },
    });
    this.jar.absorb(response);
    return response;
  }

  /** A form post as the page would send it: same origin, with the page's form token. */
  async post(
    path: string,
    fields: Record<string, string | string[]> | FormData,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let body: URLSearchParams | FormData;
    if (fields instanceof FormData) {
      body = fields;
    } else {
      body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
      }
    }
    const response = await this.harness.app.request(path, {
      method: "POST",
      body,
      headers: {
        cookie: this.jar.header(),
        origin: BASE_URL,
        "sec-fetch-site": "same-origin",
        "x-test-ip": this.ip,
        ...headers,
      },
    });
    this.jar.absorb(response);
    return response;
  }

  /** The form token of the page at `path` (every signed-in page carries one). */
  async formToken(path = "/settings"): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error(`no form token on ${path}`);
    return match[1];
  }

  /**
   * Google sign-in the way a browser does it: /auth/google, then the emulator's consent page as
   * `email` (choosing the account like the account chooser would), then the callback.
   */
  async signIn(email: string): Promise<Response> {
    const consent = await this.startSignIn();
    const callback = await this.consent(consent, email);
    return this.get(callback);
  }

  /** Starts sign-in; returns Google's (the emulator's) authorisation URL. */
  async startSignIn(): Promise<string> {
    const start = await this.get("/auth/google");
    if (start.status !== 302) throw new Error(`/auth/google answered ${start.status}`);
    return start.headers.get("location") ?? "";
  }

  /** The consent step at the emulator; returns the app-relative callback path with its query. */
  async consent(authUrl: string, email: string): Promise<string> {
    const url = new URL(authUrl);
    url.searchParams.set("login_hint", email);
    const res = await fetch(url, { redirect: "manual" });
    const location = new URL(res.headers.get("location") ?? "");
    return `${location.pathname}${location.search}`;
  }
}

let counter = 0;

/** A ledger record with sensible defaults. */
export function record(overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  counter++;
  const at = overrides.receivedAt ?? new Date(Date.now() - counter * 3_600_000).toISOString();
  return {
    key: `msg-${counter}@client.example`,
    client: "client.example",
    category: "meal_or_drinks",
    action: "accept",
    confidence: 0.9,
    language: "en",
    reasons: [{ rule: "meal_or_drinks.meal", explanation: "Invites you to a meal — rule 4" }],
    receivedAt: at,
    decidedAt: at,
    messageId: `msg-${counter}@client.example`,
    subject: `Dinner ${counter}`,
    from: { address: "jordan@client.example", name: "Jordan Lee" },
    source: `gmail:m${counter}`,
    event: null,
    gmail: { messageId: `m${counter}`, threadId: `t${counter}` },
    draft: { state: "none" },
    ...overrides,
  };
}

/** The export file, as far as the tests read it. */
export const ExportFile = z.looseObject({
  format: z.literal("decorum-export/1"),
  accountId: z.string(),
  account: z.looseObject({ email: z.string(), settings: Settings }),
  invitations: z.array(z.looseObject({ subject: z.string() })),
  clients: z.array(z.looseObject({ client: z.string() })),
});
