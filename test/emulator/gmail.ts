import { createHash } from "node:crypto";
import type { gmail_v1 } from "@googleapis/gmail";
import * as z from "zod";
import { type ApiContext, type Core, requireUser } from "./core.ts";
import { badRequest, GoogleApiError, notFound } from "./errors.ts";
import {
  decodePageToken,
  encodePageToken,
  parseJsonBody,
  qBool,
  qInt,
  type Route,
  route,
} from "./http.ts";
import {
  addressesIn,
  findPart,
  gmailPayload,
  headerValue,
  parseAttachmentId,
  parseMime,
  plainText,
} from "./mime.ts";
import { type PushResult, postNotification } from "./push.ts";
import { signPushJwt } from "./pushauth.ts";
import type { HistoryRecord, Mailbox, MailboxChange, StoredMessage } from "./store.ts";

const MAIL = "https://mail.google.com/";
const G = "https://www.googleapis.com/auth/gmail.";
const SCOPES = {
  profile: [MAIL, `${G}modify`, `${G}readonly`, `${G}metadata`, `${G}compose`],
  read: [MAIL, `${G}modify`, `${G}readonly`, `${G}metadata`],
  body: [MAIL, `${G}modify`, `${G}readonly`],
  modify: [MAIL, `${G}modify`],
  send: [MAIL, `${G}modify`, `${G}compose`, `${G}send`],
  draftWrite: [MAIL, `${G}modify`, `${G}compose`],
  draftRead: [MAIL, `${G}modify`, `${G}compose`, `${G}readonly`],
  labelsRead: [MAIL, `${G}modify`, `${G}readonly`, `${G}metadata`, `${G}labels`],
  labelsWrite: [MAIL, `${G}modify`, `${G}labels`],
} as const;

type Format = "full" | "raw" | "metadata" | "minimal";

function parseFormat(value: string | null): Format {
  const f = (value ?? "full").toLowerCase();
  if (f === "full" || f === "raw" || f === "metadata" || f === "minimal") return f;
  throw badRequest(`Invalid value at 'format' (${value})`);
}

/** A token holding only gmail.metadata cannot read bodies or search, as on Gmail. */
function onlyMetadata(scopes: string[]): boolean {
  return scopes.includes(`${G}metadata`) && !scopes.some((s) => SCOPES.body.includes(s as never));
}

export function messageResource(
  msg: StoredMessage,
  format: Format,
  metadataHeaders: string[] | null = null,
): gmail_v1.Schema$Message {
  const out: gmail_v1.Schema$Message = {
    id: msg.id,
    threadId: msg.threadId,
    labelIds: [...msg.labelIds],
    snippet: msg.snippet,
    sizeEstimate: msg.raw.length,
    historyId: String(msg.historyId),
    internalDate: String(msg.internalDate),
  };
  if (format === "raw") out.raw = msg.raw.toString("base64url");
  if (format === "full") out.payload = gmailPayload(msg.mime, msg.id, { kind: "full" });
  if (format === "metadata") {
    out.payload = gmailPayload(msg.mime, msg.id, { kind: "metadata", headers: metadataHeaders });
  }
  return out;
}

function validId(id: string): string {
  if (!/^[0-9a-fA-F]{1,24}$/.test(id)) throw badRequest("Invalid id value");
  return id.toLowerCase();
}

function getMessage(box: Mailbox, id: string): StoredMessage {
  const msg = box.messages.get(validId(id));
  if (!msg) throw notFound();
  return msg;
}

function fingerprint(url: URL): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== "pageToken").sort();
  return createHash("sha1").update(JSON.stringify(params)).digest("base64url").slice(0, 10);
}

function page<T>(url: URL, items: T[], dflt: number, max: number): { items: T[]; next?: string } {
  const size = qInt(url, "maxResults", dflt, max);
  const token = url.searchParams.get("pageToken");
  let offset = 0;
  if (token) {
    const decoded = decodePageToken(token);
    if (decoded.f !== fingerprint(url) || typeof decoded.o !== "number") {
      throw badRequest("Invalid pageToken");
    }
    offset = decoded.o;
  }
  const slice = items.slice(offset, offset + size);
  const nextOffset = offset + size;
  return nextOffset < items.length
    ? { items: slice, next: encodePageToken({ o: nextOffset, f: fingerprint(url) }) }
    : { items: slice };
}

function newestFirst(a: StoredMessage, b: StoredMessage): number {
  return b.internalDate - a.internalDate || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0);
}

// --- search (`q`) ----------------------------------------------------------------------------

function tokenize(q: string): string[] {
  return [...q.matchAll(/-?[^\s"]*"[^"]*"|\S+/g)].map((m) => m[0]);
}

function parseDateTerm(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  // Gmail reads dates in the account's time zone; the emulator's accounts live in UTC.
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return null;
}

function parseAge(value: string): number | null {
  const m = /^(\d+)([dmy])$/.exec(value);
  if (!m) return null;
  const days = { d: 1, m: 30, y: 365 }[m[2] as "d" | "m" | "y"];
  return Number(m[1]) * days * 86_400_000;
}

function labelMatches(box: Mailbox, msg: StoredMessage, name: string): boolean {
  const wanted = name.toLowerCase().replace(/[-/]/g, " ");
  return msg.labelIds.some((id) => {
    const label = box.labels.get(id);
    const labelName = (label?.name ?? id).toLowerCase().replace(/[-/]/g, " ");
    return id.toLowerCase() === name.toLowerCase() || labelName === wanted;
  });
}

function matchesTerm(box: Mailbox, msg: StoredMessage, term: string, now: number): boolean {
  const colon = term.indexOf(":");
  const op = colon > 0 ? term.slice(0, colon).toLowerCase() : "";
  const value = (colon > 0 ? term.slice(colon + 1) : term).replace(/^"|"$/g, "");
  const header = (name: string) => (headerValue(msg.mime.headers, name) ?? "").toLowerCase();
  switch (op) {
    case "after":
    case "before": {
      const t = parseDateTerm(value);
      if (t === null) break;
      return op === "after" ? msg.internalDate >= t : msg.internalDate < t;
    }
    case "newer_than":
    case "older_than": {
      const age = parseAge(value);
      if (age === null) break;
      return op === "newer_than" ? msg.internalDate >= now - age : msg.internalDate < now - age;
    }
    case "in":
      if (value.toLowerCase() === "anywhere") return true;
      return labelMatches(box, msg, value.toLowerCase() === "drafts" ? "DRAFT" : value);
    case "label":
      return labelMatches(box, msg, value);
    case "is": {
      const v = value.toLowerCase();
      if (v === "read") return !msg.labelIds.includes("UNREAD");
      return labelMatches(box, msg, v);
    }
    case "has":
      if (value.toLowerCase() === "attachment") {
        return /"filename":"[^"]+"/.test(
          JSON.stringify(gmailPayload(msg.mime, msg.id, { kind: "full" })),
        );
      }
      break;
    case "from":
    case "to":
    case "cc":
    case "bcc":
    case "subject":
      return header(op).includes(value.toLowerCase());
    case "rfc822msgid":
      return (msg.messageIdHeader ?? "").replace(/[<>]/g, "") === value.replace(/[<>]/g, "");
  }
  const haystack = [
    header("subject"),
    header("from"),
    header("to"),
    plainText(msg.mime).toLowerCase(),
  ].join("\n");
  return haystack.includes(value.toLowerCase());
}

function matchesQuery(box: Mailbox, msg: StoredMessage, q: string, now: number): boolean {
  return tokenize(q)
    .filter((t) => t !== "OR" && t !== "AND")
    .every((term) =>
      term.startsWith("-") && term.length > 1
        ? !matchesTerm(box, msg, term.slice(1), now)
        : matchesTerm(box, msg, term, now),
    );
}

function searchesSpamOrTrash(q: string): boolean {
  return /\bin:(spam|trash|anywhere)\b|\blabel:(spam|trash)\b/i.test(q);
}

// --- history -----------------------------------------------------------------------------------

function historyResource(r: HistoryRecord): gmail_v1.Schema$History {
  const message = { ...r.message, labelIds: [...r.message.labelIds] };
  const out: gmail_v1.Schema$History = {
    id: String(r.id),
    messages: [{ id: r.message.id, threadId: r.message.threadId }],
  };
  if (r.kind === "messageAdded") out.messagesAdded = [{ message }];
  if (r.kind === "messageDeleted") out.messagesDeleted = [{ message }];
  if (r.kind === "labelAdded") out.labelsAdded = [{ message, labelIds: r.labelIds }];
  if (r.kind === "labelRemoved") out.labelsRemoved = [{ message, labelIds: r.labelIds }];
  return out;
}

// --- uploads -----------------------------------------------------------------------------------

/** `/upload/...?uploadType=media|multipart`: the raw message in the body or its second part. */
function readUpload(ctx: ApiContext): { raw: Buffer; meta: unknown } {
  const type = ctx.url.searchParams.get("uploadType") ?? "media";
  if (type === "media") return { raw: ctx.body, meta: {} };
  const ct = ctx.req.headers["content-type"] ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (type !== "multipart" || !boundary) throw badRequest("Unsupported uploadType");
  const text = ctx.body.toString("latin1");
  const pieces = text.split(`--${boundary}`).slice(1, -1);
  const bodies = pieces.map((p) => {
    const sep = /\r?\n\r?\n/.exec(p);
    const content = sep ? p.slice(sep.index + sep[0].length) : "";
    return Buffer.from(content.replace(/\r?\n$/, ""), "latin1");
  });
  const [metaPart, rawPart] = bodies;
  let meta: unknown = {};
  try {
    meta = JSON.parse(metaPart?.toString("utf8") || "{}");
  } catch {
    throw badRequest("Invalid JSON payload received.");
  }
  return { raw: rawPart ?? Buffer.alloc(0), meta };
}

const MessageInput = z.looseObject({
  raw: z.string().optional(),
  threadId: z.string().optional(),
});

const DraftInput = z.looseObject({
  id: z.string().optional(),
  message: MessageInput.optional(),
});

function rawFrom(base64url: string | undefined): Buffer {
  if (!base64url) {
    throw badRequest(
      "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    );
  }
  return Buffer.from(base64url, "base64url");
}

/** Gmail stamps what a sent message lacks: From, Date and a Message-ID of its own. */
function stampOutgoing(raw: Buffer, box: Mailbox, now: number, id: string): Buffer {
  const mime = parseMime(raw);
  const missing: string[] = [];
  if (!headerValue(mime.headers, "from")) missing.push(`From: ${box.email}`);
  if (!headerValue(mime.headers, "date"))
    missing.push(`Date: ${new Date(now).toUTCString().replace("GMT", "+0000")}`);
  if (!headerValue(mime.headers, "message-id"))
    missing.push(`Message-ID: <emu.${id}@mail.gmail.com>`);
  if (missing.length === 0) return raw;
  return Buffer.concat([Buffer.from(`${missing.join("\r\n")}\r\n`, "latin1"), raw]);
}

// --- push --------------------------------------------------------------------------------------

/** Pub/Sub push for a mailbox change, if a live watch wants it (label filter included). */
export function gmailPushFor(core: Core, change: MailboxChange): Promise<PushResult> | undefined {
  const { box, record } = change;
  const w = box.watch;
  const endpoint = core.pushEndpoint;
  if (!w || w.expiration <= core.now() || !endpoint) return undefined;
  if (w.labelIds.length > 0) {
    const labels = new Set([...record.message.labelIds, ...record.labelIds]);
    const hit = w.labelIds.some((l) => labels.has(l));
    if (w.behavior === "include" ? !hit : hit) return undefined;
  }
  const project = /^projects\/([^/]+)\//.exec(w.topicName)?.[1] ?? "emulator";
  const messageId = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
  const publishTime = new Date(core.now()).toISOString();
  // Gmail publishes historyId as a JSON number even though the guide shows a string.
  const data = Buffer.from(
    JSON.stringify({ emailAddress: box.email, historyId: box.historyId }),
    "utf8",
  ).toString("base64");
  const body = JSON.stringify({
    message: { data, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription: `projects/${project}/subscriptions/gmail-push`,
  });
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${signPushJwt(core, { audience: endpoint })}`,
  };
  const record_ = {
    kind: "gmail" as const,
    user: box.email,
    url: endpoint,
    headers,
    body,
    result: null as PushResult | null,
  };
  core.pushes.push(record_);
  return core.track(
    postNotification(endpoint, headers, body, core.pushTimeoutMs).then((r) => {
      record_.result = r;
      return r;
    }),
  );
}

// --- routes ------------------------------------------------------------------------------------

export function gmailRoutes(core: Core): Route<ApiContext>[] {
  const base = "/gmail/v1/users/:userId";

  const deliverCopies = (raw: Buffer, from: Mailbox) => {
    const mime = parseMime(raw);
    const recipients = new Set(
      ["to", "cc", "bcc"].flatMap((h) => addressesIn(headerValue(mime.headers, h))),
    );
    for (const address of recipients) {
      const other = core.boxes.get(address);
      if (!other || other === from) continue;
      const id = core.ids.message();
      other.addMessage({
        id,
        raw,
        labelIds: ["INBOX", "UNREAD"],
        internalDate: core.now(),
        threadId: other.resolveThread(mime, undefined, "incoming"),
      });
    }
    return recipients;
  };

  return [
    route("gmail.users.getProfile", "GET", `${base}/profile`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.profile);
      const threads = new Set([...box.messages.values()].map((m) => m.threadId));
      const body: gmail_v1.Schema$Profile = {
        emailAddress: box.email,
        messagesTotal: box.messages.size,
        threadsTotal: threads.size,
        historyId: String(box.historyId),
      };
      return { status: 200, json: body };
    }),

    route("gmail.users.watch", "POST", `${base}/watch`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.read);
      const input = parseJsonBody(
        ctx.body,
        z.looseObject({
          topicName: z.string().optional(),
          labelIds: z.array(z.string()).optional(),
          labelFilterBehavior: z.string().optional(),
          labelFilterAction: z.string().optional(),
        }),
      );
      if (!input.topicName || !/^projects\/[^/]+\/topics\/[^/]+$/.test(input.topicName)) {
        throw badRequest("Invalid topicName does not match projects/SOME-PROJECT/topics/*");
      }
      const behavior = (
        input.labelFilterBehavior ??
        input.labelFilterAction ??
        "include"
      ).toLowerCase();
      const expiration = core.now() + 7 * 86_400_000;
      box.watch = {
        topicName: input.topicName,
        labelIds: input.labelIds ?? [],
        behavior: behavior === "exclude" ? "exclude" : "include",
        expiration,
      };
      const body: gmail_v1.Schema$WatchResponse = {
        historyId: String(box.historyId),
        expiration: String(expiration),
      };
      return { status: 200, json: body };
    }),

    route("gmail.users.stop", "POST", `${base}/stop`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.read);
      box.watch = null;
      return { status: 204 };
    }),

    route("gmail.users.history.list", "GET", `${base}/history`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.read);
      const startRaw = ctx.url.searchParams.get("startHistoryId");
      if (!startRaw) throw badRequest("Missing required parameter startHistoryId", "required");
      if (!/^\d+$/.test(startRaw)) throw badRequest("Invalid startHistoryId");
      const start = Number(startRaw);
      if (start < box.historyFloor) throw notFound();
      const types = ctx.url.searchParams.getAll("historyTypes");
      const labelId = ctx.url.searchParams.get("labelId");
      const records = box.history.filter(
        (r) =>
          r.id > start &&
          (types.length === 0 || types.includes(r.kind)) &&
          (!labelId || r.message.labelIds.includes(labelId) || r.labelIds.includes(labelId)),
      );
      const { items, next } = page(ctx.url, records, 100, 500);
      const body: gmail_v1.Schema$ListHistoryResponse = { historyId: String(box.historyId) };
      if (items.length > 0) body.history = items.map(historyResource);
      if (next) body.nextPageToken = next;
      return { status: 200, json: body };
    }),

    route("gmail.users.messages.list", "GET", `${base}/messages`, (ctx) => {
      const { box, access } = requireUser(core, ctx, SCOPES.read);
      const q = ctx.url.searchParams.get("q") ?? "";
      if (q && onlyMetadata(access.scopes)) {
        throw new GoogleApiError(403, "Metadata scope does not support 'q' parameter");
      }
      const labelIds = ctx.url.searchParams.getAll("labelIds");
      const includeSpamTrash = qBool(ctx.url, "includeSpamTrash") || searchesSpamOrTrash(q);
      const now = core.now();
      const matches = [...box.messages.values()]
        .filter(
          (m) =>
            (includeSpamTrash || !m.labelIds.some((l) => l === "SPAM" || l === "TRASH")) &&
            labelIds.every((l) => m.labelIds.includes(l)) &&
            (!q || matchesQuery(box, m, q, now)),
        )
        .sort(newestFirst);
      const { items, next } = page(ctx.url, matches, 100, 500);
      const body: gmail_v1.Schema$ListMessagesResponse = { resultSizeEstimate: matches.length };
      if (items.length > 0) body.messages = items.map((m) => ({ id: m.id, threadId: m.threadId }));
      if (next) body.nextPageToken = next;
      return { status: 200, json: body };
    }),

    route("gmail.users.messages.get", "GET", `${base}/messages/:id`, (ctx) => {
      const { box, access } = requireUser(core, ctx, SCOPES.read);
      const format = parseFormat(ctx.url.searchParams.get("format"));
      if ((format === "raw" || format === "full") && onlyMetadata(access.scopes)) {
        throw new GoogleApiError(
          403,
          `Metadata scope doesn't allow format ${format.toUpperCase()}`,
        );
      }
      const msg = getMessage(box, ctx.params.id ?? "");
      const wanted = ctx.url.searchParams.getAll("metadataHeaders");
      return { status: 200, json: messageResource(msg, format, wanted.length > 0 ? wanted : null) };
    }),

    route(
      "gmail.users.messages.attachments.get",
      "GET",
      `${base}/messages/:messageId/attachments/:id`,
      (ctx) => {
        const { box } = requireUser(core, ctx, SCOPES.body);
        const msg = getMessage(box, ctx.params.messageId ?? "");
        const ref = parseAttachmentId(ctx.params.id ?? "");
        const part = ref && ref.messageId === msg.id ? findPart(msg.mime, ref.partId) : undefined;
        if (!part) throw notFound();
        const body: gmail_v1.Schema$MessagePartBody = {
          size: part.content.length,
          data: part.content.toString("base64url"),
        };
        return { status: 200, json: body };
      },
    ),

    route("gmail.users.messages.modify", "POST", `${base}/messages/:id/modify`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.modify);
      const msg = getMessage(box, ctx.params.id ?? "");
      const input = parseJsonBody(
        ctx.body,
        z.looseObject({
          addLabelIds: z.array(z.string()).optional(),
          removeLabelIds: z.array(z.string()).optional(),
        }),
      );
      const add = input.addLabelIds ?? [];
      const remove = input.removeLabelIds ?? [];
      for (const id of [...add, ...remove]) {
        if (!box.labels.has(id)) throw badRequest(`Invalid label: ${id}`);
      }
      if (add.includes("DRAFT") || add.includes("SENT"))
        throw badRequest(`Invalid label: ${add.includes("DRAFT") ? "DRAFT" : "SENT"}`);
      box.modifyLabels(msg, add, remove);
      return { status: 200, json: messageResource(msg, "minimal") };
    }),

    ...(["", "/upload"] as const).map((prefix) =>
      route<ApiContext>(
        "gmail.users.messages.send",
        "POST",
        `${prefix}${base}/messages/send`,
        (ctx) => {
          const { box } = requireUser(core, ctx, SCOPES.send);
          let raw: Buffer;
          let threadId: string | undefined;
          if (prefix) {
            const up = readUpload(ctx);
            raw = up.raw;
            const meta = MessageInput.safeParse(up.meta);
            threadId = meta.success ? meta.data.threadId : undefined;
          } else {
            const input = parseJsonBody(ctx.body, MessageInput);
            raw = rawFrom(input.raw);
            threadId = input.threadId;
          }
          const id = core.ids.message();
          raw = stampOutgoing(raw, box, core.now(), id);
          const mime = parseMime(raw);
          const recipients = ["to", "cc", "bcc"].flatMap((h) =>
            addressesIn(headerValue(mime.headers, h)),
          );
          if (recipients.length === 0) throw badRequest("Recipient address required");
          const toSelf = recipients.includes(box.email);
          const msg = box.addMessage({
            id,
            raw,
            labelIds: toSelf ? ["SENT", "INBOX", "UNREAD"] : ["SENT"],
            internalDate: core.now(),
            threadId: box.resolveThread(mime, threadId, "outgoing"),
          });
          deliverCopies(raw, box);
          return { status: 200, json: messageResource(msg, "minimal") };
        },
      ),
    ),

    route("gmail.users.threads.get", "GET", `${base}/threads/:id`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.read);
      const format = parseFormat(ctx.url.searchParams.get("format"));
      const id = validId(ctx.params.id ?? "");
      const messages = [...box.messages.values()]
        .filter((m) => m.threadId === id)
        .sort((a, b) => a.internalDate - b.internalDate);
      if (messages.length === 0) throw notFound();
      const wanted = ctx.url.searchParams.getAll("metadataHeaders");
      const body: gmail_v1.Schema$Thread = {
        id,
        historyId: String(Math.max(...messages.map((m) => m.historyId))),
        messages: messages.map((m) =>
          messageResource(m, format, wanted.length > 0 ? wanted : null),
        ),
      };
      return { status: 200, json: body };
    }),

    ...(["", "/upload"] as const).map((prefix) =>
      route<ApiContext>("gmail.users.drafts.create", "POST", `${prefix}${base}/drafts`, (ctx) => {
        const { box } = requireUser(core, ctx, SCOPES.draftWrite);
        let raw: Buffer;
        let requestedThread: string | undefined;
        if (prefix) {
          const up = readUpload(ctx);
          raw = up.raw;
          const meta = DraftInput.safeParse(up.meta);
          requestedThread = meta.success ? meta.data.message?.threadId : undefined;
        } else {
          const input = parseJsonBody(ctx.body, DraftInput);
          if (!input.message) throw badRequest("Missing draft message");
          raw = rawFrom(input.message.raw);
          requestedThread = input.message.threadId;
        }
        const mime = parseMime(raw);
        const msg = box.addMessage({
          id: core.ids.message(),
          raw,
          labelIds: ["DRAFT"],
          internalDate: core.now(),
          threadId: box.resolveThread(mime, requestedThread, "outgoing"),
        });
        const draftId = core.ids.draft();
        box.drafts.set(draftId, msg.id);
        const body: gmail_v1.Schema$Draft = {
          id: draftId,
          message: { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] },
        };
        return { status: 200, json: body };
      }),
    ),

    route("gmail.users.drafts.list", "GET", `${base}/drafts`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.draftRead);
      const q = ctx.url.searchParams.get("q") ?? "";
      const now = core.now();
      const drafts = [...box.drafts.entries()]
        .flatMap(([draftId, messageId]) => {
          const msg = box.messages.get(messageId);
          return msg && (!q || matchesQuery(box, msg, q, now)) ? [{ draftId, msg }] : [];
        })
        .sort((a, b) => newestFirst(a.msg, b.msg));
      const { items, next } = page(ctx.url, drafts, 100, 500);
      const body: gmail_v1.Schema$ListDraftsResponse = { resultSizeEstimate: drafts.length };
      if (items.length > 0) {
        body.drafts = items.map((d) => ({
          id: d.draftId,
          message: { id: d.msg.id, threadId: d.msg.threadId },
        }));
      }
      if (next) body.nextPageToken = next;
      return { status: 200, json: body };
    }),

    route("gmail.users.drafts.get", "GET", `${base}/drafts/:id`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.draftRead);
      const messageId = box.drafts.get(ctx.params.id ?? "");
      const msg = messageId ? box.messages.get(messageId) : undefined;
      if (!msg) throw notFound();
      const format = parseFormat(ctx.url.searchParams.get("format"));
      const body: gmail_v1.Schema$Draft = {
        id: ctx.params.id ?? "",
        message: messageResource(msg, format),
      };
      return { status: 200, json: body };
    }),

    route("gmail.users.drafts.delete", "DELETE", `${base}/drafts/:id`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.draftWrite);
      const draftId = ctx.params.id ?? "";
      const messageId = box.drafts.get(draftId);
      const msg = messageId ? box.messages.get(messageId) : undefined;
      if (!msg) throw notFound();
      box.drafts.delete(draftId);
      box.deleteMessage(msg);
      return { status: 204 };
    }),

    route("gmail.users.labels.list", "GET", `${base}/labels`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.labelsRead);
      const body: gmail_v1.Schema$ListLabelsResponse = { labels: [...box.labels.values()] };
      return { status: 200, json: body };
    }),

    route("gmail.users.labels.get", "GET", `${base}/labels/:id`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.labelsRead);
      const label = box.labels.get(ctx.params.id ?? "");
      if (!label) throw notFound();
      const counted = [...box.messages.values()].filter((m) => m.labelIds.includes(label.id ?? ""));
      const body: gmail_v1.Schema$Label = {
        ...label,
        messagesTotal: counted.length,
        messagesUnread: counted.filter((m) => m.labelIds.includes("UNREAD")).length,
        threadsTotal: new Set(counted.map((m) => m.threadId)).size,
        threadsUnread: new Set(
          counted.filter((m) => m.labelIds.includes("UNREAD")).map((m) => m.threadId),
        ).size,
      };
      return { status: 200, json: body };
    }),

    route("gmail.users.labels.create", "POST", `${base}/labels`, (ctx) => {
      const { box } = requireUser(core, ctx, SCOPES.labelsWrite);
      const input = parseJsonBody(
        ctx.body,
        z.looseObject({
          name: z.string().optional(),
          labelListVisibility: z.string().optional(),
          messageListVisibility: z.string().optional(),
          color: z
            .looseObject({
              textColor: z.string().optional(),
              backgroundColor: z.string().optional(),
            })
            .optional(),
        }),
      );
      const name = input.name?.trim();
      if (!name) throw badRequest("Invalid label name");
      const clash = [...box.labels.values()].some(
        (l) => (l.name ?? "").toLowerCase() === name.toLowerCase(),
      );
      if (clash) throw new GoogleApiError(409, "Label name exists or conflicts");
      const label: gmail_v1.Schema$Label = {
        id: box.nextUserLabelId(),
        name,
        type: "user",
        labelListVisibility: input.labelListVisibility ?? "labelShow",
        messageListVisibility: input.messageListVisibility ?? "show",
        ...(input.color ? { color: input.color } : {}),
      };
      box.labels.set(label.id ?? "", label);
      return { status: 200, json: label };
    }),
  ];
}
