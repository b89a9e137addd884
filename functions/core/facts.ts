import { fold, type Tokens, tokenize } from "../../rules/text.ts";
import type { Settings } from "../schemas/settings.ts";
import { domainOf, isConsumerDomain } from "./client.ts";
import { detectLanguageOfWords } from "./language.ts";
import type { CalendarEvent, Mailbox, ParsedMessage } from "./model.ts";
import type { Language } from "./vocabulary.ts";

/**
 * Facts about one message, computed once and read by every rule: which words the rulebook reads,
 * the language, the sender, the calendar event. Pure: settings are passed in; nothing here needs
 * the clock (message and event dates come with the message).
 *
 * Which words count (decided here, documented in rules/README.md):
 * - A reply's quoted history never counts: an invitation only in history invites no one now.
 * - A reply's subject ("Re: Drinks Friday?") is history too; a new thread's subject counts, and
 *   a forward's subject counts when its forwarded content does.
 * - A forward counts as the invitation when the forwarder adds little of their own (at most
 *   FORWARD_OWN_WORDS words, or an assistant's "see below"/"FYI"/"on behalf of" note): the
 *   forwarder is passing the invitation on. A forward with a long note of its own is read as that
 *   note.
 */

/** Texts longer than this are cut: invitations say what they are early, and it bounds the cost. */
export const MAX_SCAN_CHARS = 20_000;
/** A forward whose own text has at most this many words passes the forwarded invitation on. */
export const FORWARD_OWN_WORDS = 40;

const REPLY_PREFIX = /^\s*(?:(?:re|aw|antw|ref|rif|sv|vs|r)\s*(?:\[\d+\])?\s*:\s*)+/i;
const FORWARD_PREFIX = /^\s*(?:(?:fwd?|tr|wg|rv|enc|reenv)\s*:\s*)+/i;
const PASSING_ON = new RegExp(
  [
    "see (?:below|attached|the invitation)",
    "fyi",
    "for your (?:information|calendar)",
    "forwarding",
    "passing (?:this )?(?:on|along)",
    "on behalf of",
    "(?:his|her|their) assistant",
    "asked me to (?:forward|send|pass)",
    "ver abajo",
    "te reenvio",
    "le reenvio",
    "de parte de",
    "voir ci-dessous",
    "je te transfere",
    "je vous transfere",
    "de la part de",
    "siehe unten",
    "leite(?: ich)? (?:dir|ihnen)",
    "im auftrag von",
  ].join("|"),
);

const WORD = /[\p{L}\p{N}]+/gu;
const HEARTS = /[\u2665\u2764\u{1F48B}\u{1F493}-\u{1F49F}\u{1F60D}\u{1F618}\u{1F970}]/u;

/**
 * A closing line: what people write just above their name. Everything after it is a signature,
 * a title, an address, a legal notice — words ("golf & country club", "evergreen weddings") that
 * say who the sender is, not what they ask.
 */
const CLOSING = new RegExp(
  `^\\W*(?:${[
    "best(?: regards| wishes)?",
    "(?:kind|warm|warmest|many) regards",
    "regards",
    "warmly",
    "cheers",
    "thanks(?: again| so much)?",
    "thank you",
    "many thanks",
    "talk soon",
    "yours(?: truly| sincerely)?",
    "sincerely",
    "xo",
    "xoxo",
    "un abrazo",
    "abrazos",
    "un saludo",
    "saludos(?: cordiales)?",
    "atentamente",
    "besos",
    "con carino",
    "cordialement",
    "bien (?:a vous|cordialement)",
    "amities",
    "bises",
    "a (?:bientot|tres vite)",
    "(?:viele|beste|herzliche|liebe|freundliche) grusse",
    "mit freundlichen grussen",
    "gruss",
  ].join("|")})\\b[,.!\\s-]*(?:[a-z.'-]+(?: [a-z.'-]+)?)?[,.!\\s]*$`,
);
const NAME_LINE = /^[\p{L}][\p{L}.'’ -]{0,24}$/u;
/** Words of body text needed before a short line can be a sign-off rather than a greeting. */
const BODY_WORDS_BEFORE_SIGNATURE = 8;

/**
 * The text without its signature block: cut after the closing line ("Best,", "Un abrazo,",
 * "Viele Grüße"), or after a bare first name on its own line once the message has said something.
 * Lines with a question mark are never a signature.
 */
export function withoutSignature(text: string): string {
  const lines = text.split("\n");
  let words = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    const folded = line.length <= 40 ? fold(line) : "";
    if (words >= BODY_WORDS_BEFORE_SIGNATURE && line !== "" && !line.includes("?")) {
      const closing = line.length <= 40 && CLOSING.test(folded);
      const bareName =
        NAME_LINE.test(line) &&
        line.split(/\s+/).length <= 2 &&
        (lines[i - 1] ?? "").trim() === "" &&
        ((lines[i + 1] ?? "").trim() === "" || i + 1 >= lines.length);
      if (closing || bareName) return lines.slice(0, i + 1).join("\n");
    }
    // Only the first few words matter: enough to know the body has begun.
    if (words < BODY_WORDS_BEFORE_SIGNATURE && line !== "") {
      words += wordsUpTo(line, BODY_WORDS_BEFORE_SIGNATURE - words);
    }
  }
  return text;
}

const SPACE = /\s+/g;

/** The words of a trimmed, non-empty line (as split at whitespace), counting at most `limit`. */
function wordsUpTo(line: string, limit: number): number {
  let count = 1;
  SPACE.lastIndex = 0;
  while (count < limit && SPACE.test(line)) count++;
  return count;
}

export interface SenderFacts {
  address: string;
  domain: string;
  /** Part before the @, for rules about no-reply and notification senders. */
  localPart: string;
  /** A consumer mail domain (gmail.com…): the address itself is the client. */
  consumer: boolean;
}

export type OwnerRole = "organizer" | "responded" | "invitee" | "unknown";

export interface CalendarFacts {
  method: string | null;
  status: string | null;
  /** Local wall-clock start hour and ISO weekday (event zone, else the owner's zone). */
  hour: number | null;
  weekday: number | null;
  allDay: boolean;
  /** Starts at 17:00 or later, or at the weekend. */
  evening: boolean;
  weekend: boolean;
  /** A weekday start between 08:00 and 17:00. */
  businessHours: boolean;
  /** Folded location, for location phrases (a home address, a golf club, a casino). */
  location: string;
  attendees: number;
  /** Who organised it: nobody named (a published calendar), the owner, or someone else. */
  organizer: "none" | "owner" | "other";
  ownerRole: OwnerRole;
  start: string;
  summary: string;
}

export interface Facts {
  /**
   * What the rulebook reads, folded: the subject when it is the sender's own, then the sender's
   * words, then (for a forward that counts) the forwarded content, then the first event's
   * summary, location and description. Lines are kept, so clauses can be found.
   */
  scan: string;
  /** `scan` cut into words, once, for the language and the rulebook. */
  tokens: Tokens;
  /** The folded subject without Re:/Fwd: prefixes, or "" for a reply's subject. */
  subject: string;
  isReply: boolean;
  isForward: boolean;
  /** The forwarded content is read as the invitation (see the module comment). */
  forwardCounts: boolean;
  /** Who wrote the forwarded message (its "From:" line), when this is a forward. */
  forwardedFrom: Mailbox | null;
  language: Language;
  sender: SenderFacts | null;
  /** Sent by the owner (settings.owner.email). */
  fromOwner: boolean;
  /** Mailing-list or bulk headers: List-Unsubscribe, List-Id, Precedence bulk/list/junk. */
  bulk: boolean;
  /** Auto-Submitted other than "no": a machine wrote it. */
  automated: boolean;
  /** Hearts or kisses (♥ ❤ 😘 😍) in the sender's own subject or words. */
  hearts: boolean;
  calendar: CalendarFacts | null;
}

export interface FactsOptions {
  settings: Settings;
}

function wordCount(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(WORD)) {
    if (++count > 1000) break;
  }
  return count;
}

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();
function localTime(iso: string, timeZone: string): { hour: number; weekday: number } | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  let format = weekdayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour: "numeric",
      hourCycle: "h23",
      weekday: "short",
    });
    weekdayFormatters.set(timeZone, format);
  }
  let hour = 0;
  let weekday = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === "hour") hour = Number(part.value) % 24;
    if (part.type === "weekday") {
      weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(part.value) + 1;
    }
  }
  return weekday > 0 ? { hour, weekday } : null;
}

function ownerRole(event: CalendarEvent, ownerEmail: string | undefined): OwnerRole {
  const isOwner = (address: string) => ownerEmail !== undefined && address === ownerEmail;
  if (event.organizer && isOwner(event.organizer.address)) return "organizer";
  const me = event.attendees.find(
    (attendee) => attendee.self === true || isOwner(attendee.address),
  );
  if (!me) return "unknown";
  if (event.organizer && me.address === event.organizer.address) return "organizer";
  return me.partstat === "NEEDS-ACTION" ? "invitee" : "responded";
}

export function calendarFacts(event: CalendarEvent, settings: Settings): CalendarFacts {
  let hour = event.localHour;
  let weekday = event.localWeekday;
  if ((hour === null || weekday === null) && !event.allDay) {
    const local = localTime(event.start, event.timeZone ?? settings.timeZone);
    hour = local?.hour ?? null;
    weekday = local?.weekday ?? null;
  }
  if (event.allDay && weekday === null) {
    weekday = localTime(event.start, "UTC")?.weekday ?? null;
  }
  const weekend = weekday === 6 || weekday === 7;
  const evening = !event.allDay && hour !== null && hour >= 17;
  return {
    method: event.method,
    status: event.status,
    hour: event.allDay ? null : hour,
    weekday,
    allDay: event.allDay,
    evening,
    weekend,
    businessHours: !event.allDay && !weekend && hour !== null && hour >= 8 && hour < 17,
    location: fold(event.location),
    attendees: event.attendees.length,
    organizer: !event.organizer
      ? "none"
      : event.organizer.address === settings.owner.email
        ? "owner"
        : "other",
    ownerRole: ownerRole(event, settings.owner.email),
    start: event.start,
    summary: event.summary,
  };
}

function headerFlags(headers: Record<string, string>): { bulk: boolean; automated: boolean } {
  const precedence = (headers.precedence ?? "").trim().toLowerCase();
  const autoSubmitted = (headers["auto-submitted"] ?? "").trim().toLowerCase();
  return {
    bulk:
      headers["list-unsubscribe"] !== undefined ||
      headers["list-id"] !== undefined ||
      precedence === "bulk" ||
      precedence === "list" ||
      precedence === "junk",
    automated: autoSubmitted !== "" && autoSubmitted !== "no",
  };
}

const FORWARDED_FROM = /^[>\s*]*(?:from|von|de|da|van)\s*:\s*(.+)$/im;
const ANGLE_ADDRESS = /^(.*?)<\s*([^<>\s@]+@[^<>\s@]+)\s*>/;
const BARE_ADDRESS = /([^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[a-z]{2,})/i;

/** The sender named in a forwarded message's header block ("From: Ana <ana@client.example>"). */
export function forwardedSender(quoted: string): Mailbox | null {
  const found = FORWARDED_FROM.exec(quoted.slice(0, 2000));
  if (!found?.[1]) return null;
  const line = found[1].trim();
  const angle = ANGLE_ADDRESS.exec(line);
  if (angle?.[2]) {
    return {
      address: angle[2].toLowerCase(),
      name: (angle[1] ?? "").trim().replace(/^"|"$/g, ""),
    };
  }
  const bare = BARE_ADDRESS.exec(line);
  return bare?.[1] ? { address: bare[1].toLowerCase(), name: "" } : null;
}

export function computeFacts(message: ParsedMessage, options: FactsOptions): Facts {
  const { settings } = options;
  const rawSubject = message.subject ?? "";
  const isReply = REPLY_PREFIX.test(rawSubject);
  const isForward = message.forwarded || FORWARD_PREFIX.test(rawSubject);
  const ownText = withoutSignature(
    message.newText.trim() === "" && !isForward ? message.text : message.newText,
  );
  const ownFolded = fold(ownText.slice(0, MAX_SCAN_CHARS));
  const forwardCounts =
    isForward &&
    message.quotedText.trim() !== "" &&
    (wordCount(ownFolded) <= FORWARD_OWN_WORDS || PASSING_ON.test(ownFolded));

  const subjectText = rawSubject.replace(REPLY_PREFIX, "").replace(FORWARD_PREFIX, "");
  // A reply's subject repeats the history; a forward's subject counts only with its content.
  const subject = isForward
    ? forwardCounts
      ? fold(subjectText)
      : ""
    : isReply
      ? ""
      : fold(subjectText);

  const parts: string[] = [];
  if (subject) parts.push(subject);
  parts.push(ownFolded);
  if (forwardCounts) {
    parts.push(fold(withoutSignature(message.quotedText.slice(0, MAX_SCAN_CHARS))));
  }
  const event = message.events[0];
  if (event) {
    // The location is read by calendar rules only: a venue's name ("Pinecrest Golf & Country
    // Club, clubhouse office") says where, not what.
    parts.push(fold(event.summary), fold(event.description.slice(0, 4000)));
  }
  const scan = parts.join("\n").slice(0, MAX_SCAN_CHARS);

  const address = message.from?.address ?? "";
  const domain = domainOf(address);
  const sender: SenderFacts | null = address
    ? {
        address,
        domain,
        localPart: address.slice(0, Math.max(0, address.lastIndexOf("@"))),
        consumer: isConsumerDomain(domain, settings),
      }
    : null;

  const tokens = tokenize(scan);
  const flags = headerFlags(message.headers);
  const rawSample = `${subjectText}\n${ownText.slice(0, 2000)}\n${event?.summary ?? ""}`;

  return {
    scan,
    tokens,
    subject,
    isReply,
    isForward,
    forwardCounts,
    forwardedFrom: isForward ? forwardedSender(message.quotedText) : null,
    language: detectLanguageOfWords(tokens.words, rawSample).language,
    sender,
    fromOwner: settings.owner.email !== undefined && address === settings.owner.email,
    bulk: flags.bulk,
    automated: flags.automated,
    hearts: HEARTS.test(subject === "" ? ownText : `${subjectText}\n${ownText}`),
    calendar: event ? calendarFacts(event, settings) : null,
  };
}
