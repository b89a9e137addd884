import ICAL from "ical.js";
import type { Attendee, CalendarEvent, Mailbox, ParsedMessage, PartStat } from "../model.ts";
import { ianaZone, instantOf, isoWeekday, type WallClock, wallClockAt } from "../time-zone.ts";

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;
type Time = InstanceType<typeof ICAL.Time>;

const PARTSTATS: readonly PartStat[] = [
  "NEEDS-ACTION",
  "ACCEPTED",
  "DECLINED",
  "TENTATIVE",
  "DELEGATED",
];

/** A DATE or DATE-TIME: its instant and the wall clock (and zone) it was written in. */
interface Moment {
  epochMs: number;
  allDay: boolean;
  /** IANA zone of the wall clock, null for floating and UTC. */
  zone: string | null;
  clock: WallClock;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function text(component: Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === "string" ? value.trim() : "";
}

function param(property: Property, name: string): string | null {
  const value = property.getParameter(name);
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return null;
}

function clockOf(time: Time): WallClock {
  return {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? 0 : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : time.second,
  };
}

function utcMs(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/**
 * Resolves a DATE or DATE-TIME property. An embedded VTIMEZONE decides the instant (it is what the
 * sender's client meant); otherwise the TZID is mapped to IANA and Intl does the arithmetic.
 * Floating times have no instant, so their wall clock is read as UTC.
 */
function moment(property: Property, calendarZone: string | null): Moment | null {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) return null;
  const clock = clockOf(value);
  if (value.isDate) return { epochMs: utcMs(clock), allDay: true, zone: null, clock };

  const tzid = param(property, "tzid");
  const zone = tzid ? ianaZone(tzid) : null;
  const zoneId = value.zone?.tzid;
  if (zoneId === "UTC") {
    // Google exports UTC times and names the calendar's zone in X-WR-TIMEZONE.
    return { epochMs: utcMs(clock), allDay: false, zone: calendarZone, clock };
  }
  if (zoneId && zoneId !== "floating") {
    const epochMs = value.toUnixTime() * 1000;
    if (Number.isFinite(epochMs)) return { epochMs, allDay: false, zone, clock };
  }
  if (zone) {
    const epochMs = instantOf(clock, zone);
    if (epochMs !== null) return { epochMs, allDay: false, zone, clock };
  }
  return { epochMs: utcMs(clock), allDay: false, zone: null, clock };
}

function iso(epochMs: number): string | null {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return null;
  const text = date.toISOString();
  // Outside years 0000–9999 ISO strings gain a sign ("+012024-…"); no real event lives there.
  return text.startsWith("+") || text.startsWith("-") ? null : text;
}

function mailbox(property: Property | null): Mailbox | null {
  if (!property) return null;
  const value = property.getFirstValue();
  if (typeof value !== "string") return null;
  const address = value
    .trim()
    .replace(/^mailto:/i, "")
    .trim()
    .toLowerCase();
  if (address === "") return null;
  return { address, name: (param(property, "cn") ?? "").trim() };
}

function attendee(property: Property): Attendee | null {
  const box = mailbox(property);
  if (!box) return null;
  const written = (param(property, "partstat") ?? "").toUpperCase();
  const partstat = PARTSTATS.find((known) => known === written) ?? "NEEDS-ACTION";
  return { address: box.address, name: box.name, partstat };
}

const DAY_NAMES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/**
 * The RRULE as written. ical.js re-serialises rules in its own order (and drops INTERVAL=1), but
 * its raw jCal keeps the written parts in order, so the string is rebuilt from that.
 */
function writtenRrule(vevent: Component): string | null {
  const properties: unknown = vevent.jCal[1];
  if (!Array.isArray(properties)) return null;
  const entry: unknown = properties.find((p: unknown) => Array.isArray(p) && p[0] === "rrule");
  if (!Array.isArray(entry)) return null;
  const parts: unknown = entry[3];
  if (typeof parts === "string") return parts;
  if (typeof parts !== "object" || parts === null) return null;
  const written: string[] = [];
  for (const [key, raw] of Object.entries(parts)) {
    let value: string;
    if (key === "wkst" && typeof raw === "number") value = DAY_NAMES[raw - 1] ?? String(raw);
    else if (key === "until" && typeof raw === "string") value = raw.replace(/[-:]/g, "");
    else if (Array.isArray(raw)) value = raw.map(String).join(",");
    else value = String(raw);
    written.push(`${key.toUpperCase()}=${value}`);
  }
  return written.length > 0 ? written.join(";") : null;
}

function localFields(m: Moment): { localHour: number | null; localWeekday: number | null } {
  const clock = m.zone ? (wallClockAt(m.epochMs, m.zone) ?? m.clock) : m.clock;
  return {
    localHour: m.allDay ? null : clock.hour,
    localWeekday: isoWeekday(clock.year, clock.month, clock.day),
  };
}

function event(
  vevent: Component,
  method: string | null,
  calendarZone: string | null,
): CalendarEvent {
  const startProperty = vevent.getFirstProperty("dtstart");
  const start = startProperty ? moment(startProperty, calendarZone) : null;
  const startIso = start ? iso(start.epochMs) : null;
  if (!start || !startIso) throw new Error("VEVENT has no valid DTSTART");

  const endProperty = vevent.getFirstProperty("dtend");
  let end = endProperty ? moment(endProperty, calendarZone) : null;
  const duration = vevent.getFirstPropertyValue("duration");
  if (!end && duration instanceof ICAL.Duration) {
    end = { ...start, epochMs: start.epochMs + duration.toSeconds() * 1000 };
  }

  const sequence = Number(vevent.getFirstPropertyValue("sequence"));
  const status = text(vevent, "status").toUpperCase();
  const local = localFields(start);
  const attendees: Attendee[] = [];
  for (const property of vevent.getAllProperties("attendee")) {
    const one = attendee(property);
    if (one) attendees.push(one);
  }
  return {
    uid: text(vevent, "uid"),
    method,
    summary: text(vevent, "summary"),
    description: text(vevent, "description").replace(/\r\n?/g, "\n"),
    location: text(vevent, "location"),
    start: startIso,
    end: end ? iso(end.epochMs) : null,
    allDay: start.allDay,
    timeZone: start.zone,
    localHour: local.localHour,
    localWeekday: local.localWeekday,
    organizer: mailbox(vevent.getFirstProperty("organizer")),
    attendees,
    rrule: writtenRrule(vevent),
    sequence: Number.isInteger(sequence) && sequence >= 0 ? sequence : 0,
    status: status === "" ? null : status,
  };
}

function calendars(input: string): Component[] {
  const jcal: unknown = ICAL.parse(input.replace(/^\uFEFF/, ""));
  if (!Array.isArray(jcal)) throw new Error("not iCalendar data");
  // ICAL.parse returns one component, or an array of them when the input holds several.
  const roots = typeof jcal[0] === "string" ? [jcal] : jcal;
  return roots
    .map((root) => new ICAL.Component(root))
    .filter((component) => component.name === "vcalendar");
}

export interface CalendarContents {
  events: CalendarEvent[];
  /** DTSTAMP of the first event, ISO 8601, or null (always null unless asked for). */
  stamp: string | null;
}

export interface CalendarOptions {
  /** Used when the VCALENDAR has no METHOD: a text/calendar part may name it in its Content-Type. */
  fallbackMethod?: string | null;
  /** Also read the first event's DTSTAMP (standalone files use it as the message date). */
  stamp?: boolean;
}

/**
 * Reads every VEVENT of an iCalendar text. Throws when the text is not iCalendar or holds no
 * usable VEVENT; a broken event among good ones is left out.
 */
export function parseCalendar(input: string, options: CalendarOptions = {}): CalendarContents {
  const fallbackMethod = options.fallbackMethod ?? null;
  let wantStamp = options.stamp ?? false;
  let roots: Component[];
  try {
    roots = calendars(input);
  } catch (error) {
    throw new Error(`Invalid iCalendar data: ${errorMessage(error)}`);
  }
  if (roots.length === 0) throw new Error("Invalid iCalendar data: no VCALENDAR component");

  const events: CalendarEvent[] = [];
  let stamp: string | null = null;
  let problem: string | null = null;
  for (const root of roots) {
    const written = text(root, "method").toUpperCase();
    const method = written !== "" ? written : (fallbackMethod?.toUpperCase() ?? null);
    const wrZone = text(root, "x-wr-timezone");
    const calendarZone = wrZone ? ianaZone(wrZone) : null;
    for (const vevent of root.getAllSubcomponents("vevent")) {
      try {
        events.push(event(vevent, method, calendarZone));
        if (wantStamp) {
          wantStamp = false;
          const dtstamp = vevent.getFirstProperty("dtstamp");
          const m = dtstamp ? moment(dtstamp, null) : null;
          stamp = m ? iso(m.epochMs) : null;
        }
      } catch (error) {
        problem ??= errorMessage(error);
      }
    }
  }
  if (events.length === 0) {
    throw new Error(`Invalid iCalendar data: ${problem ?? "no VEVENT component"}`);
  }
  return { events, stamp };
}

/** A standalone .ics file as a message of kind "calendar"; throws a clear Error on invalid input. */
export function parseIcs(input: string, source: string): ParsedMessage {
  const { events, stamp } = parseCalendar(input, { stamp: true });
  return calendarMessage(events, { source, date: stamp });
}

/**
 * Calendar events as a message of kind "calendar": from the first event's organiser to its
 * attendees, its summary as the subject and its description as the text.
 */
export function calendarMessage(
  events: CalendarEvent[],
  origin: { source: string; date: string | null },
): ParsedMessage {
  const first = events[0];
  const description = first?.description ?? "";
  return {
    kind: "calendar",
    source: origin.source,
    messageId: null,
    inReplyTo: null,
    references: [],
    from: first?.organizer ?? null,
    replyTo: null,
    to: (first?.attendees ?? []).map(({ address, name }) => ({ address, name })),
    cc: [],
    subject: first?.summary ?? "",
    date: origin.date,
    text: description,
    newText: description,
    quotedText: "",
    htmlOnly: false,
    forwarded: false,
    headers: {},
    events,
  };
}
