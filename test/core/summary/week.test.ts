import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  dueSlot,
  formatLocal,
  formatPeriod,
  isoWeekOf,
  isoWeekPeriod,
  localParts,
  mondayOfIsoWeek,
  periodEndingOn,
  zonedInstant,
} from "../../../functions/core/summary/week.ts";

const iso = (date: Date) => date.toISOString();

describe("zonedInstant", () => {
  it.each([
    [
      "an ordinary winter time in London",
      "2025-01-15",
      8,
      "Europe/London",
      "2025-01-15T08:00:00.000Z",
    ],
    [
      "an ordinary summer time in London",
      "2025-07-15",
      8,
      "Europe/London",
      "2025-07-15T07:00:00.000Z",
    ],
    [
      "a time inside London's spring-forward gap (the gap's end)",
      "2025-03-30",
      1,
      "Europe/London",
      "2025-03-30T01:00:00.000Z",
    ],
    [
      "the first of London's repeated hours in October",
      "2025-10-26",
      1,
      "Europe/London",
      "2025-10-26T00:00:00.000Z",
    ],
    [
      "the first of New York's repeated hours in November",
      "2025-11-02",
      1,
      "America/New_York",
      "2025-11-02T05:00:00.000Z",
    ],
    [
      "a time inside New York's spring-forward gap",
      "2025-03-09",
      2,
      "America/New_York",
      "2025-03-09T07:00:00.000Z",
    ],
    ["a half-hour zone", "2025-06-02", 8, "Asia/Kolkata", "2025-06-02T02:30:00.000Z"],
    [
      "a zone ahead of UTC across the date line",
      "2025-06-02",
      8,
      "Pacific/Auckland",
      "2025-06-01T20:00:00.000Z",
    ],
    ["UTC", "2025-06-02", 0, "UTC", "2025-06-02T00:00:00.000Z"],
  ])("finds %s", (_label, date, hour, zone, expected) => {
    expect(iso(zonedInstant(date, hour, 0, zone))).toBe(expected);
  });

  it("round-trips through localParts for every hour outside a gap", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2020-01-01T00:00:00Z"),
          max: new Date("2030-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom(
          "Europe/London",
          "America/New_York",
          "Australia/Sydney",
          "Asia/Kolkata",
          "America/Santiago",
        ),
        (instant, zone) => {
          const whole = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
          const p = localParts(whole, zone);
          const date = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
          const back = zonedInstant(date, p.hour, p.minute, zone);
          // In an overlap the earlier instant is chosen, which reads the same wall time.
          const again = localParts(back, zone);
          expect([again.year, again.month, again.day, again.hour, again.minute]).toEqual([
            p.year,
            p.month,
            p.day,
            p.hour,
            p.minute,
          ]);
          expect(back.getTime()).toBeLessThanOrEqual(whole.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("ISO weeks", () => {
  it.each([
    ["2025-03-24", "2025-W13"],
    ["2025-03-30", "2025-W13"],
    ["2025-03-31", "2025-W14"],
    ["2024-12-30", "2025-W01"],
    ["2021-01-03", "2020-W53"],
    ["2026-12-31", "2026-W53"],
    ["2027-01-01", "2026-W53"],
  ])("puts %s in %s", (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it.each([
    ["2025-W13", "2025-03-24"],
    ["2025-W01", "2024-12-30"],
    ["2020-W53", "2020-12-28"],
    ["2025-W53", null],
    ["2025-W00", null],
    ["2025-13", null],
    ["25-W13", null],
  ])("finds the Monday of %s", (week, monday) => {
    expect(mondayOfIsoWeek(week)).toBe(monday);
  });

  it("agrees with itself for every day of several years", () => {
    let date = "2019-12-30";
    for (let i = 0; i < 365 * 8; i++) {
      const week = isoWeekOf(date);
      const monday = mondayOfIsoWeek(week);
      expect(monday).not.toBeNull();
      expect(date >= (monday ?? "") && date < addDays(monday ?? "", 7)).toBe(true);
      date = addDays(date, 1);
    }
  });
});

describe("the summary's week in the owner's time zone", () => {
  it.each([
    // London springs forward on Sunday 30 March 2025: that week is an hour short.
    ["Europe/London", "2025-W13", "2025-03-24T00:00:00.000Z", "2025-03-30T23:00:00.000Z", 167],
    // London falls back on Sunday 26 October 2025: that week is an hour long.
    ["Europe/London", "2025-W43", "2025-10-19T23:00:00.000Z", "2025-10-27T00:00:00.000Z", 169],
    // New York falls back on Sunday 2 November 2025.
    ["America/New_York", "2025-W44", "2025-10-27T04:00:00.000Z", "2025-11-03T05:00:00.000Z", 169],
    ["America/New_York", "2025-W10", "2025-03-03T05:00:00.000Z", "2025-03-10T04:00:00.000Z", 167],
    ["UTC", "2025-W13", "2025-03-24T00:00:00.000Z", "2025-03-31T00:00:00.000Z", 168],
  ])("bounds %s %s by local midnights", (zone, week, start, end, hours) => {
    const period = isoWeekPeriod(week, zone);
    expect(period && iso(period.start)).toBe(start);
    expect(period && iso(period.end)).toBe(end);
    expect(period && (period.end.getTime() - period.start.getTime()) / 3_600_000).toBe(hours);
  });

  it("describes the days it covers", () => {
    const period = periodEndingOn("2025-03-31", "Europe/London");
    expect(formatPeriod(period)).toBe("Mon 24 Mar – Sun 30 Mar 2025");
  });

  it.each([
    ["2025-03-30T00:30:00Z", "Europe/London", "Sun 30 Mar, 00:30"],
    ["2025-03-30T01:30:00Z", "Europe/London", "Sun 30 Mar, 02:30"],
    ["2025-11-02T06:30:00Z", "America/New_York", "Sun 2 Nov, 01:30"],
  ])("shows %s in %s as %s", (instant, zone, text) => {
    expect(formatLocal(new Date(instant), zone)).toBe(text);
  });
});

describe("dueSlot", () => {
  const london = { timeZone: "Europe/London", weekday: 1, hour: 8 };

  it.each([
    ["at 08:00 GMT on Monday 24 March", london, "2025-03-24T08:00:00Z", "2025-W13"],
    ["not at 07:00 GMT, an hour early", london, "2025-03-24T07:00:00Z", null],
    [
      "at 08:00 BST on Monday 31 March, which is 07:00 UTC",
      london,
      "2025-03-31T07:00:00Z",
      "2025-W14",
    ],
    ["within the catch-up window after a missed tick", london, "2025-03-31T09:00:00Z", "2025-W14"],
    ["not once the catch-up window has passed", london, "2025-03-31T10:00:00Z", null],
    ["not on Tuesday", london, "2025-04-01T07:00:00Z", null],
    [
      "on Sunday 01:00 in New York when that hour happens twice (first time)",
      { timeZone: "America/New_York", weekday: 7, hour: 1 },
      "2025-11-02T05:00:00Z",
      "2025-W44",
    ],
    [
      "on Sunday 01:00 in New York when that hour happens twice (second time, same week)",
      { timeZone: "America/New_York", weekday: 7, hour: 1 },
      "2025-11-02T06:00:00Z",
      "2025-W44",
    ],
    [
      "on Sunday 01:00 in London when that hour is skipped",
      { timeZone: "Europe/London", weekday: 7, hour: 1 },
      "2025-03-30T01:00:00Z",
      "2025-W13",
    ],
    [
      "on Sunday 23:00 after midnight, in the previous week's window",
      { timeZone: "Europe/London", weekday: 7, hour: 23 },
      "2025-01-13T01:00:00Z",
      "2025-W02",
    ],
    [
      "in a half-hour zone on the tick after the slot",
      { timeZone: "Asia/Kolkata", weekday: 1, hour: 8 },
      "2025-06-02T03:00:00Z",
      "2025-W23",
    ],
  ])("is due %s", (_label, schedule, now, week) => {
    expect(dueSlot(new Date(now), schedule)?.week ?? null).toBe(week);
  });

  it("reports the seven local days before the send day", () => {
    const due = dueSlot(new Date("2025-03-31T07:00:00Z"), london);
    expect(due?.period.startDate).toBe("2025-03-24");
    expect(due && iso(due.period.start)).toBe("2025-03-24T00:00:00.000Z");
    expect(due && iso(due.period.end)).toBe("2025-03-30T23:00:00.000Z");
  });

  it("gives hourly ticks exactly one first-due hour per week, at the owner's local hour", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "Europe/London",
          "America/New_York",
          "Australia/Lord_Howe",
          "Asia/Kolkata",
          "Asia/Kathmandu",
          "America/Santiago",
          "Pacific/Chatham",
          "UTC",
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 2024, max: 2027 }),
        (timeZone, weekday, hour, year) => {
          const schedule = { timeZone, weekday, hour };
          const sent = new Map<string, Date>();
          const start = Date.UTC(year, 0, 1);
          for (let t = start; t < start + 366 * 86_400_000; t += 3_600_000) {
            const due = dueSlot(new Date(t), schedule);
            if (due && !sent.has(due.week)) sent.set(due.week, new Date(t));
          }
          // 366 days hold at least 52 of any weekday; the first may precede the first tick.
          expect(sent.size).toBeGreaterThanOrEqual(51);
          expect(sent.size).toBeLessThanOrEqual(53);
          for (const [week, at] of sent) {
            // A slot just before the first tick is caught up on that tick (the 3-hour catch-up
            // window), so it lands after the owner's hour; every later week starts on time.
            if (at.getTime() - start < 3 * 3_600_000) continue;
            const local = localParts(at, timeZone);
            const day = `${local.year}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`;
            // The first due tick is on the owner's weekday, in the chosen hour — or the hour after
            // it when that hour was skipped by a spring-forward gap.
            expect(local.weekday).toBe(weekday);
            expect([hour, hour + 1]).toContain(local.hour);
            expect(isoWeekOf(day)).toBe(week);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
