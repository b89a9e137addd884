import PostalMime, { type Address, type Attachment, decodeWords, type Email } from "postal-mime";
import type { CalendarEvent, Mailbox, ParsedMessage } from "../model.ts";
import { parseCalendar } from "./calendar.ts";
import { repairC1 } from "./charset.ts";
import { htmlToText } from "./html.ts";
import { splitQuoted } from "./quoting.ts";

const SELECTED_HEADERS = new Set([
  "list-unsubscribe",
  "list-id",
  "auto-submitted",
  "precedence",
  "sender",
]);

// Fwd/Fw (en), RV (es), TR (fr), WG (de), Enc (pt): only a leading prefix, so "Re: Fwd:" is a reply.
const FORWARD_SUBJECT = /^\s*(?:fwd?|rv|tr|wg|enc)\s*:/i;

// Parts that carry other messages as evidence, not as forwards.
const CONTAINER_TYPES = /^\s*multipart\/(?:report|digest)\b/i;

/** At most this many attached messages are opened as forwards; the rest are noise. */
const MAX_FORWARDS = 5;

const utf8 = new TextDecoder("utf-8");

function mailboxes(list: readonly Address[] | undefined): Mailbox[] {
  const result: Mailbox[] = [];
  for (const entry of list ?? []) {
    const members = entry.group ?? [entry];
    for (const member of members) {
      const address = (member.address ?? "").trim().toLowerCase();
      if (address !== "") result.push({ address, name: repairC1(member.name.trim()) });
    }
  }
  return result;
}

function firstMailbox(address: Address | undefined): Mailbox | null {
  return address ? (mailboxes([address])[0] ?? null) : null;
}

/** Message ids without angle brackets; tolerates ids written bare. */
function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids: string[] = [];
  for (const match of value.matchAll(/<([^<>]*)>/g)) {
    const id = (match[1] ?? "").trim();
    if (id !== "") ids.push(id);
  }
  if (ids.length > 0) return ids;
  return value.split(/[\s,]+/).filter((id) => id !== "" && !id.startsWith("("));
}

// postal-mime hands dates over as toISOString() output, or raw when they did not parse.
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  if (ISO_INSTANT.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms).toISOString();
  // Years past 9999 print as "+012024-…": a typo, not a date anyone can use.
  return iso.startsWith("+") || iso.startsWith("-") ? null : iso;
}

function selectedHeaders(email: Email): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, value } of email.headers) {
    if (!(key.startsWith("x-") || SELECTED_HEADERS.has(key)) || Object.hasOwn(headers, key)) {
      continue;
    }
    const trimmed = value.trim();
    headers[key] = trimmed.includes("=?") ? repairC1(decodeWords(trimmed)) : trimmed;
  }
  return headers;
}

const VISIBLE = /\S/;

function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** The plain-text body; HTML is converted only when there is no usable text part. */
function bodyText(email: Email): { text: string; htmlOnly: boolean } {
  const plain = email.text ?? "";
  if (!VISIBLE.test(plain) && email.html && VISIBLE.test(email.html)) {
    const text = normalizeNewlines(htmlToText(email.html)).replace(/\n{3,}/g, "\n\n");
    return { text: repairC1(text).trim(), htmlOnly: true };
  }
  return { text: repairC1(normalizeNewlines(plain)), htmlOnly: false };
}

function contentText(content: Attachment["content"]): string {
  return typeof content === "string" ? content : utf8.decode(content);
}

function contentBytes(content: Attachment["content"]): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function isCalendar(attachment: Attachment): boolean {
  return (
    attachment.mimeType === "text/calendar" ||
    attachment.mimeType === "application/ics" ||
    /\.ics$/i.test(attachment.filename ?? "")
  );
}

/** Events of every calendar part; a broken part is skipped, the message still counts. */
function calendarEvents(attachments: readonly Attachment[]): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  const seen = new Set<string>();
  for (const attachment of attachments) {
    if (!isCalendar(attachment)) continue;
    let found: CalendarEvent[];
    try {
      const text = contentText(attachment.content);
      found = parseCalendar(text, { fallbackMethod: attachment.method ?? null }).events;
    } catch {
      continue;
    }
    // Gmail sends an invitation twice: as the text/calendar alternative and as invite.ics.
    for (const event of found) {
      const key = `${event.uid}\u0000${event.start}\u0000${event.sequence}\u0000${event.method}`;
      if (!seen.has(key)) {
        seen.add(key);
        events.push(event);
      }
    }
  }
  return events;
}

function headerBlock(email: Email): string {
  const lines: string[] = [];
  const show = (box: Mailbox) => (box.name ? `${box.name} <${box.address}>` : box.address);
  const from = firstMailbox(email.from);
  if (from) lines.push(`From: ${show(from)}`);
  if (email.date) lines.push(`Date: ${email.date}`);
  if (email.subject) lines.push(`Subject: ${repairC1(email.subject)}`);
  const to = mailboxes(email.to);
  if (to.length > 0) lines.push(`To: ${to.map(show).join(", ")}`);
  return lines.join("\n");
}

interface Forward {
  rendered: string;
  events: CalendarEvent[];
}

/** Messages attached as message/rfc822 (Outlook's "forward as attachment"). */
async function attachedForwards(email: Email): Promise<Forward[]> {
  const contentType = email.headers.find((header) => header.key === "content-type")?.value ?? "";
  if (CONTAINER_TYPES.test(contentType)) return [];
  const forwards: Forward[] = [];
  for (const attachment of email.attachments) {
    if (attachment.mimeType !== "message/rfc822" || forwards.length >= MAX_FORWARDS) continue;
    // Nested messages inside the forward are flattened into its text by postal-mime.
    const inner = await PostalMime.parse(contentBytes(attachment.content), {
      maxRfc822NestingDepth: 3,
    });
    const { text } = bodyText(inner);
    forwards.push({
      rendered: `${headerBlock(inner)}\n\n${text.trim()}`.trim(),
      events: calendarEvents(inner.attachments),
    });
  }
  return forwards;
}

/**
 * Parses one RFC 5322 message. MIME decoding, charsets and RFC 2047 words are postal-mime's; this
 * adds the message model: addresses lower-cased, ids without brackets, quoted history separated,
 * forwards recognised, calendar parts read. Rejects only when postal-mime does (its size and
 * nesting limits).
 */
export async function parseEmail(raw: Uint8Array | string, source: string): Promise<ParsedMessage> {
  const email = await PostalMime.parse(raw, { forceRfc822Attachments: true });
  const { text: ownText, htmlOnly } = bodyText(email);
  const split = splitQuoted(ownText);
  const subject = repairC1((email.subject ?? "").trim());

  const hasRfc822 = email.attachments.some((a) => a.mimeType === "message/rfc822");
  const forwards = hasRfc822 ? await attachedForwards(email) : [];
  const events = email.attachments.length > 0 ? calendarEvents(email.attachments) : [];
  let text = ownText;
  let quotedText = split.quotedText;
  for (const forward of forwards) {
    events.push(...forward.events);
    if (forward.rendered === "") continue;
    text = text === "" ? forward.rendered : `${text}\n\n${forward.rendered}`;
    quotedText = quotedText === "" ? forward.rendered : `${quotedText}\n\n${forward.rendered}`;
  }

  return {
    kind: "email",
    source,
    messageId: messageIds(email.messageId)[0] ?? null,
    inReplyTo: messageIds(email.inReplyTo)[0] ?? null,
    references: messageIds(email.references),
    from: firstMailbox(email.from) ?? firstMailbox(email.sender),
    replyTo: mailboxes(email.replyTo)[0] ?? null,
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    subject,
    date: isoDate(email.date),
    text,
    newText: split.newText,
    quotedText,
    htmlOnly,
    forwarded: forwards.length > 0 || split.forwardMarker || FORWARD_SUBJECT.test(subject),
    headers: selectedHeaders(email),
    events,
  };
}
