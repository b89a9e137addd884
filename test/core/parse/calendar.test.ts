import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { CalendarEvent, ParsedMessage } from "../../../functions/core/model.ts";
import { parseIcs } from "../../../functions/core/parse/index.ts";
import { ianaZone, instantOf } from "../../../functions/core/time-zone.ts";
import { ParsedMessageSchema } from "./model-schema.ts";

const FIXTURES = new URL("../../fixtures/parse/ics/", import.meta.url);

async function fixture(name: string): Promise<ParsedMessage> {
  const message = parseIcs(await readFile(new URL(name, FIXTURES), "utf8"), name);
  ParsedMessageSchema.parse(message);
  return message;
}

function only(message: ParsedMessage): CalendarEvent {
  expect(message.events).toHaveLength(1);
  const [event] = message.events;
  if (!event) throw new Error("no event");
  return event;
}

describe("parseIcs", () => {
  it("reads an event written in an embedded VTIMEZONE", async () => {
    const message = await fixture("vtimezone.ics");
    expect(only(message)).toEqual({
      uid: "8F1C1F55-6C1D-4B5A-9C8E-1A2B3C4D5E6F",
      method: "PUBLISH",
      summary: "Comida en casa de Lucía",
      description: "Os esperamos a comer en casa.\nTrae a quien quieras.",
      location: "Calle Mayor 1, Madrid",
      start: "2024-07-13T11:30:00.000Z",
      end: "2024-07-13T14:00:00.000Z",
      allDay: false,
      timeZone: "Europe/Madrid",
      localHour: 13,
      localWeekday: 6,
      organizer: { address: "lucia@client.example", name: "Lucía Gómez" },
      attendees: [{ address: "owner@firm.example", name: "Pat Owner", partstat: "TENTATIVE" }],
      rrule: null,
      sequence: 1,
      status: "TENTATIVE",
    });
  });

  it("shapes a standalone calendar as a message of kind calendar", async () => {
    const message = await fixture("vtimezone.ics");
    expect(message).toMatchObject({
      kind: "calendar",
      source: "vtimezone.ics",
      messageId: null,
      inReplyTo: null,
      references: [],
      subject: "Comida en casa de Lucía",
      text: "Os esperamos a comer en casa.\nTrae a quien quieras.",
      newText: "Os esperamos a comer en casa.\nTrae a quien quieras.",
      quotedText: "",
      from: { address: "lucia@client.example", name: "Lucía Gómez" },
      to: [{ address: "owner@firm.example", name: "Pat Owner" }],
      date: "2024-07-01T09:00:00.000Z",
      htmlOnly: false,
      forwarded: false,
      headers: {},
    });
  });

  it("maps an Outlook Windows zone with its VTIMEZONE to IANA", async () => {
    const event = only(await fixture("windows-zone.ics"));
    expect(event).toMatchObject({
      method: "REQUEST",
      summary: "Feierabendbier",
      description: "Lassen Sie uns nach dem Meeting ein Bier trinken.",
      start: "2024-11-08T18:00:00.000Z",
      end: "2024-11-08T20:00:00.000Z",
      timeZone: "Europe/Berlin",
      localHour: 19,
      localWeekday: 5,
      organizer: { address: "bjorn.weber@client.example", name: "Weber, Björn" },
      attendees: [
        { address: "owner@firm.example", name: "Pat Owner", partstat: "NEEDS-ACTION" },
        { address: "max@client.example", name: "Max Muster", partstat: "DECLINED" },
      ],
      status: "CONFIRMED",
    });
    expect(event.uid).toMatch(/^040000008200E00074C5B7101A82E008.*0718$/);
  });

  it("resolves a Windows zone without a VTIMEZONE, across a DST change, with DURATION", async () => {
    const event = only(await fixture("windows-zone-bare.ics"));
    expect(event).toMatchObject({
      start: "2024-03-11T01:00:00.000Z",
      end: "2024-03-11T03:30:00.000Z",
      timeZone: "America/Los_Angeles",
      localHour: 18,
      localWeekday: 7,
      sequence: 3,
      status: null,
    });
  });

  it("reads an all-day event", async () => {
    const event = only(await fixture("all-day.ics"));
    expect(event).toMatchObject({
      summary: "Wedding of Sofia & Marco",
      start: "2024-09-14T00:00:00.000Z",
      end: "2024-09-15T00:00:00.000Z",
      allDay: true,
      timeZone: null,
      localHour: null,
      localWeekday: 6,
    });
  });

  it("keeps RRULEs as written, in zoned and floating events", async () => {
    const message = await fixture("rrule.ics");
    expect(message.events.map((e) => [e.uid, e.rrule, e.start, e.timeZone, e.localHour])).toEqual([
      [
        "golf-biweekly@client.example",
        "INTERVAL=2;FREQ=WEEKLY;BYDAY=TH;UNTIL=20241231T230000Z",
        "2024-06-06T16:00:00.000Z",
        "Europe/Paris",
        18,
      ],
      [
        "monthly-lunch@client.example",
        "FREQ=MONTHLY;BYMONTHDAY=4;COUNT=6",
        "2024-07-04T12:30:00.000Z",
        null,
        12,
      ],
    ]);
    expect(message.from).toEqual({ address: "club@client.example", name: "" });
  });

  it("reads UTC times in the calendar's X-WR-TIMEZONE", async () => {
    const event = only(await fixture("utc-wr-timezone.ics"));
    expect(event).toMatchObject({
      start: "2024-06-20T17:00:00.000Z",
      timeZone: "Europe/Berlin",
      localHour: 19,
      localWeekday: 4,
    });
  });

  it("reads a cancellation", async () => {
    const event = only(await fixture("cancel.ics"));
    expect(event).toMatchObject({ method: "CANCEL", status: "CANCELLED", sequence: 2 });
  });

  it.each([
    ["invalid.ics", /^Invalid iCalendar data: /],
    ["no-events.ics", /^Invalid iCalendar data: no VEVENT component$/],
  ])("throws a clear error for %s", async (name, message) => {
    const text = await readFile(new URL(name, FIXTURES), "utf8");
    expect(() => parseIcs(text, name)).toThrow(message);
  });

  it.each([
    ["", /^Invalid iCalendar data/],
    ["BEGIN:VCARD\nFN:Ana\nEND:VCARD\n", /no VCALENDAR component/],
    ["BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VEVENT\nEND:VCALENDAR\n", /no valid DTSTART/],
  ])("throws a clear error for %j", (text, message) => {
    expect(() => parseIcs(text, "inline")).toThrow(message);
  });
});

describe("time zones", () => {
  it.each([
    ["Europe/Madrid", "Europe/Madrid"],
    ["W. Europe Standard Time", "Europe/Berlin"],
    ["Pacific Standard Time", "America/Los_Angeles"],
    ["pacific standard time", "America/Los_Angeles"],
    ["Romance Standard Time", "Europe/Paris"],
    ["/mozilla.org/20070129_1/Europe/Berlin", "Europe/Berlin"],
    ['"America/New_York"', "America/New_York"],
    ["UTC", "UTC"],
    ["Mars/Olympus_Mons", null],
    ["Customized Time Zone", null],
    ["", null],
  ])("maps TZID %j to %j", (tzid, zone) => {
    expect(ianaZone(tzid)).toBe(zone);
  });

  it.each([
    // Spring forward in New York: 02:30 does not exist and resolves after the gap.
    [{ year: 2024, month: 3, day: 10, hour: 2, minute: 30, second: 0 }, "2024-03-10T07:30:00.000Z"],
    // Fall back: 01:30 happens twice; the first one is taken.
    [{ year: 2024, month: 11, day: 3, hour: 1, minute: 30, second: 0 }, "2024-11-03T05:30:00.000Z"],
    [{ year: 2024, month: 7, day: 1, hour: 9, minute: 0, second: 0 }, "2024-07-01T13:00:00.000Z"],
  ])("finds the instant of %j in New York", (clock, expected) => {
    expect(new Date(instantOf(clock, "America/New_York") ?? Number.NaN).toISOString()).toBe(
      expected,
    );
  });

  it.each([
    // Fall back in Berlin (east of UTC): 02:30 happens first in summer time.
    [
      { year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 },
      "2024-10-27T00:30:00.000Z",
    ],
    [{ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0 }, "2024-03-31T01:30:00.000Z"],
    [{ year: 2024, month: 1, day: 15, hour: 12, minute: 0, second: 0 }, "2024-01-15T11:00:00.000Z"],
  ])("finds the instant of %j in Berlin", (clock, expected) => {
    expect(new Date(instantOf(clock, "Europe/Berlin") ?? Number.NaN).toISOString()).toBe(expected);
  });
});
