/**
 * Calendar arithmetic in the owner's time zone, with Intl only (no tz library): the summary's
 * week boundaries, its ISO week key, and whether an hourly tick is an account's send slot.
 *
 * Calendar dates are plain "YYYY-MM-DD" strings; instants are Dates. A local wall-clock time is
 * turned into an instant by `zonedInstant`, which resolves daylight-saving gaps forward (the first
 * instant after the gap) and overlaps to the earlier instant, like Temporal's "compatible".
 */

import { isoWeekday as isoWeekdayOf, type WallClock, wallClockAt } from "../time-zone.ts";

export type CalendarDate = string;

export interface LocalParts extends WallClock {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** The wall-clock reading of an instant in a zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const clock = wallClockAt(instant.getTime(), timeZone);
  if (!clock) throw new RangeError(`Cannot read the clock of time zone "${timeZone}"`);
  return { ...clock, weekday: isoWeekdayOf(clock.year, clock.month, clock.day) };
}

/** The local calendar date of an instant. */
export function localDate(instant: Date, timeZone: string): CalendarDate {
  const parts = localParts(instant, timeZone);
  return toCalendarDate(parts.year, parts.month, parts.day);
}

/** Milliseconds the zone is ahead of UTC at this instant (whole seconds). */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = localParts(new Date(epochMs), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks read `date` `hour`:`minute`. In a spring-forward gap,
 * the instant the gap ends (the first moment the clock reads at least that time); in a fall-back
 * overlap, the earlier of the two.
 */
export function zonedInstant(date: CalendarDate, hour: number, minute: number, timeZone: string) {
  const [year, month, day] = splitDate(date);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets change at most once within two days around any wall time in real zones.
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((epoch) => wall - offsetAt(epoch, timeZone) === epoch)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // No instant reads that wall time: it falls in a gap. Using the pre-gap offset lands on the
  // same distance past the gap's end; the gap's end itself is what a "not before" slot wants.
  return new Date(gapEnd(wall - before, wall - after, timeZone));
}

/** The first instant in [lo, hi] whose offset differs from lo's: where the clocks jumped. */
function gapEnd(a: number, b: number, timeZone: string): number {
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  const startOffset = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

export function toCalendarDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function splitDate(date: CalendarDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function dateUtc(date: CalendarDate): Date {
  const [year, month, day] = splitDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = dateUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return toCalendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  const [year, month, day] = splitDate(date);
  return isoWeekdayOf(year, month, day);
}

/** The ISO week key of a calendar date, e.g. "2026-W01" for 2025-12-29. */
export function isoWeekOf(date: CalendarDate): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const [year] = splitDate(thursday);
  const dayOfYear = (dateUtc(thursday).getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const week = Math.floor((dayOfYear - 1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

/** Parses "YYYY-Www" and returns the Monday of that ISO week; null when it names no such week. */
export function mondayOfIsoWeek(week: string): CalendarDate | null {
  const match = WEEK_KEY.exec(week);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1 || number > 53) return null;
  const jan4 = toCalendarDate(year, 1, 4);
  const monday = addDays(addDays(jan4, 1 - isoWeekday(jan4)), (number - 1) * 7);
  return isoWeekOf(monday) === week ? monday : null;
}

/** Seven local days, [startDate, endDate), and the instants that bound them in the zone. */
export interface SummaryPeriod {
  timeZone: string;
  /** First local day covered. */
  startDate: CalendarDate;
  /** The local day after the last one covered (exclusive). */
  endDate: CalendarDate;
  start: Date;
  end: Date;
}

/** The seven local days that end at the start of `endDate` (exclusive). */
export function periodEndingOn(endDate: CalendarDate, timeZone: string): SummaryPeriod {
  return periodBetween(addDays(endDate, -7), endDate, timeZone);
}

/** The ISO week `week` (Monday 00:00 to the next Monday 00:00, local); null for a bad key. */
export function isoWeekPeriod(week: string, timeZone: string): SummaryPeriod | null {
  const monday = mondayOfIsoWeek(week);
  return monday ? periodBetween(monday, addDays(monday, 7), timeZone) : null;
}

function periodBetween(startDate: CalendarDate, endDate: CalendarDate, timeZone: string) {
  return {
    timeZone,
    startDate,
    endDate,
    start: zonedInstant(startDate, 0, 0, timeZone),
    end: zonedInstant(endDate, 0, 0, timeZone),
  };
}

export interface SendSchedule {
  timeZone: string;
  /** ISO weekday 1–7. */
  weekday: number;
  /** Local hour 0–23. */
  hour: number;
}

export interface DueSlot {
  /** ISO week (in the owner's zone) the slot belongs to: the once-per-week marker's key. */
  week: string;
  /** The instant the summary became due. */
  slot: Date;
  /** What this summary reports: the seven local days before the send day. */
  period: SummaryPeriod;
}

/**
 * Whether `now` falls within `catchUpHours` after the account's weekly send slot, and which one.
 *
 * The cron fires hourly, so a window rather than an exact hour match is what keeps a late or
 * retried tick, a skipped local hour (spring forward) and half-hour zones from losing a week; the
 * once-per-week marker turns the several due ticks in the window into one send. A repeated hour
 * (fall back) resolves to its first occurrence and, being in the same week, to the same marker.
 */
export function dueSlot(now: Date, schedule: SendSchedule, catchUpHours = 3): DueSlot | null {
  const today = localDate(now, schedule.timeZone);
  const thisMonday = addDays(today, 1 - isoWeekday(today));
  // The previous week's slot matters when its window spans the week boundary (Sunday night).
  for (const monday of [thisMonday, addDays(thisMonday, -7)]) {
    const sendDay = addDays(monday, schedule.weekday - 1);
    const slot = zonedInstant(sendDay, schedule.hour, 0, schedule.timeZone);
    const elapsed = now.getTime() - slot.getTime();
    if (elapsed >= 0 && elapsed < catchUpHours * 3_600_000) {
      return {
        week: isoWeekOf(sendDay),
        slot,
        period: periodEndingOn(sendDay, schedule.timeZone),
      };
    }
  }
  return null;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Formats an instant in the zone for people: "Sat 12 Apr, 15:00", or "Sat 12 Apr". */
export function formatLocal(instant: Date, timeZone: string, withTime = true): string {
  const p = localParts(instant, timeZone);
  const day = formatDate(toCalendarDate(p.year, p.month, p.day), { weekday: true });
  if (!withTime) return day;
  return `${day}, ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** Formats a calendar date for people, e.g. "24 Mar", "Mon 24 Mar" or "Mon 24 Mar 2025". */
export function formatDate(
  date: CalendarDate,
  options: { weekday?: boolean; year?: boolean } = {},
): string {
  const [year, month, day] = splitDate(date);
  const parts = [String(day), MONTHS[month - 1] ?? ""];
  if (options.weekday) parts.unshift(WEEKDAYS[isoWeekday(date) - 1] ?? "");
  if (options.year) parts.push(String(year));
  return parts.join(" ");
}

/** "Mon 24 Mar – Sun 30 Mar 2025": the days a period covers. */
export function formatPeriod(period: SummaryPeriod): string {
  const last = addDays(period.endDate, -1);
  return `${formatDate(period.startDate, { weekday: true })} – ${formatDate(last, { weekday: true, year: true })}`;
}
