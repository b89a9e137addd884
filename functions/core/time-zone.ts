import { findIana, WINDOWS_TO_IANA_MAP } from "windows-iana";

/** A wall-clock reading, month 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat costs far more than using one, and a mailbox names few zones.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The canonical IANA name Intl uses for `zone`, or null when Intl does not know it. */
function canonicalIana(zone: string): string | null {
  const formatter = formatterFor(zone);
  return formatter ? formatter.resolvedOptions().timeZone : null;
}

// Outlook writes TZIDs in any case and sometimes with stray spaces; the library matches exactly.
const windowsByLowerName = new Map<string, string>();
for (const entry of WINDOWS_TO_IANA_MAP) {
  const first = entry.iana[0];
  if (entry.territory === "001" && first)
    windowsByLowerName.set(entry.windowsName.toLowerCase(), first);
}

const IANA_TAIL = /([A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;

/**
 * Maps a TZID as calendars write it to an IANA zone: IANA names as they are, Windows names
 * ("W. Europe Standard Time") through CLDR's table, and vendor-prefixed names such as
 * "/mozilla.org/20070129_1/Europe/Berlin" by their IANA tail. Null when nothing fits.
 */
export function ianaZone(tzid: string): string | null {
  const name = tzid.trim().replace(/^"|"$/g, "");
  if (name === "") return null;
  const direct = name.includes("/") || name === "UTC" ? canonicalIana(name) : null;
  if (direct) return direct;
  const windows = findIana(name)[0] ?? windowsByLowerName.get(name.toLowerCase());
  if (windows) return canonicalIana(windows);
  const tail = IANA_TAIL.exec(name)?.[1];
  if (tail) {
    // Try ever shorter suffixes: "/mozilla.org/20070129_1/Europe/Berlin" → "Europe/Berlin".
    const segments = tail.split("/");
    for (let i = 0; i < segments.length - 1; i++) {
      const candidate = canonicalIana(segments.slice(i).join("/"));
      if (candidate) return candidate;
    }
  }
  return null;
}

/** The wall clock in `zone` at the instant `epochMs`. */
export function wallClockAt(epochMs: number, zone: string): WallClock | null {
  const formatter = formatterFor(zone);
  if (!formatter || !Number.isFinite(epochMs)) return null;
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(epochMs)) {
    const value = Number(part.value);
    switch (part.type) {
      case "year":
        clock.year = value;
        break;
      case "month":
        clock.month = value;
        break;
      case "day":
        clock.day = value;
        break;
      case "hour":
        clock.hour = value;
        break;
      case "minute":
        clock.minute = value;
        break;
      case "second":
        clock.second = value;
        break;
    }
  }
  return clock;
}

function clockAsUtc(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

const DAY = 86_400_000;

/**
 * The instant at which `zone`'s clocks read `clock`, as RFC 5545 reads local times: in a
 * fall-back overlap the first occurrence, in a spring-forward gap the offset from before the gap
 * (02:30 in a 02:00→03:00 gap is 03:30). Offsets a day either side cover any single transition.
 */
export function instantOf(clock: WallClock, zone: string): number | null {
  const naive = clockAsUtc(clock);
  const offsetAt = (epochMs: number): number | null => {
    const seen = wallClockAt(epochMs, zone);
    return seen ? clockAsUtc(seen) - epochMs : null;
  };
  const before = offsetAt(naive - DAY);
  if (before === null) return null;
  let earliest: number | null = null;
  for (const offset of new Set([before, offsetAt(naive), offsetAt(naive + DAY)])) {
    if (offset === null) continue;
    const candidate = naive - offset;
    if (offsetAt(candidate) === offset && (earliest === null || candidate < earliest)) {
      earliest = candidate;
    }
  }
  return earliest ?? naive - before;
}

/** ISO weekday, 1 = Monday … 7 = Sunday, of a calendar date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}
