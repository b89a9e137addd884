import { createHash } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";

/**
 * The one place Decorum builds RFC 5322 messages (reply drafts, the weekly summary). Encoding is
 * left entirely to nodemailer's MailComposer: RFC 2047 encoded words for non-ASCII headers,
 * quoted-printable or base64 bodies, folding, multipart/alternative when there is HTML.
 */

export interface MessageAddress {
  name: string;
  address: string;
}

export interface MessageInput {
  /**
   * The sender. The literal string "me" (Gmail's name for the signed-in account) leaves the From
   * header out, so that Gmail fills in the account's own address when it stores the draft.
   */
  from: string | MessageAddress;
  to: string | MessageAddress;
  subject: string;
  /** Plain-text body; any line endings (they are written as CRLF). */
  text: string;
  /** When given, the message is multipart/alternative with `text` first. */
  html?: string;
  /** A Message-ID, with or without angle brackets. */
  inReplyTo?: string | null;
  references?: string[];
  date: Date;
  /** Defaults to an id derived from the message's content, so equal input gives equal output. */
  messageId?: string;
  /** Extra headers such as `Auto-Submitted`. Headers this function controls are refused. */
  headers?: Record<string, string>;
}

/**
 * Headers callers may not set through `headers`: the ones built from the other fields, anything
 * that adds recipients or rewrites the route (a Bcc here would leak), and the MIME structure.
 */
const RESERVED_HEADERS = new Set([
  "from",
  "sender",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "subject",
  "date",
  "message-id",
  "in-reply-to",
  "references",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-disposition",
  "return-path",
  "received",
  "x-mailer",
]);
const RESERVED_PREFIXES = ["resent-", "content-"];

/** RFC 5322 field-name: printable US-ASCII except the colon. */
const FIELD_NAME = /^[!-9;-~]+$/;

export class MessageInputError extends Error {
  override name = "MessageInputError";
}

/** Builds a complete RFC 5322 message with CRLF line endings, ready to base64url for Gmail. */
export async function buildMessage(input: MessageInput): Promise<string> {
  const headers = checkedHeaders(input.headers ?? {});
  const from = input.from === "me" ? undefined : input.from;
  const references = (input.references ?? []).map(bareId).filter((id) => id !== "");
  const inReplyTo = input.inReplyTo ? bareId(input.inReplyTo) : "";
  const messageId = input.messageId ? bareId(input.messageId) : defaultMessageId(input);
  const composer = new MailComposer({
    ...(from === undefined ? {} : { from }),
    to: input.to,
    subject: input.subject,
    text: normalizeNewlines(input.text),
    ...(input.html === undefined ? {} : { html: normalizeNewlines(input.html) }),
    ...(inReplyTo === "" ? {} : { inReplyTo: `<${inReplyTo}>` }),
    ...(references.length === 0 ? {} : { references: references.map((id) => `<${id}>`) }),
    messageId: `<${messageId}>`,
    date: input.date,
    headers,
    newline: "\r\n",
    // Only strings are passed, but make sure no content can ever point at a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    // Multipart boundaries are otherwise random; deriving them keeps the output reproducible.
    baseBoundary: digest(messageId).slice(0, 24),
  });
  const built = await composer.compile().build();
  return built.toString("utf8");
}

/** Gmail's `raw` field: the message as unpadded base64url. */
export function toBase64Url(raw: string): string {
  return Buffer.from(raw, "utf8").toString("base64url");
}

function checkedHeaders(headers: Record<string, string>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!FIELD_NAME.test(name)) throw new MessageInputError(`Invalid header name: ${name}`);
    if (RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p))) {
      throw new MessageInputError(`Header ${name} cannot be set through headers`);
    }
    if (/[\r\n]/.test(value)) throw new MessageInputError(`Header ${name} contains a line break`);
    checked[name] = value;
  }
  return checked;
}

function bareId(id: string): string {
  return id.trim().replace(/^<+/, "").replace(/>+$/, "").trim();
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function addressOf(party: string | MessageAddress): string {
  if (typeof party !== "string") return party.address;
  const bracketed = /<([^<>]+)>/.exec(party);
  return (bracketed?.[1] ?? party).trim();
}

function defaultMessageId(input: MessageInput): string {
  const fromAddress = input.from === "me" ? "" : addressOf(input.from);
  const at = fromAddress.lastIndexOf("@");
  const domain = at > 0 ? fromAddress.slice(at + 1) : "localhost";
  const seed = JSON.stringify([
    fromAddress,
    addressOf(input.to),
    input.subject,
    input.text,
    input.html ?? "",
    input.inReplyTo ?? "",
    input.date.toISOString(),
  ]);
  return `decorum.${digest(seed).slice(0, 32)}@${domain}`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
