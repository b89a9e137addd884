import type { Action, Category, Language } from "./vocabulary.ts";

export interface Mailbox {
  /** Lower-cased address, e.g. "ana@client.example". */
  address: string;
  /** Display name as written by the sender, decoded; "" when absent. */
  name: string;
}

export type PartStat = "NEEDS-ACTION" | "ACCEPTED" | "DECLINED" | "TENTATIVE" | "DELEGATED";

export interface Attendee extends Mailbox {
  partstat: PartStat;
  /** True when this attendee is the mailbox owner (Google Calendar's `self`). */
  self?: boolean;
}

/** One calendar event, from an .ics file, a text/calendar part, or the Calendar API. */
export interface CalendarEvent {
  /** RFC 5545 UID, Google's iCalUID. */
  uid: string;
  /** iTIP method of the enclosing calendar (REQUEST, CANCEL, PUBLISH…), upper-case; null if none. */
  method: string | null;
  summary: string;
  description: string;
  location: string;
  /** Start as an ISO 8601 instant (UTC, with Z); for all-day events, midnight UTC of that date. */
  start: string;
  end: string | null;
  allDay: boolean;
  /** IANA zone the event was written in (Windows names mapped), or null for floating/UTC. */
  timeZone: string | null;
  /** Local wall-clock hour (0–23) and ISO weekday (1 = Monday … 7 = Sunday) in the event's own zone. */
  localHour: number | null;
  localWeekday: number | null;
  organizer: Mailbox | null;
  attendees: Attendee[];
  /** The RRULE as written, e.g. "FREQ=WEEKLY;BYDAY=TH", or null. */
  rrule: string | null;
  sequence: number;
  /** CONFIRMED, TENTATIVE, CANCELLED (upper-case), or null. */
  status: string | null;
}

/**
 * A message as the triage core sees it, whatever it came from: an .eml, one message of an mbox, a
 * standalone .ics (kind "calendar"), a Gmail message, or a Calendar API event.
 */
export interface ParsedMessage {
  kind: "email" | "calendar";
  /** Where it came from: a path, `path#N` for the N-th message of an mbox, or `gmail:<id>`. */
  source: string;
  /** The Message-ID without angle brackets, or null. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: Mailbox | null;
  replyTo: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  subject: string;
  /** ISO 8601 instant, or null when the message carries no usable date. */
  date: string | null;
  /** The whole plain-text body (HTML-only bodies converted to text). */
  text: string;
  /** What the sender wrote in this message: the body without quoted history and signature. */
  newText: string;
  /** Quoted history of a reply, or the body of a forwarded message. */
  quotedText: string;
  htmlOnly: boolean;
  forwarded: boolean;
  /** Selected headers, names lower-cased: list-unsubscribe, auto-submitted, precedence, x-*. */
  headers: Record<string, string>;
  /** Events from text/calendar parts or .ics attachments (for kind "calendar": the events). */
  events: CalendarEvent[];
  /** Gmail ids when the message came from Gmail. */
  gmail?: { id: string; threadId: string; labelIds: string[] };
}

export interface Reason {
  /** The id of the rule or signal that fired, e.g. "objectionable.poker". */
  rule: string;
  /** A sentence a person understands, naming the etiquette rule it serves. */
  explanation: string;
}

export interface Classification {
  category: Category;
  /** 0..1 */
  confidence: number;
  language: Language;
  reasons: Reason[];
}

export interface Draft {
  to: string;
  subject: string;
  inReplyTo: string | null;
  references: string[];
  body: string;
  /** The complete RFC 5322 message, ready for Gmail's drafts.create (base64url it there). */
  raw: string;
}

export interface Decision extends Classification {
  action: Action;
  /** The client key: an organisation's domain, or the address for consumer mail domains. */
  client: string | null;
}
