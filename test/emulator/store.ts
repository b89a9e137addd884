import { createHash, randomBytes } from "node:crypto";
import type { calendar_v3 } from "@googleapis/calendar";
import type { gmail_v1 } from "@googleapis/gmail";
import {
  headerValue,
  type MimeNode,
  normalizeSubject,
  parseMime,
  referencedIds,
  snippetOf,
} from "./mime.ts";
import type { PushResult } from "./push.ts";

export const SYSTEM_LABELS = [
  "INBOX",
  "SENT",
  "DRAFT",
  "UNREAD",
  "STARRED",
  "IMPORTANT",
  "SPAM",
  "TRASH",
  "CHAT",
  "CATEGORY_PERSONAL",
  "CATEGORY_SOCIAL",
  "CATEGORY_PROMOTIONS",
  "CATEGORY_UPDATES",
  "CATEGORY_FORUMS",
] as const;

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Buffer;
  internalDate: number;
  historyId: number;
  mime: MimeNode;
  messageIdHeader: string | undefined;
  snippet: string;
}

export type HistoryKind = "messageAdded" | "messageDeleted" | "labelAdded" | "labelRemoved";

export interface HistoryRecord {
  id: number;
  kind: HistoryKind;
  message: { id: string; threadId: string; labelIds: string[] };
  /** For label changes: the labels that changed. */
  labelIds: string[];
}

export interface GmailWatch {
  topicName: string;
  labelIds: string[];
  behavior: "include" | "exclude";
  expiration: number;
}

export interface StoredEvent {
  event: calendar_v3.Schema$Event;
  /** Change sequence within the calendar; sync tokens remember the last one seen. */
  seq: number;
}

export interface Channel {
  id: string;
  resourceId: string;
  address: string;
  token?: string;
  expiration: number;
  messageNumber: number;
  clientId: string | null;
}

/** Listener for mailbox changes; push notifications hang off this and may return their delivery. */
export type MailboxChange = { box: Mailbox; record: HistoryRecord };
export type ChangeListener = (change: MailboxChange) => Promise<PushResult> | undefined;

function stableNumber(text: string, modulo: number): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) % modulo;
}

export class Mailbox {
  readonly email: string;
  name: string | undefined;
  /** Google account id ("sub"), stable per address. */
  readonly sub: string;
  historyId: number;
  /** history.list from a startHistoryId below this answers 404. */
  historyFloor = 0;
  readonly history: HistoryRecord[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** draft id → message id */
  readonly drafts = new Map<string, string>();
  readonly labels = new Map<string, gmail_v1.Schema$Label>();
  watch: GmailWatch | null = null;
  /** The push started by the latest change, if any, so callers can await its delivery. */
  lastPush: Promise<PushResult> | undefined;
  private labelCounter = 0;

  // Calendar (primary)
  timeZone = "UTC";
  readonly events = new Map<string, StoredEvent>();
  eventSeq = 0;
  syncEpoch = randomBytes(4).toString("hex");
  readonly channels = new Map<string, Channel>();
  readonly calendarResourceId: string;

  constructor(
    email: string,
    name: string | undefined,
    private readonly onChange: ChangeListener,
  ) {
    this.email = email.toLowerCase();
    this.name = name;
    // Gmail ids are large and differ per mailbox; a per-address start keeps runs reproducible.
    this.historyId = 100_000 + stableNumber(this.email, 900_000);
    this.sub = `1${String(stableNumber(`sub:${this.email}`, 1e9)).padStart(9, "0")}${String(stableNumber(`sub2:${this.email}`, 1e9)).padStart(9, "0")}`;
    this.calendarResourceId = createHash("sha1")
      .update(`cal:${this.email}`)
      .digest("base64url")
      .slice(0, 27);
    for (const id of SYSTEM_LABELS) {
      this.labels.set(id, {
        id,
        name: id,
        type: "system",
        ...(id.startsWith("CATEGORY_") || id === "CHAT"
          ? {}
          : { messageListVisibility: "hide", labelListVisibility: "labelShow" }),
      });
    }
  }

  nextUserLabelId(): string {
    this.labelCounter += 1;
    return `Label_${this.labelCounter}`;
  }

  private record(kind: HistoryKind, msg: StoredMessage, labelIds: string[]): HistoryRecord {
    this.historyId += 1;
    msg.historyId = this.historyId;
    const record: HistoryRecord = {
      id: this.historyId,
      kind,
      message: { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] },
      labelIds,
    };
    this.history.push(record);
    this.lastPush = this.onChange({ box: this, record });
    return record;
  }

  /**
   * Gmail's threading: a message joins a thread only when it names a message of that thread in
   * In-Reply-To/References and the subjects match once reply prefixes are stripped. Drafts and
   * sent mail must also ask for the thread by id; incoming mail is threaded by headers alone.
   */
  resolveThread(
    mime: MimeNode,
    requestedThreadId: string | undefined,
    mode: "outgoing" | "incoming",
  ): string | undefined {
    const refs = referencedIds(mime.headers);
    if (refs.length === 0) return undefined;
    const subject = normalizeSubject(headerValue(mime.headers, "subject"));
    const candidates = [...this.messages.values()].filter(
      (m) =>
        m.messageIdHeader !== undefined &&
        refs.includes(m.messageIdHeader) &&
        normalizeSubject(headerValue(m.mime.headers, "subject")) === subject,
    );
    if (mode === "outgoing") {
      if (!requestedThreadId) return undefined;
      return candidates.some((m) => m.threadId === requestedThreadId)
        ? requestedThreadId
        : undefined;
    }
    return candidates[candidates.length - 1]?.threadId;
  }

  addMessage(opts: {
    id: string;
    raw: Buffer;
    labelIds: string[];
    internalDate: number;
    threadId?: string;
  }): StoredMessage {
    const mime = parseMime(opts.raw);
    const msg: StoredMessage = {
      id: opts.id,
      threadId: opts.threadId ?? opts.id,
      labelIds: [...new Set(opts.labelIds)],
      raw: opts.raw,
      internalDate: opts.internalDate,
      historyId: this.historyId,
      mime,
      messageIdHeader: headerValue(mime.headers, "message-id")?.match(/<[^<>\s]+>/)?.[0],
      snippet: snippetOf(mime),
    };
    this.messages.set(msg.id, msg);
    this.record("messageAdded", msg, []);
    return msg;
  }

  /** Applies a label change; returns false when nothing changed (no history record then). */
  modifyLabels(msg: StoredMessage, add: string[], remove: string[]): boolean {
    const added = add.filter((l) => !msg.labelIds.includes(l) && !remove.includes(l));
    const removed = remove.filter((l) => msg.labelIds.includes(l));
    if (added.length > 0) {
      msg.labelIds.push(...added);
      this.record("labelAdded", msg, added);
    }
    if (removed.length > 0) {
      msg.labelIds = msg.labelIds.filter((l) => !removed.includes(l));
      this.record("labelRemoved", msg, removed);
    }
    return added.length + removed.length > 0;
  }

  deleteMessage(msg: StoredMessage): void {
    this.messages.delete(msg.id);
    this.record("messageDeleted", msg, []);
  }

  /** Clock-free view of a calendar event change; seq advances for sync tokens. */
  touchEvent(event: calendar_v3.Schema$Event): StoredEvent {
    this.eventSeq += 1;
    const stored: StoredEvent = { event, seq: this.eventSeq };
    if (!event.id) throw new Error("emulator: event without id");
    this.events.set(event.id, stored);
    return stored;
  }
}

/** Ids in Google's shapes. Gmail ids grow with time (hex); Calendar ids are base32hex. */
export class Ids {
  private counter = 0;
  constructor(private readonly now: () => number) {}

  message(): string {
    this.counter = (this.counter + 1) % 0x100000;
    return ((BigInt(this.now()) << 20n) | BigInt(this.counter)).toString(16);
  }

  draft(): string {
    return `r${BigInt(`0x${randomBytes(8).toString("hex")}`) % 10n ** 19n}`;
  }

  event(): string {
    const alphabet = "0123456789abcdefghijklmnopqrstuv";
    return [...randomBytes(26)].map((b) => alphabet.charAt(b % 32)).join("");
  }

  opaque(bytes = 24): string {
    return randomBytes(bytes).toString("base64url");
  }
}
