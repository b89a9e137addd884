import type { CalendarEvent, ParsedMessage } from "../model.ts";
import type { Language } from "../vocabulary.ts";
import { stripReplyPrefixes } from "./subject.ts";

/** What a reply says about the event, in one language; see PLACEHOLDERS in template.ts. */
export interface EventWords {
  /** "your invitation to “Golf Day” on Thursday", or just "your invitation". */
  invitation: string;
  /** "“Golf Day”", or a neutral noun ("the event") when the name is unknown. */
  event: string;
  /** "on Thursday", or "" when the day is unknown or past. */
  day: string;
  /** "that evening" for an evening event, else "that day". */
  thatTime: string;
}

interface LanguageWords {
  quote(name: string): string;
  invitation: string;
  /** The invitation to a named event: "your invitation to “X”". */
  invitationTo(quoted: string): string;
  /** Day phrases for "… on Thursday" and "your invitation for Thursday". */
  dayOn(day: DayParts): string;
  dayFor(day: DayParts): string;
  unnamedEvent: string;
  thenEvening: string;
  thenDay: string;
  today: { on: string; for: string };
  tomorrow: { on: string; for: string };
  locale: string;
}

interface DayParts {
  weekday: string;
  /** Month name and day number, only when the event is more than a week away. */
  date: { day: string; month: string } | null;
}

const WORDS: Record<Language, LanguageWords> = {
  en: {
    quote: (name) => `“${name}”`,
    invitation: "your invitation",
    invitationTo: (quoted) => `your invitation to ${quoted}`,
    dayOn: (d) => `on ${d.weekday}${d.date ? `, ${d.date.month} ${d.date.day}` : ""}`,
    dayFor: (d) => `for ${d.weekday}${d.date ? `, ${d.date.month} ${d.date.day}` : ""}`,
    unnamedEvent: "the event",
    thenEvening: "that evening",
    thenDay: "that day",
    today: { on: "today", for: "for today" },
    tomorrow: { on: "tomorrow", for: "for tomorrow" },
    locale: "en-US",
  },
  es: {
    quote: (name) => `«${name}»`,
    invitation: "su invitación",
    invitationTo: (quoted) => `su invitación a ${quoted}`,
    dayOn: (d) => `el ${d.weekday}${d.date ? ` ${d.date.day} de ${d.date.month}` : ""}`,
    dayFor: (d) => `para el ${d.weekday}${d.date ? ` ${d.date.day} de ${d.date.month}` : ""}`,
    unnamedEvent: "el evento",
    thenEvening: "esa noche",
    thenDay: "ese día",
    today: { on: "hoy", for: "para hoy" },
    tomorrow: { on: "mañana", for: "para mañana" },
    locale: "es",
  },
  fr: {
    quote: (name) => `« ${name} »`,
    invitation: "votre invitation",
    invitationTo: (quoted) => `votre invitation à ${quoted}`,
    dayOn: (d) => (d.date ? `le ${d.weekday} ${d.date.day} ${d.date.month}` : d.weekday),
    dayFor: (d) =>
      d.date ? `pour le ${d.weekday} ${d.date.day} ${d.date.month}` : `pour ${d.weekday}`,
    unnamedEvent: "l'événement",
    thenEvening: "ce soir-là",
    thenDay: "ce jour-là",
    today: { on: "aujourd'hui", for: "pour aujourd'hui" },
    tomorrow: { on: "demain", for: "pour demain" },
    locale: "fr",
  },
  de: {
    quote: (name) => `„${name}“`,
    invitation: "Ihre Einladung",
    invitationTo: (quoted) => `Ihre Einladung zu ${quoted}`,
    dayOn: (d) => `am ${d.weekday}${d.date ? `, dem ${d.date.day}. ${d.date.month}` : ""}`,
    dayFor: (d) => `für ${d.weekday}${d.date ? `, den ${d.date.day}. ${d.date.month}` : ""}`,
    unnamedEvent: "die Veranstaltung",
    thenEvening: "an diesem Abend",
    thenDay: "an diesem Tag",
    today: { on: "heute", for: "für heute" },
    tomorrow: { on: "morgen", for: "für morgen" },
    locale: "de",
  },
};

/** Subjects that name no event ("Invitation", "Quick question"). */
const GENERIC_SUBJECTS = new Set([
  "invitation",
  "invite",
  "an invitation",
  "hello",
  "hi",
  "hey",
  "quick question",
  "question",
  "invitación",
  "hola",
  "bonjour",
  "einladung",
  "hallo",
]);
/** Calendar invitation subjects: "Invitation: Golf Day @ Thu Mar 12, 2026 2pm – 6pm (EDT) (me@x)". */
const INVITATION_LABEL =
  /^(?:updated invitation|invitation|invitación actualizada|invitación|invitation mise à jour|einladung aktualisiert|aktualisierte einladung|einladung)\s*(?:with note)?\s*[:：]\s*/i;
const EVENING_FROM_HOUR = 17;
const WEEK_MS = 6.5 * 24 * 60 * 60 * 1000;

/** The event's name, day and time of day as a reply mentions them, in the reply's language. */
export function eventWords(message: ParsedMessage, language: Language, now: Date): EventWords {
  const words = WORDS[language];
  const event = message.events[0];
  const name = eventName(message, event);
  const quoted = name === null ? null : words.quote(name);
  const day = event ? dayParts(event, now, words) : null;
  const invitation =
    quoted === null
      ? day === null
        ? words.invitation
        : `${words.invitation} ${day.for}`
      : day === null
        ? words.invitationTo(quoted)
        : `${words.invitationTo(quoted)} ${day.on}`;
  const evening =
    event !== undefined && !event.allDay && (event.localHour ?? 0) >= EVENING_FROM_HOUR;
  return {
    invitation,
    event: quoted ?? words.unnamedEvent,
    day: day?.on ?? "",
    thatTime: evening ? words.thenEvening : words.thenDay,
  };
}

function eventName(message: ParsedMessage, event: CalendarEvent | undefined): string | null {
  const summary = tidy(event?.summary ?? "");
  if (summary !== "") return usable(summary);
  const subject = tidy(
    stripReplyPrefixes(message.subject)
      .replace(INVITATION_LABEL, "")
      // Google's calendar subjects append " @ <when> (<calendar>)".
      .replace(/\s+@\s+.*$/, ""),
  );
  if (subject === "" || /[?¿]/.test(subject) || subject.split(" ").length > 8) return null;
  return usable(subject.replace(/[!¡.]+$/, ""));
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function usable(name: string): string | null {
  if (name.length > 60 || GENERIC_SUBJECTS.has(name.toLowerCase())) return null;
  return name;
}

function dayParts(
  event: CalendarEvent,
  now: Date,
  words: LanguageWords,
): { on: string; for: string } | null {
  const start = new Date(event.start);
  if (Number.isNaN(start.getTime())) return null;
  const zone = event.allDay ? "UTC" : safeZone(event.timeZone);
  const startDay = localDate(start, zone);
  const { today, tomorrow } = todayIn(now, zone);
  // An event already begun needs no day: "thank you for your invitation" says enough.
  if (startDay < today) return null;
  if (startDay === today) return words.today;
  if (startDay === tomorrow) return words.tomorrow;
  const parts: DayParts = {
    weekday: formatter(words.locale, zone, "weekday").format(start),
    date:
      start.getTime() - now.getTime() > WEEK_MS
        ? {
            day: formatter(words.locale, zone, "day").format(start),
            month: formatter(words.locale, zone, "month").format(start),
          }
        : null,
  };
  return { on: words.dayOn(parts), for: words.dayFor(parts) };
}

type Field = "weekday" | "day" | "month" | "date";

const FIELD_OPTIONS: Record<Field, Intl.DateTimeFormatOptions> = {
  weekday: { weekday: "long" },
  day: { day: "numeric" },
  month: { month: "long" },
  date: { year: "numeric", month: "2-digit", day: "2-digit" },
};

// Building an Intl.DateTimeFormat costs far more than formatting with one (tens of microseconds
// against one), and replies use a handful of locales, zones and fields.
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Zones come from mail, so the caches are bounded all the same. */
const MAX_CACHED = 1024;

function formatter(locale: string, zone: string, field: Field): Intl.DateTimeFormat {
  const key = `${locale}\u0000${zone}\u0000${field}`;
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { ...FIELD_OPTIONS[field], timeZone: zone });
    if (formatters.size >= MAX_CACHED) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

/** yyyy-mm-dd of an instant in a zone; sortable as a string. */
function localDate(instant: Date, zone: string): string {
  return formatter("en-CA", zone, "date").format(instant);
}

// A batch of replies shares one `now`: its days are kept for the last zone asked.
let lastToday = { ms: Number.NaN, zone: "", today: "", tomorrow: "" };

function todayIn(now: Date, zone: string): { today: string; tomorrow: string } {
  const ms = now.getTime();
  if (ms !== lastToday.ms || zone !== lastToday.zone) {
    lastToday = {
      ms,
      zone,
      today: localDate(now, zone),
      tomorrow: localDate(new Date(ms + 24 * 60 * 60 * 1000), zone),
    };
  }
  return lastToday;
}

const knownZones = new Map<string, boolean>();

function safeZone(zone: string | null): string {
  if (zone === null) return "UTC";
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      formatter("en-CA", zone, "date");
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size >= MAX_CACHED) knownZones.clear();
    knownZones.set(zone, known);
  }
  return known ? zone : "UTC";
}
