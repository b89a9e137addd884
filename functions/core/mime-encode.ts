import { hash } from "node:crypto";
import * as base64 from "nodemailer/lib/base64";
import MailComposer from "nodemailer/lib/mail-composer";
import { foldLines, hasLongerLines, isPlainText } from "nodemailer/lib/mime-funcs";
import MimeNode from "nodemailer/lib/mime-node";
import * as qp from "nodemailer/lib/qp";
import { type MessageAddress, type MessageInput, MessageInputError } from "./mime.ts";

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

/** See buildMessage in mime.ts, which loads this module (and nodemailer) on first use. */
export async function encodeMessage(input: MessageInput): Promise<string> {
  const headers = checkedHeaders(input.headers ?? {});
  const from = input.from === "me" ? undefined : input.from;
  const references = (input.references ?? []).map(bareId).filter((id) => id !== "");
  const inReplyTo = input.inReplyTo ? bareId(input.inReplyTo) : "";
  const messageId = input.messageId ? bareId(input.messageId) : defaultMessageId(input);
  const text = normalizeNewlines(input.text);
  if (input.html === undefined && Object.keys(headers).length === 0 && text !== "") {
    return plainMessage(
      { from, to: input.to, subject: input.subject, text, date: input.date },
      {
        inReplyTo,
        references,
        messageId,
      },
    );
  }
  const composer = new MailComposer({
    ...(from === undefined ? {} : { from }),
    to: input.to,
    subject: input.subject,
    text,
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

/**
 * Encodes header values exactly as a MailComposer node does (addresses punycoded and encoded,
 * message ids bracketed, dates formatted, text as RFC 2047 words): MimeNode's own
 * encodeHeaderValue, on one node made once, since the method keeps no state and a node costs a
 * random boundary to make.
 */
const headerEncoder = new MimeNode(false, { baseBoundary: "decorum" });

const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

interface PlainParts {
  from: string | MessageAddress | undefined;
  to: string | MessageAddress;
  subject: string;
  /** "\n" line endings, not empty. */
  text: string;
  date: Date;
}

/**
 * A single text/plain message, laid out as MailComposer lays it out: its header order (the
 * addresses, threading, subject, ids and date, then transfer encoding, MIME-Version and
 * Content-Type last), lines folded at 76, and the body in the transfer encoding MimeNode picks.
 */
function plainMessage(
  parts: PlainParts,
  ids: { inReplyTo: string; references: string[]; messageId: string },
): string {
  const lines: string[] = [];
  if (parts.from) headerLine(lines, "From", encodedFrom(parts.from));
  if (parts.to) headerLine(lines, "To", encodedTo(parts.to));
  if (ids.inReplyTo !== "") idLine(lines, "In-Reply-To", [ids.inReplyTo]);
  if (ids.references.length > 0) idLine(lines, "References", ids.references);
  if (parts.subject) {
    headerLine(lines, "Subject", headerEncoder.encodeHeaderValue("Subject", parts.subject));
  }
  idLine(lines, "Message-ID", [ids.messageId]);
  headerLine(lines, "Date", dateHeader(parts.date));
  const transferEncoding = textTransferEncoding(parts.text);
  headerLine(lines, "Content-Transfer-Encoding", transferEncoding);
  headerLine(lines, "MIME-Version", "1.0");
  headerLine(lines, "Content-Type", TEXT_CONTENT_TYPE);
  const body = crlf(withLastNewline(encodeBody(parts.text, transferEncoding)));
  const head = lines.join("\r\n");
  // MailComposer's output went through UTF-8 bytes, which turns a lone surrogate into U+FFFD.
  // Only a header can hold one: a body that is not plain ASCII is encoded.
  return `${SURROGATE.test(head) ? Buffer.from(head, "utf8").toString("utf8") : head}\r\n\r\n${body}`;
}

function headerLine(lines: string[], key: string, value: string): void {
  if (value.trim() !== "") lines.push(foldLines(`${key}: ${value}`, 76));
}

const SURROGATE = /[\ud800-\udfff]/;

/** Printable US-ASCII without space, "<" and ">". */
const PLAIN_ID = /^[!-;=?-~]+$/;

/**
 * Message ids in angle brackets. A printable id without brackets or spaces comes out of
 * nodemailer as "<id>"; only others need its cleaning (which re-normalises the header name on
 * every call, the costliest step of a small message).
 */
function idLine(lines: string[], key: string, list: string[]): void {
  const bracketed = list.map((id) => `<${id}>`);
  if (list.every((id) => PLAIN_ID.test(id))) headerLine(lines, key, bracketed.join(" "));
  else {
    const value = key === "References" ? bracketed : (bracketed[0] ?? "");
    headerLine(lines, key, headerEncoder.encodeHeaderValue(key, value));
  }
}

// A batch of replies shares one date: the last one is kept formatted.
let lastDate = { ms: Number.NaN, text: "" };

function dateHeader(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastDate.ms) lastDate = { ms, text: date.toUTCString().replace(/GMT/, "+0000") };
  return lastDate.text;
}

// Replies all come from the owner: the last From is kept encoded.
let lastFrom: { name: string; address: string; encoded: string } | null = null;

function encodedFrom(from: string | MessageAddress): string {
  if (typeof from === "string") return headerEncoder.encodeHeaderValue("From", from);
  if (lastFrom?.name !== from.name || lastFrom.address !== from.address) {
    const encoded = headerEncoder.encodeHeaderValue("From", from);
    lastFrom = { name: from.name, address: from.address, encoded };
  }
  return lastFrom.encoded;
}

// Declines go to the same few clients again and again (that is what makes them frequent): their
// encoded To is kept, bounded.
const toHeaders = new Map<string, string>();
const MAX_TO_HEADERS = 1024;

function encodedTo(to: string | MessageAddress): string {
  const key = typeof to === "string" ? to : `${to.name}\u0000${to.address}`;
  let encoded = toHeaders.get(key);
  if (encoded === undefined) {
    encoded = headerEncoder.encodeHeaderValue("To", to);
    if (toHeaders.size >= MAX_TO_HEADERS) toHeaders.clear();
    toHeaders.set(key, encoded);
  }
  return encoded;
}

/**
 * MimeNode.getTransferEncoding for a text/plain string: 7bit when it is printable ASCII in
 * lines of at most 76, else quoted-printable when Latin letters outnumber other characters,
 * else base64.
 */
function textTransferEncoding(text: string): string {
  if (isPlainText(text) && !hasLongerLines(text, 76)) return "7bit";
  let other = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f)) other++;
    else if (code >= 0x80) other++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return other < latin ? "quoted-printable" : "base64";
}

function encodeBody(text: string, transferEncoding: string): string {
  if (transferEncoding === "base64") return base64.wrap(base64.encode(Buffer.from(text)), 76);
  if (transferEncoding !== "quoted-printable") return text;
  // nodemailer's QP stream holds trailing spaces and tabs back until the end of input, so they
  // are wrapped onto whatever line the rest of the text left open.
  const bytes = Buffer.from(text);
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const wrapped = end > 0 ? qp.wrap(qp.encode(bytes.subarray(0, end)), 76) : "";
  if (end === bytes.length) return wrapped;
  const open = wrapped.lastIndexOf("\n") + 1;
  return wrapped.slice(0, open) + qp.wrap(wrapped.slice(open) + qp.encode(bytes.subarray(end)), 76);
}

/** The message ends in a line break (nodemailer's LastNewline). */
function withLastNewline(text: string): string {
  if (text.endsWith("\n")) return text;
  return text.endsWith("\r") ? `${text}\n` : `${text}\r\n`;
}

/** Bare LFs become CRLF (nodemailer's LeWindows). */
function crlf(text: string): string {
  return text.replace(/(?<!\r)\n/g, "\r\n");
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
  return hash("sha256", text, "hex");
}
