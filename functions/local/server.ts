import { appendFile, mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import * as z from "zod";
import { TokenCipher } from "../adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../adapters/dynamo/ledger.ts";
import { createOAuth } from "../adapters/google/oauth.ts";
import type { GoogleClientsConfig } from "../adapters/google/session.ts";
import { InProcessQueue } from "../adapters/queue/in-process.ts";
import { createApp, createWebStores } from "../http/app.tsx";
import { resolveConfig } from "../http/config.ts";
import { accountIdFor } from "../http/routes/auth.tsx";
import { setSessionCookie } from "../http/session.ts";
import type { AppDeps, ConnectionPort } from "../http/types.ts";
import { runSummaryJob } from "../summary/job.ts";
import { createSummaryDeps } from "../summary/wiring.ts";
import type { ProcessedEvent } from "../sync/context.ts";
import { enqueuePeriodicSyncs } from "../sync/periodic.ts";
import { createSyncServices } from "../sync/wiring.ts";
import { runJob, type SyncDeps } from "../sync/worker.ts";
import { type LocalConfig, localDynamoDir, parseLocalConfig, readDotEnv } from "./config.ts";
import { type DemoSeed, demoUser, prepareDemoSeed } from "./demo.ts";
import { type DemoEmulator, startDemoEmulator } from "./demo-emulator.ts";
import { startLocalDynamo } from "./dynalite.ts";
import { loadLocalKeys } from "./keys.ts";
import { lockDataDir } from "./lock.ts";

export interface StartLocalOptions {
  /** The process environment; `.env` in `cwd` fills what it leaves unset. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** One human-readable line at a time (the CLI prints them). */
  print: (line: string) => void;
  now?: () => Date;
}

export interface LocalServer {
  url: string;
  mode: "demo" | "google";
  dataDir: string;
  /** Resolves when the first round of syncs is through (the demo mailbox processed). */
  ready: Promise<void>;
  /** Stops taking requests and jobs, lets running jobs finish, closes the stores. */
  close(): Promise<void>;
}

/** The summary job runs at the top of every hour, like the deployed cron. */
const HOUR_MS = 3_600_000;

/**
 * `decorum start`: the same Hono app and sync worker as the Lambdas, in one process, on dynalite
 * persisted under the data directory. Without Google credentials it runs the demo: the Google
 * emulator seeded with a few weeks of Alex Morgan's client mail, the owner signed in
 * automatically. With GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET it uses Google, and polls
 * every connected account (a local machine has no public URL for Google's pushes).
 */
export async function startLocal(options: StartLocalOptions): Promise<LocalServer> {
  const now = options.now ?? (() => new Date());
  const env = { ...(await readDotEnv(options.cwd)), ...definedOnly(options.env) };
  const config = parseLocalConfig(env, options.cwd);
  await mkdir(config.dataDir, { recursive: true });
  const logFile = join(config.dataDir, "decorum.log");
  // Structured events go to a file: the terminal shows only what a person needs.
  const log = (event: Record<string, unknown>) => {
    void appendFile(logFile, `${JSON.stringify({ at: now().toISOString(), ...event })}\n`).catch(
      () => {},
    );
  };
  const lock = await lockDataDir(config.dataDir, "decorum start");
  const cleanups: Array<() => Promise<void>> = [() => lock.release()];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        options.print(`while stopping: ${messageOf(error)}`);
      }
    }
  };

  try {
    const keys = await loadLocalKeys(config.dataDir, config);
    const dynamo = await startLocalDynamo({ dir: localDynamoDir(config.dataDir) });
    cleanups.push(() => dynamo.close());
    const cipher = TokenCipher.fromBase64(keys.tokenKey, "DECORUM_TOKEN_KEY");

    let demo: { seed: DemoSeed; emulator: DemoEmulator } | null = null;
    let google: Omit<GoogleClientsConfig, "refreshToken" | "onTokens">;
    if (config.mode.kind === "demo") {
      const seed = await prepareDemoSeed({ dataDir: config.dataDir, now: now() });
      const emulator = await startDemoEmulator({
        users: [demoUser(seed)],
        defaultUser: seed.email,
      });
      cleanups.push(() => emulator.close());
      demo = { seed, emulator };
      google = {
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        rootUrl: `${emulator.url}/`,
        endpoints: emulator.endpoints,
      };
    } else {
      google = { clientId: config.mode.clientId, clientSecret: config.mode.clientSecret };
    }

    const services = createSyncServices({
      dynamo: dynamo.client,
      tableName: dynamo.tableName,
      cipher,
      google,
      now,
      log,
    });
    const progress = demo ? demoProgress(demo.seed, options.print) : null;
    const syncDeps: SyncDeps = {
      ...services.deps,
      // The demo's mail spans weeks; a real account's first look stays the deployed 3 days.
      ...(demo ? { resync: { days: demo.seed.spanDays, maxMessages: 500 } } : {}),
      onProcessed: (event) => progress?.processed(event),
    };
    const queue = new InProcessQueue({
      run: async (job) => {
        const outcome = await runJob(job, syncDeps);
        log({ event: "job.done", job, outcome });
      },
      onError: (job, error, receives) => {
        log({ event: "job.failed", job, receives, error: messageOf(error) });
        options.print(`sync of ${job.type} failed (attempt ${receives}): ${messageOf(error)}`);
      },
      onDeadLetter: (letter) => {
        options.print(`gave up on ${letter.job.type} after ${letter.receives} attempts`);
      },
    });
    cleanups.push(() => queue.stop());

    // The app is built once the port is known: its origin goes into redirects and CSRF checks.
    let fetchApp: ((request: Request, env: unknown) => Response | Promise<Response>) | null = null;
    const server = await listen(config.port, (request, env) =>
      fetchApp ? fetchApp(request, env) : new Response("Starting…", { status: 503 }),
    );
    cleanups.push(() => closeServer(server));
    const port = portOf(server.address());
    const baseUrl = config.baseUrl ?? `http://localhost:${port}`;

    const demoAccountId = demo ? await connectDemoAccount(demo, services.accounts) : null;
    const webConfig: AppDeps["config"] = {
      baseUrl,
      allowList: demo ? [demo.seed.email] : config.allowed,
      sessionKey: keys.sessionKey,
      // Plain http on this machine: a Secure __Host- cookie would need https.
      secureCookies: baseUrl.startsWith("https:"),
    };
    const connection: ConnectionPort = {
      // No watch: Google cannot reach this machine. Connecting queues the first syncs, and
      // the periodic sync below catches everything after.
      async connect(accountId) {
        await queue.enqueue({ type: "gmail-sync", accountId, reason: "connect" });
        await queue.enqueue({ type: "calendar-sync", accountId, reason: "connect" });
      },
      async disconnect() {},
    };
    const deps: AppDeps = {
      accounts: services.accounts,
      ledger: (accountId) =>
        new DynamoLedger({ client: dynamo.client, tableName: dynamo.tableName, accountId, now }),
      oauth: createOAuth({
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        ...(google.endpoints ? { endpoints: google.endpoints } : {}),
      }),
      connection,
      stores: createWebStores({ client: dynamo.client, tableName: dynamo.tableName, now }),
      now,
      config: webConfig,
      clientIp: (c) => getConnInfo(c).remote.address ?? null,
      log,
    };
    const app = createApp(deps);
    fetchApp =
      demo && demoAccountId
        ? withDemoSignIn(app, { deps, accountId: demoAccountId })
        : (request, env) => app.fetch(request, env);

    // The first round: everything connected, then on a timer (pushes cannot reach localhost).
    const syncAll = async () => {
      const result = await enqueuePeriodicSyncs(services.accounts, queue);
      log({ event: "sync.enqueued", ...result });
    };
    await syncAll();
    const ready = queue.idle().then(() => progress?.done());
    const syncTimer = setInterval(() => {
      syncAll().catch((error: unknown) => options.print(`periodic sync: ${messageOf(error)}`));
    }, config.syncIntervalMs);
    const summaryTimer = everyHour(now, () => {
      runSummaryJob(
        createSummaryDeps({
          dynamo: dynamo.client,
          tableName: dynamo.tableName,
          cipher,
          google,
          settingsUrl: baseUrl,
          remainingMs: () => Number.POSITIVE_INFINITY,
          now,
          log,
        }),
      )
        .then((result) => log({ event: "summary.run", ...result }))
        .catch((error: unknown) => options.print(`weekly summary: ${messageOf(error)}`));
    });
    cleanups.push(async () => {
      clearInterval(syncTimer);
      summaryTimer.stop();
    });

    options.print(describeStart(config, baseUrl, demo?.seed ?? null));
    return {
      url: baseUrl,
      mode: config.mode.kind,
      dataDir: config.dataDir,
      ready,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function describeStart(config: LocalConfig, url: string, seed: DemoSeed | null): string {
  const lines = [`Decorum is running at ${url}`];
  if (seed) {
    lines.push(
      `  demo mode: ${seed.name} <${seed.email}>, ${seed.inboxCount} messages in the demo mailbox`,
      "  (set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET in .env to use your own Google account)",
    );
  } else {
    lines.push(
      `  Google mode: sign in at ${url}/signin (allowed: ${config.allowed.join(", ") || "nobody — set DECORUM_ALLOWED"})`,
      `  checking every connected account every ${Math.round(config.syncIntervalMs / 1000)} s`,
    );
  }
  lines.push(`  data: ${config.dataDir}    stop: Ctrl-C`);
  return lines.join("\n");
}

const IdTokenClaims = z.looseObject({ sub: z.string().min(1) });

/**
 * The demo owner's account, as Google sign-in through the emulator would create it (same id,
 * from the id_token's `sub`), connected with a fresh refresh token: the emulator keeps its grants
 * in memory, so the token stored by an earlier start no longer works.
 */
async function connectDemoAccount(
  demo: { seed: DemoSeed; emulator: DemoEmulator },
  accounts: ReturnType<typeof createSyncServices>["accounts"],
): Promise<string> {
  const tokens = demo.emulator.issueTokens(demo.seed.email);
  const payload = tokens.id_token.split(".")[1] ?? "";
  const claims = IdTokenClaims.parse(JSON.parse(Buffer.from(payload, "base64url").toString()));
  const accountId = accountIdFor(claims.sub);
  await accounts.createAccount({
    accountId,
    email: demo.seed.email,
    settings: demo.seed.settings,
  });
  await accounts.setRefreshToken(accountId, tokens.refresh_token);
  return accountId;
}

/** Pages a person opens without a session: they are left to the app. */
const OPEN_PATHS = /^\/(?:signin|signout|auth\/|assets\/)/;

/**
 * The demo signs its owner in: a page request without a session cookie gets a fresh session for
 * the demo account and is sent back to the same address. Only the demo does this, and only for
 * the demo account; the Google sign-in (through the emulator's consent page) works as well.
 */
function withDemoSignIn(
  app: ReturnType<typeof createApp>,
  options: { deps: AppDeps; accountId: string },
): (request: Request, env: unknown) => Response | Promise<Response> {
  const config = resolveConfig(options.deps.config);
  const gate = new Hono();
  gate.on(["GET", "HEAD"], "*", async (c) => {
    const session = await options.deps.stores.sessions.create(
      options.accountId,
      config.sessionTtlSeconds,
    );
    await setSessionCookie(
      c,
      config,
      { accountId: options.accountId, sessionId: session.sessionId },
      session.expiresAt,
      options.deps.now(),
    );
    c.header("Cache-Control", "no-store");
    return c.redirect(new URL(c.req.url).pathname + new URL(c.req.url).search, 303);
  });
  return (request, env) => {
    const url = new URL(request.url);
    const wantsPage = request.method === "GET" || request.method === "HEAD";
    if (wantsPage && !OPEN_PATHS.test(url.pathname) && !hasSessionCookie(request)) {
      return gate.fetch(request, env);
    }
    return app.fetch(request, env);
  };
}

/** Whether the request carries the app's session cookie at all (valid or not, the app decides). */
function hasSessionCookie(request: Request): boolean {
  const header = request.headers.get("cookie") ?? "";
  return header
    .split(";")
    .some((pair) => /^(?:__Host-)?decorum_session$/.test(pair.split("=")[0]?.trim() ?? ""));
}

/** Progress of the demo mailbox, printed as it is processed. */
function demoProgress(seed: DemoSeed, print: (line: string) => void) {
  let messages = 0;
  let events = 0;
  let invitations = 0;
  let drafts = 0;
  let lastPrinted = 0;
  return {
    processed(event: ProcessedEvent) {
      if (event.type === "gmail-sync") messages++;
      else events++;
      if (event.outcome.kind === "triaged") {
        if (event.outcome.category !== "not_invitation" && event.outcome.recorded === "new") {
          invitations++;
        }
        if (event.outcome.draft === "created") drafts++;
      }
      if (event.type !== "gmail-sync") return;
      const step = Math.max(1, Math.floor(seed.inboxCount / 8));
      if (messages - lastPrinted >= step || messages === seed.inboxCount) {
        lastPrinted = messages;
        print(`processing demo mailbox: ${messages}/${seed.inboxCount}…`);
      }
    },
    done() {
      if (invitations === 0 && drafts === 0) {
        print(
          "demo mailbox already processed: nothing new (the ledger is kept in the data directory)",
        );
        return;
      }
      print(
        `demo mailbox processed: ${messages} messages and ${events} calendar events, ${invitations} new invitations, ${drafts} reply drafts`,
      );
    },
  };
}

function listen(
  port: number,
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" });
    if (!isHttpServer(server)) {
      reject(new Error("expected an HTTP/1 server"));
      return;
    }
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function isHttpServer(server: ReturnType<typeof serve>): server is Server {
  return "closeAllConnections" in server;
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Browsers keep idle connections open; they must not hold the process alive.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return address.port;
}

/** Calls `run` at the top of every hour until stopped. */
function everyHour(now: () => Date, run: () => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const wait = HOUR_MS - (now().getTime() % HOUR_MS);
    timer = setTimeout(() => {
      run();
      schedule();
    }, wait);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
