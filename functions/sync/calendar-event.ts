import type { CalendarApiEvent } from "../adapters/google/schemas.ts";
import type { Attendee, CalendarEvent, Mailbox, ParsedMessage, PartStat } from "../core/model.ts";
import { calendarMessage } from "../core/parse/calendar.ts";
import { htmlToText } from "../core/parse/html.ts";
import { ianaZone, isoWeekday, type WallClock, wallClockAt } from "../core/time-zone.ts";

/**
 * A Calendar API event as the triage core reads messages: kind "calendar", its structured fields
 * (summary, description, location, start, attendees) in the one event, the organiser as sender.
 * Pure; the same engine then classifies it as it would the invitation's emailed copy, and the
 * ledger key (the iCalUID) makes the two one invitation.
 */

const PARTSTAT: Record<string, PartStat> = {
  needsAction: "NEEDS-ACTION",
  accepted: "ACCEPTED",
  declined: "DECLINED",
  tentative: "TENTATIVE",
};

/**
 * True when the event asks the owner for an answer: not cancelled, not organised by the owner,
 * and the owner is an attendee who has not responded. `owner` lists the owner's addresses;
 * Calendar's `self` flag counts too.
 */
export function isOwnerInvitation(event: CalendarApiEvent, owner: readonly string[]): boolean {
  if (event.status === "cancelled") return false;
  const own = new Set(owner.map((address) => address.trim().toLowerCase()));
  const isOwn = (person: { email?: string | undefined; self?: boolean | undefined } | undefined) =>
    person !== undefined &&
    (person.self === true || (person.email !== undefined && own.has(person.email.toLowerCase())));
  if (isOwn(event.organizer)) return false;
  const me = (event.attendees ?? []).find((attendee) => isOwn(attendee));
  if (!me || me.organizer === true) return false;
  return (me.responseStatus ?? "needsAction") === "needsAction";
}

/**
 * True unless the event is over at `now`: nobody needs an answer to a past invitation (a full
 * sync lists the whole calendar). A series counts until its UNTIL; one with COUNT or no end is
 * taken as upcoming rather than expanded.
 */
export function isUpcoming(event: CalendarApiEvent, now: Date): boolean {
  let last = instantOf(event.end) ?? instantOf(event.start);
  if (last === null) return true;
  for (const line of event.recurrence ?? []) {
    if (!/^RRULE:/i.test(line)) continue;
    const until = /UNTIL=(\d{4})(\d{2})(\d{2})/i.exec(line);
    if (!until) return true;
    last = Math.max(last, Date.UTC(Number(until[1]), Number(until[2]) - 1, Number(until[3]) + 1));
  }
  return last > now.getTime();
}

type EventTime = CalendarApiEvent["start"];

function instantOf(time: EventTime): number | null {
  if (!time) return null;
  if (time.dateTime) {
    const ms = Date.parse(time.dateTime);
    return Number.isNaN(ms) ? null : ms;
  }
  if (time.date) {
    const ms = Date.parse(`${time.date}T00:00:00Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** The wall clock as Calendar wrote it: "2026-03-05T19:00:00+01:00" reads 19:00 on 5 March. */
function writtenClock(dateTime: string): WallClock | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(dateTime);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  };
}

interface Moment {
  iso: string;
  allDay: boolean;
  zone: string | null;
  clock: WallClock | null;
}

function moment(time: EventTime): Moment | null {
  const ms = instantOf(time);
  if (ms === null || !time) return null;
  const iso = new Date(ms).toISOString();
  if (!time.dateTime) {
    const clock = writtenClock(`${time.date ?? ""}T00:00:00`);
    return { iso, allDay: true, zone: null, clock };
  }
  const zone = time.timeZone ? ianaZone(time.timeZone) : null;
  const clock = (zone ? wallClockAt(ms, zone) : null) ?? writtenClock(time.dateTime);
  return { iso, allDay: false, zone, clock };
}

function mailbox(person: {
  email?: string | undefined;
  displayName?: string | undefined;
}): Mailbox | null {
  const address = (person.email ?? "").trim().toLowerCase();
  return address.includes("@") ? { address, name: (person.displayName ?? "").trim() } : null;
}

/** Calendar descriptions are often rich text; the rulebook reads words, not markup. */
function plainDescription(description: string | undefined): string {
  const text = description ?? "";
  return /<[a-z][^>]*>/i.test(text) ? htmlToText(text).trim() : text.replace(/\r\n?/g, "\n").trim();
}

/** The event's RFC 5545 UID: Google's iCalUID, else (never seen in practice) one built from its id. */
export function eventUid(event: CalendarApiEvent): string {
  return event.iCalUID ?? `${event.id}@google.com`;
}

/** The event as a ParsedMessage of kind "calendar"; null when it has no usable start. */
export function calendarEventMessage(event: CalendarApiEvent, now: Date): ParsedMessage | null {
  const start = moment(event.start);
  if (!start) return null;
  const end = moment(event.end);
  const organizer = event.organizer ? mailbox(event.organizer) : null;
  const attendees: Attendee[] = (event.attendees ?? []).flatMap((attendee) => {
    const box = mailbox(attendee);
    if (!box) return [];
    const partstat = PARTSTAT[attendee.responseStatus ?? "needsAction"] ?? "NEEDS-ACTION";
    return [{ ...box, partstat, ...(attendee.self ? { self: true } : {}) }];
  });
  const rrule = (event.recurrence ?? []).find((line) => /^RRULE:/i.test(line));
  const description = plainDescription(event.description);
  const calendarEvent: CalendarEvent = {
    uid: eventUid(event),
    method: "REQUEST",
    summary: (event.summary ?? "").trim(),
    description,
    location: (event.location ?? "").trim(),
    start: start.iso,
    end: end?.iso ?? null,
    allDay: start.allDay,
    timeZone: start.zone,
    localHour: start.allDay ? null : (start.clock?.hour ?? null),
    localWeekday: start.clock
      ? isoWeekday(start.clock.year, start.clock.month, start.clock.day)
      : null,
    organizer,
    attendees,
    rrule: rrule ? rrule.slice("RRULE:".length) : null,
    sequence: event.sequence ?? 0,
    status: event.status ? event.status.toUpperCase() : null,
  };
  const updated = event.updated ? Date.parse(event.updated) : Number.NaN;
  return calendarMessage([calendarEvent], {
    source: `calendar:${event.id}`,
    // When the invitation reached the calendar: what frequency counts read as its arrival.
    date: new Date(
      Number.isNaN(updated) ? now.getTime() : Math.min(updated, now.getTime()),
    ).toISOString(),
  });
}
