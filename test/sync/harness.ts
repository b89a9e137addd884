import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import { GOOGLE_SCOPE_LIST } from "../../functions/adapters/google/scopes.ts";
import type { InProcessQueue } from "../../functions/adapters/queue/in-process.ts";
import type { LedgerRecord } from "../../functions/core/ledger.ts";
import type { Job } from "../../functions/schemas/jobs.ts";
import type { SettingsInput } from "../../functions/schemas/settings.ts";
import type { AfterStep, ProcessedEvent } from "../../functions/sync/context.ts";
import { createLocalSync } from "../../functions/sync/local.ts";
import type { WatchService } from "../../functions/sync/watch.ts";
import type { SyncServices } from "../../functions/sync/wiring.ts";
import type { JobOutcome } from "../../functions/sync/worker.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulator/index.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

export const OWNER = "alex@morganadvisory.example";
export const CLIENT = "jane.smith@harbourbank.example";
export const TOPIC = "projects/decorum-test/topics/gmail";
export const PUSH_SA = "gmail-push@emulator.iam.gserviceaccount.com";

/**
 * The whole sync path on real wires: dynalite, the Google emulator, the push routes served over
 * HTTP on 127.0.0.1 (the emulator's pushes reach them), the in-process queue running the worker.
 * Tests steer it through `hooks` (a step hook that can crash) and read `processed` and `outcomes`.
 */
export interface SyncWorld {
  dynamo: TestDynamo;
  emulator: GoogleEmulator;
  services: SyncServices;
  watch: WatchService;
  queue: InProcessQueue;
  /** The push server's origin, e.g. http://127.0.0.1:PORT */
  url: string;
  hooks: { afterStep: AfterStep | null; onReceived: ((kind: "gmail" | "calendar") => void) | null };
  processed: ProcessedEvent[];
  outcomes: Array<{ job: Job; outcome: JobOutcome }>;
  failures: Array<{ job: Job; error: unknown }>;
  log: Array<Record<string, unknown>>;
  /** Waits until no push is in flight and no job is waiting or running. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  users?: string[];
  /** Google retry policy; fast by default so storms finish quickly. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxWaitMs?: number };
  queue?: {
    maxReceives?: number;
    concurrency?: number;
    retryDelayMs?: (receives: number) => number;
  };
  emulatorRandom?: () => number;
}

export async function startSyncWorld(options: WorldOptions = {}): Promise<SyncWorld> {
  const users = options.users ?? [OWNER];
  const [dynamo, emulator] = await Promise.all([
    startTestDynamo(),
    startGoogleEmulator({
      users: users.map((email) => ({ email, name: "Alex Morgan" })),
      pushServiceAccount: PUSH_SA,
      ...(options.emulatorRandom ? { random: options.emulatorRandom } : {}),
    }),
  ]);
  const cipher = TokenCipher.fromBase64(generateTokenKey());
  const log: Array<Record<string, unknown>> = [];
  const hooks: SyncWorld["hooks"] = { afterStep: null, onReceived: null };
  const processed: ProcessedEvent[] = [];
  const outcomes: SyncWorld["outcomes"] = [];
  const failures: SyncWorld["failures"] = [];

  // The port is known only once the server listens, and the push audience names it.
  const server = serve({ fetch: (request) => app.fetch(request), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once("listening", () => resolve());
  });
  const origin = `http://127.0.0.1:${portOf(server.address())}`;
  const local = createLocalSync({
    dynamo: dynamo.client,
    tableName: dynamo.tableName,
    cipher,
    google: {
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      rootUrl: emulator.url,
      endpoints: {
        authUrl: emulator.endpoints.authUrl,
        tokenUrl: emulator.endpoints.tokenUrl,
        revokeUrl: emulator.endpoints.revokeUrl,
        certsUrl: emulator.endpoints.certsUrl,
      },
      retry: { baseDelayMs: 5, maxDelayMs: 50, maxWaitMs: 2_000, ...options.retry },
      requestTimeoutMs: 5_000,
    },
    log: (event) => log.push(event),
    baseUrl: origin,
    pushServiceAccount: PUSH_SA,
    certsUrl: emulator.endpoints.certsUrl,
    topicName: TOPIC,
    queue: {
      maxReceives: options.queue?.maxReceives ?? 5,
      concurrency: options.queue?.concurrency ?? 4,
      retryDelayMs: options.queue?.retryDelayMs ?? ((receives) => 5 * receives),
    },
    onOutcome: (job, outcome) => outcomes.push({ job, outcome }),
    onFailure: (job, error) => failures.push({ job, error }),
    onPushReceived: (kind) => hooks.onReceived?.(kind),
  });
  const app = new Hono().route("/", local.pushRoutes);
  const { services, queue, watch } = local;
  services.deps.afterStep = async (step, detail) => {
    await hooks.afterStep?.(step, detail);
  };
  services.deps.onProcessed = (event) => processed.push(event);
  emulator.setPushEndpoint(`${origin}/push/gmail`);

  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      await emulator.idle();
      await queue.idle();
      await emulator.idle();
      if (queue.size === 0) return;
    }
    throw new Error("the world did not settle");
  };

  return {
    dynamo,
    emulator,
    services,
    watch,
    queue,
    url: origin,
    hooks,
    processed,
    outcomes,
    failures,
    log,
    settle,
    async close() {
      await queue.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await Promise.all([dynamo.close(), emulator.close()]);
    },
  };
}

/** Creates a connected account for `email` (refresh token issued with Decorum's scopes). */
export async function addAccount(
  world: SyncWorld,
  options: { accountId: string; email?: string; settings?: SettingsInput; connect?: boolean },
): Promise<{ accountId: string; email: string; ledger: DynamoLedger }> {
  const email = options.email ?? OWNER;
  await world.services.accounts.createAccount({
    accountId: options.accountId,
    email,
    settings: options.settings ?? { owner: { name: "Alex Morgan" }, timeZone: "Europe/London" },
  });
  const issued = world.emulator.issueTokens(email, { scopes: [...GOOGLE_SCOPE_LIST] });
  await world.services.accounts.setRefreshToken(options.accountId, issued.refresh_token);
  if (options.connect !== false) {
    await world.watch.connect(options.accountId);
    await world.settle();
  }
  const ledger = new DynamoLedger({
    client: world.dynamo.client,
    tableName: world.dynamo.tableName,
    accountId: options.accountId,
  });
  return { accountId: options.accountId, email, ledger };
}

/** Every ledger record of an account (listing by arrival over all time). */
export async function ledgerRecords(ledger: DynamoLedger): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.listInvitations(
      { from: new Date("2000-01-01T00:00:00Z"), to: new Date("2100-01-01T00:00:00Z") },
      { limit: 1000, ...(cursor ? { cursor } : {}) },
    );
    records.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return records;
}

export interface MailOptions {
  from?: string;
  fromName?: string;
  to?: string;
  subject: string;
  body: string;
  messageId: string;
  date?: Date;
  headers?: Record<string, string>;
  /** Attaches a text/calendar REQUEST for this event, as Google Calendar's invitation emails do. */
  invite?: { uid: string; start: Date; summary: string; location?: string; organizer?: string };
}

function icsStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** An RFC 5322 message, CRLF line endings; multipart with an iTIP REQUEST when `invite` is set. */
export function mail(options: MailOptions): string {
  const from = options.from ?? CLIENT;
  const head = [
    `From: ${options.fromName ?? "Jane Smith"} <${from}>`,
    `To: Alex Morgan <${options.to ?? OWNER}>`,
    `Subject: ${options.subject}`,
    `Message-ID: <${options.messageId}>`,
    `Date: ${(options.date ?? new Date()).toUTCString()}`,
    "MIME-Version: 1.0",
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  if (!options.invite) {
    return [...head, "Content-Type: text/plain; charset=utf-8", "", options.body, ""].join("\r\n");
  }
  const invite = options.invite;
  const organizer = invite.organizer ?? from;
  const ics = [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "METHOD:REQUEST",
    "BEGIN:VEVENT",
    `DTSTART:${icsStamp(invite.start)}`,
    `DTEND:${icsStamp(new Date(invite.start.getTime() + 3 * 3_600_000))}`,
    `DTSTAMP:${icsStamp(new Date())}`,
    `ORGANIZER;CN=Jane Smith:mailto:${organizer}`,
    `UID:${invite.uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Jane Smith:mailto:${organizer}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=Alex Morgan:mailto:${options.to ?? OWNER}`,
    `SUMMARY:${invite.summary}`,
    `LOCATION:${invite.location ?? ""}`,
    "SEQUENCE:0",
    "STATUS:CONFIRMED",
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="outer"',
    "",
    "--outer",
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.body,
    "--outer",
    'Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"',
    "",
    ics,
    "--outer--",
    "",
  ].join("\r\n");
}

/** A Calendar API event inviting the owner, organised by the client, not yet answered. */
export function invitationEvent(options: {
  id?: string;
  iCalUID: string;
  summary: string;
  description?: string;
  location?: string;
  start: Date;
  organizer?: string;
  owner?: string;
  ownerResponse?: string;
}): Record<string, unknown> {
  const organizer = options.organizer ?? CLIENT;
  return {
    ...(options.id ? { id: options.id } : {}),
    iCalUID: options.iCalUID,
    summary: options.summary,
    description: options.description ?? "",
    location: options.location ?? "",
    start: { dateTime: options.start.toISOString(), timeZone: "Europe/London" },
    end: {
      dateTime: new Date(options.start.getTime() + 3 * 3_600_000).toISOString(),
      timeZone: "Europe/London",
    },
    organizer: { email: organizer, displayName: "Jane Smith" },
    attendees: [
      { email: organizer, displayName: "Jane Smith", responseStatus: "accepted", organizer: true },
      {
        email: options.owner ?? OWNER,
        displayName: "Alex Morgan",
        responseStatus: options.ownerResponse ?? "needsAction",
      },
    ],
  };
}

/** The headers of a raw message, unfolded, names lower-cased (first occurrence wins). */
export function headersOf(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}

/** Labels of a message by name. */
export function labelNames(world: SyncWorld, email: string, messageId: string): string[] {
  const state = world.emulator.state(email);
  const byId = new Map(state.labels.map((label) => [label.id, label.name]));
  const message = state.messages.find((m) => m.id === messageId);
  return (message?.labelIds ?? []).map((id) => byId.get(id) ?? id);
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** Invitation texts and what Decorum does with them (checked against the rulebook). */
export const TEXTS = {
  poker: {
    subject: "Poker night",
    body: "Would you join us for a poker night at the casino on Friday?",
  },
  home: {
    subject: "Dinner at our place",
    body: "We'd love to have you over for dinner at our home on Saturday evening.",
  },
  drinks: { subject: "Drinks", body: "Fancy drinks after work on Thursday at 7pm?" },
  meeting: {
    subject: "Quarterly review",
    body: "Can we meet on Tuesday at 10am to review the contract?",
  },
} as const;

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
