/**
 * An in-process Google emulator for development, tests and the demo: Gmail v1, Calendar v3 and
 * Google's OAuth endpoints on one real HTTP server at 127.0.0.1, speaking Google's paths, query
 * parameters, JSON shapes and error bodies so the real @googleapis clients talk to it unchanged
 * (`gmail({ version: "v1", rootUrl: emu.url + "/", auth })`).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { calendar_v3 } from "@googleapis/calendar";
import { calendarRoutes, EventInput, normalizeEvent, notifyCalendarChange } from "./calendar.ts";
import { type ApiContext, type Core, findBox } from "./core.ts";
import { faultError, GoogleApiError, notFound, OAuthError } from "./errors.ts";
import { type FaultSpec, Faults } from "./faults.ts";
import { gmailPushFor, gmailRoutes } from "./gmail.ts";
import { applyFieldMask, matchRoute, type Reply, type Route, readBody } from "./http.ts";
import { createSigningKey } from "./keys.ts";
import { parseMime } from "./mime.ts";
import { DEFAULT_TEST_SCOPES, ISSUER, normalizeScopes, oauthRoutes, TokenStore } from "./oauth.ts";
import type { PushRecord, PushResult } from "./push.ts";
import { signPushJwt } from "./pushauth.ts";
import { seedCalendar, seedMailbox } from "./seed.ts";
import { Ids, Mailbox } from "./store.ts";

export type { FaultSpec } from "./faults.ts";
export type { PushRecord, PushResult } from "./push.ts";

export interface EmulatorUser {
  email: string;
  name?: string;
  /** Folder of .eml files (top level → INBOX+UNREAD; sent/, spam/, trash/ subfolders). */
  mailboxDir?: string;
  /** Folder of Calendar-shaped .json events and .ics files. */
  calendarDir?: string;
  /** The calendar's time zone as events.list reports it (default "UTC"). */
  timeZone?: string;
}

export interface EmulatorOptions {
  users?: EmulatorUser[];
  clientId?: string;
  clientSecret?: string;
  /** The `email` claim of Pub/Sub push tokens. */
  pushServiceAccount?: string;
  now?: () => number;
  port?: number;
  /** Registered redirect URIs; when absent any http(s) redirect_uri is accepted. */
  redirectUris?: string[];
  /** Who the consent page signs in without asking when several users exist. */
  defaultUser?: string;
  /** Where Gmail watch notifications go (also settable later with setPushEndpoint). */
  pushEndpoint?: string;
  /** How long a push waits for the receiver before counting as failed (default 5000 ms). */
  pushTimeoutMs?: number;
  /** Randomness for probabilistic faults (default Math.random). */
  random?: () => number;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  id_token: string;
}

export interface EmulatorState {
  messages: Array<{ id: string; threadId: string; labelIds: string[]; raw: string }>;
  drafts: Array<{ id: string; message: { id: string; threadId: string; raw: string } }>;
  sent: Array<{ id: string; threadId: string; raw: string }>;
  labels: Array<{ id: string; name: string }>;
  historyId: string;
  watch: { topicName: string; expiration: number; labelIds: string[] } | null;
  channels: Array<{
    id: string;
    resourceId: string;
    address: string;
    token?: string;
    expiration: number;
  }>;
  /** Calendar events as stored (recurring masters unexpanded). */
  events: calendar_v3.Schema$Event[];
}

export interface GoogleEmulator {
  url: string;
  clientId: string;
  clientSecret: string;
  endpoints: {
    authUrl: string;
    tokenUrl: string;
    revokeUrl: string;
    certsUrl: string;
    issuer: string;
    jwksUrl: string;
    tokenInfoUrl: string;
    userInfoUrl: string;
  };
  /** Ready for `new OAuth2Client({ ..., endpoints: emu.googleAuthEndpoints })`. */
  googleAuthEndpoints: {
    oauth2AuthBaseUrl: string;
    oauth2TokenUrl: string;
    oauth2RevokeUrl: string;
    oauth2FederatedSignonPemCertsUrl: string;
    oauth2FederatedSignonJwkCertsUrl: string;
    tokenInfoUrl: string;
  };
  close(): Promise<void>;
  addUser(user: EmulatorUser): void;
  /** Mint tokens without the browser flow (tests). */
  issueTokens(email: string, opts?: { scopes?: string[]; accessTtlSeconds?: number }): IssuedTokens;
  expireAccessTokens(email: string): void;
  /** Revokes the user's grants: refresh tokens answer invalid_grant, access tokens 401. */
  revokeRefreshTokens(email: string): void;
  deliverMessage(
    email: string,
    raw: string | Uint8Array,
    opts?: { labelIds?: string[]; threadId?: string; internalDate?: number },
  ): Promise<{ id: string; threadId: string; historyId: string; push?: PushResult }>;
  upsertEvent(
    email: string,
    event: object,
  ): Promise<{ id: string; push?: PushResult; pushes: PushResult[] }>;
  /** history.list from any id earlier than the current one → 404. */
  expireHistory(email: string): void;
  /** events.list with an old syncToken (or pageToken) → 410. */
  invalidateSyncTokens(email: string): void;
  faults: { add(f: FaultSpec): void; clear(): void };
  signPushToken(opts: {
    audience: string;
    email?: string;
    emailVerified?: boolean;
    expiresInSeconds?: number;
    key?: "emulator" | "forged";
  }): Promise<string>;
  state(email: string): EmulatorState;
  /** Every API call, for counting calls per method. Dropped connections have status 0. */
  calls: Array<{ method: string; user: string | null; status: number }>;
  /** Every push sent (Gmail Pub/Sub and Calendar channels) with the receiver's answer. */
  pushes: PushRecord[];
  setPushEndpoint(url: string | null): void;
  /** Resolves once every push in flight has been answered (or failed). */
  idle(): Promise<void>;
}

export async function startGoogleEmulator(opts: EmulatorOptions = {}): Promise<GoogleEmulator> {
  const now = opts.now ?? Date.now;
  const pending = new Set<Promise<PushResult>>();
  const kid = randomBytes(20).toString("hex");
  // The forged key shares the kid, so only the signature check can tell them apart.
  const [key, forged] = await Promise.all([
    createSigningKey({ kid, slot: 0, now: now() }),
    createSigningKey({ kid, slot: 1, now: now() }),
  ]);

  const core: Core = {
    now,
    url: "",
    clientId: opts.clientId ?? "emulator-client-id.apps.googleusercontent.com",
    clientSecret: opts.clientSecret ?? "emulator-client-secret",
    redirectUris: opts.redirectUris ?? null,
    defaultUser: opts.defaultUser?.toLowerCase() ?? null,
    pushServiceAccount: opts.pushServiceAccount ?? "gmail-push@emulator.iam.gserviceaccount.com",
    pushEndpoint: opts.pushEndpoint ?? null,
    pushTimeoutMs: opts.pushTimeoutMs ?? 5000,
    boxes: new Map(),
    ids: new Ids(now),
    tokens: new TokenStore({ now, key, box: (email) => findBox(core, email) }),
    key,
    forgedKey: () => forged,
    pushes: [],
    track: (p) => {
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return p;
    },
  };

  const faults = new Faults(opts.random ?? Math.random);
  const calls: GoogleEmulator["calls"] = [];
  const routes: Route<ApiContext>[] = [
    ...oauthRoutes(core),
    ...gmailRoutes(core),
    ...calendarRoutes(core),
  ];

  const addUser = (user: EmulatorUser) => {
    const email = user.email.toLowerCase();
    if (core.boxes.has(email)) throw new Error(`emulator: user ${email} already exists`);
    const box = new Mailbox(email, user.name, (change) => gmailPushFor(core, change));
    if (user.timeZone) box.timeZone = user.timeZone;
    core.boxes.set(email, box);
    if (user.mailboxDir) seedMailbox(core, box, user.mailboxDir);
    if (user.calendarDir) seedCalendar(core, box, user.calendarDir);
    // Seeded mail is "old": history before it has expired, as it would have on Gmail.
    box.historyFloor = box.historyId;
  };
  for (const user of opts.users ?? []) addUser(user);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", core.url);
    const match = matchRoute(routes, req.method ?? "GET", url.pathname);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const tokenValue = bearer ?? url.searchParams.get("access_token") ?? undefined;
    const access = tokenValue ? core.tokens.resolveAccess(tokenValue) : null;
    const entry = {
      method: match?.route.name ?? "unknown",
      user: access?.email ?? null,
      status: 0,
    };
    calls.push(entry);
    let reply: Reply;
    try {
      const fault = faults.take(entry.method, entry.user);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.drop) {
        req.socket.destroy();
        return;
      }
      if (fault?.status) throw faultError(fault.status, fault.retryAfterSeconds);
      if (!match) throw notFound();
      const body = await readBody(req);
      reply = await match.route.handle({ req, url, params: match.params, body, access });
    } catch (e) {
      reply = errorReply(e);
    }
    entry.status = reply.status;
    write(res, reply, url.searchParams.get("fields"));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) write(res, errorReply(e), null);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("emulator: no TCP address");
  core.url = `http://127.0.0.1:${address.port}`;

  const idle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  const endpoints = {
    authUrl: `${core.url}/o/oauth2/v2/auth`,
    tokenUrl: `${core.url}/token`,
    revokeUrl: `${core.url}/revoke`,
    certsUrl: `${core.url}/oauth2/v1/certs`,
    issuer: ISSUER,
    jwksUrl: `${core.url}/oauth2/v3/certs`,
    tokenInfoUrl: `${core.url}/tokeninfo`,
    userInfoUrl: `${core.url}/v1/userinfo`,
  };

  const rawText = (buf: Buffer) => buf.toString("utf8");

  return {
    url: core.url,
    clientId: core.clientId,
    clientSecret: core.clientSecret,
    endpoints,
    googleAuthEndpoints: {
      oauth2AuthBaseUrl: endpoints.authUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
      oauth2RevokeUrl: endpoints.revokeUrl,
      oauth2FederatedSignonPemCertsUrl: endpoints.certsUrl,
      oauth2FederatedSignonJwkCertsUrl: endpoints.jwksUrl,
      tokenInfoUrl: endpoints.tokenInfoUrl,
    },
    calls,
    pushes: core.pushes,
    faults: { add: (f) => faults.add(f), clear: () => faults.clear() },
    addUser,
    idle,

    async close() {
      await idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },

    issueTokens(email, o = {}) {
      const box = findBox(core, email);
      const scopes = normalizeScopes(o.scopes ?? DEFAULT_TEST_SCOPES);
      const t = core.tokens.issue({
        box,
        clientId: core.clientId,
        scopes,
        withRefresh: true,
        ...(o.accessTtlSeconds !== undefined ? { ttlSeconds: o.accessTtlSeconds } : {}),
      });
      return {
        access_token: t.access_token,
        refresh_token: t.refresh_token ?? "",
        expires_in: t.expires_in,
        id_token: t.id_token ?? core.tokens.idToken(box, core.clientId, scopes),
      };
    },

    expireAccessTokens: (email) => core.tokens.expireAccess(findBox(core, email).email),
    revokeRefreshTokens: (email) => core.tokens.revokeUser(findBox(core, email).email),

    async deliverMessage(email, raw, o = {}) {
      const box = findBox(core, email);
      const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw);
      const mime = parseMime(bytes);
      const msg = box.addMessage({
        id: core.ids.message(),
        raw: bytes,
        labelIds: o.labelIds ?? ["INBOX", "UNREAD"],
        internalDate: o.internalDate ?? now(),
        threadId: o.threadId ?? box.resolveThread(mime, undefined, "incoming"),
      });
      const pushPromise = box.lastPush;
      const out = { id: msg.id, threadId: msg.threadId, historyId: String(msg.historyId) };
      return pushPromise ? { ...out, push: await pushPromise } : out;
    },

    async upsertEvent(email, event) {
      const box = findBox(core, email);
      const input = EventInput.parse(event);
      const existing = input.id ? box.events.get(input.id)?.event : undefined;
      const stored = box.touchEvent(normalizeEvent(core, box, input, existing));
      const pushes = await Promise.all(notifyCalendarChange(core, box));
      const id = stored.event.id ?? "";
      return pushes[0] ? { id, push: pushes[0], pushes } : { id, pushes };
    },

    expireHistory(email) {
      const box = findBox(core, email);
      box.historyFloor = box.historyId;
    },

    invalidateSyncTokens(email) {
      const box = findBox(core, email);
      box.syncEpoch = `${box.syncEpoch}x`;
    },

    signPushToken: async (o) => signPushJwt(core, o),

    setPushEndpoint(url) {
      core.pushEndpoint = url;
    },

    state(email) {
      const box = findBox(core, email);
      const messages = [...box.messages.values()];
      return {
        messages: messages.map((m) => ({
          id: m.id,
          threadId: m.threadId,
          labelIds: [...m.labelIds],
          raw: rawText(m.raw),
        })),
        drafts: [...box.drafts.entries()].flatMap(([id, messageId]) => {
          const m = box.messages.get(messageId);
          return m
            ? [{ id, message: { id: m.id, threadId: m.threadId, raw: rawText(m.raw) } }]
            : [];
        }),
        sent: messages
          .filter((m) => m.labelIds.includes("SENT"))
          .map((m) => ({ id: m.id, threadId: m.threadId, raw: rawText(m.raw) })),
        labels: [...box.labels.values()].map((l) => ({ id: l.id ?? "", name: l.name ?? "" })),
        historyId: String(box.historyId),
        watch: box.watch
          ? {
              topicName: box.watch.topicName,
              expiration: box.watch.expiration,
              labelIds: [...box.watch.labelIds],
            }
          : null,
        channels: [...box.channels.values()].map((c) => ({
          id: c.id,
          resourceId: c.resourceId,
          address: c.address,
          ...(c.token !== undefined ? { token: c.token } : {}),
          expiration: c.expiration,
        })),
        events: [...box.events.values()].map((s) => s.event),
      };
    },
  };
}

function errorReply(e: unknown): Reply {
  if (e instanceof GoogleApiError) return { status: e.code, json: e.body(), headers: e.headers };
  if (e instanceof OAuthError) return { status: e.status, json: e.body() };
  const message = e instanceof Error ? e.message : String(e);
  return {
    status: 500,
    json: new GoogleApiError(500, `Internal error encountered: ${message}`).body(),
  };
}

function write(res: ServerResponse, reply: Reply, fields: string | null): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.json !== undefined) {
    const json = fields && reply.status < 300 ? applyFieldMask(reply.json, fields) : reply.json;
    payload = JSON.stringify(json);
    headers["content-type"] = "application/json; charset=UTF-8";
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers["content-type"] = reply.contentType ?? "text/plain; charset=UTF-8";
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : payload);
}
