import { describe, expect, it } from "vitest";
import type { CalendarApiEvent } from "../../functions/adapters/google/schemas.ts";
import {
  calendarEventMessage,
  isOwnerInvitation,
  isUpcoming,
} from "../../functions/sync/calendar-event.ts";

const OWNER = "alex@firm.example";
const NOW = new Date("2026-03-02T10:00:00Z");

function event(overrides: Partial<CalendarApiEvent> = {}): CalendarApiEvent {
  return {
    id: "ev1",
    iCalUID: "ev1@client.example",
    status: "confirmed",
    summary: "Dinner at Casa Lucio",
    description: "<p>Join us for <b>dinner</b>!</p>",
    location: "Madrid",
    start: { dateTime: "2026-03-05T19:00:00+01:00", timeZone: "Europe/Madrid" },
    end: { dateTime: "2026-03-05T22:00:00+01:00", timeZone: "Europe/Madrid" },
    organizer: { email: "jane@client.example", displayName: "Jane Smith" },
    attendees: [
      {
        email: "jane@client.example",
        displayName: "Jane Smith",
        responseStatus: "accepted",
        organizer: true,
      },
      { email: OWNER, displayName: "Alex Morgan", responseStatus: "needsAction", self: true },
    ],
    updated: "2026-03-01T09:00:00.000Z",
    ...overrides,
  };
}

describe("isOwnerInvitation", () => {
  it.each<[string, Partial<CalendarApiEvent>, boolean]>([
    ["an unanswered invitation", {}, true],
    [
      "the owner found by address without the self flag",
      { attendees: [{ email: OWNER.toUpperCase(), responseStatus: "needsAction" }] },
      true,
    ],
    ["an attendee status left out (needsAction)", { attendees: [{ email: OWNER }] }, true],
    ["a cancelled event", { status: "cancelled" }, false],
    ["the owner's own event", { organizer: { email: OWNER, self: true } }, false],
    [
      "an accepted invitation",
      { attendees: [{ email: OWNER, responseStatus: "accepted" }] },
      false,
    ],
    ["a declined invitation", { attendees: [{ email: OWNER, responseStatus: "declined" }] }, false],
    ["a tentative answer", { attendees: [{ email: OWNER, responseStatus: "tentative" }] }, false],
    ["the owner marked organiser", { attendees: [{ email: OWNER, organizer: true }] }, false],
    ["an event without the owner", { attendees: [{ email: "sam@client.example" }] }, false],
    ["an event without attendees", { attendees: undefined }, false],
  ])("%s → %s", (_name, overrides, expected) => {
    expect(isOwnerInvitation(event(overrides), [OWNER])).toBe(expected);
  });
});

describe("isUpcoming", () => {
  it.each<[string, Partial<CalendarApiEvent>, boolean]>([
    ["a future event", {}, true],
    [
      "a past event",
      { start: { dateTime: "2026-02-01T19:00:00Z" }, end: { dateTime: "2026-02-01T20:00:00Z" } },
      false,
    ],
    [
      "an event happening now",
      { start: { dateTime: "2026-03-02T09:00:00Z" }, end: { dateTime: "2026-03-02T11:00:00Z" } },
      true,
    ],
    ["a past all-day event", { start: { date: "2026-02-27" }, end: { date: "2026-02-28" } }, false],
    [
      "a series begun in the past without end",
      {
        start: { dateTime: "2025-01-02T19:00:00Z" },
        end: { dateTime: "2025-01-02T20:00:00Z" },
        recurrence: ["RRULE:FREQ=WEEKLY"],
      },
      true,
    ],
    [
      "a series that ended",
      {
        start: { dateTime: "2025-01-02T19:00:00Z" },
        end: { dateTime: "2025-01-02T20:00:00Z" },
        recurrence: ["RRULE:FREQ=WEEKLY;UNTIL=20250301T000000Z"],
      },
      false,
    ],
  ])("%s → %s", (_name, overrides, expected) => {
    expect(isUpcoming(event(overrides), NOW)).toBe(expected);
  });
});

describe("calendarEventMessage", () => {
  it("reads the event's structured fields as a calendar message from the organiser", () => {
    const message = calendarEventMessage(event(), NOW);
    expect(message).toMatchObject({
      kind: "calendar",
      source: "calendar:ev1",
      messageId: null,
      from: { address: "jane@client.example", name: "Jane Smith" },
      subject: "Dinner at Casa Lucio",
      text: "Join us for dinner!",
      date: "2026-03-01T09:00:00.000Z",
    });
    expect(message?.events).toEqual([
      {
        uid: "ev1@client.example",
        method: "REQUEST",
        summary: "Dinner at Casa Lucio",
        description: "Join us for dinner!",
        location: "Madrid",
        start: "2026-03-05T18:00:00.000Z",
        end: "2026-03-05T21:00:00.000Z",
        allDay: false,
        timeZone: "Europe/Madrid",
        localHour: 19,
        localWeekday: 4,
        organizer: { address: "jane@client.example", name: "Jane Smith" },
        attendees: [
          { address: "jane@client.example", name: "Jane Smith", partstat: "ACCEPTED" },
          { address: OWNER, name: "Alex Morgan", partstat: "NEEDS-ACTION", self: true },
        ],
        rrule: null,
        sequence: 0,
        status: "CONFIRMED",
      },
    ]);
  });

  it("reads the wall clock as written when no zone is named, and all-day dates", () => {
    const timed = calendarEventMessage(
      event({ start: { dateTime: "2026-03-07T20:30:00-05:00" }, end: undefined }),
      NOW,
    );
    expect(timed?.events[0]).toMatchObject({ localHour: 20, localWeekday: 6, timeZone: null });
    const allDay = calendarEventMessage(event({ start: { date: "2026-03-08" } }), NOW);
    expect(allDay?.events[0]).toMatchObject({
      allDay: true,
      start: "2026-03-08T00:00:00.000Z",
      localHour: null,
      localWeekday: 7,
    });
  });

  it("keeps the RRULE and never dates the invitation in the future", () => {
    const message = calendarEventMessage(
      event({ recurrence: ["RRULE:FREQ=WEEKLY;BYDAY=TH"], updated: "2027-01-01T00:00:00Z" }),
      NOW,
    );
    expect(message?.events[0]?.rrule).toBe("FREQ=WEEKLY;BYDAY=TH");
    expect(message?.date).toBe(NOW.toISOString());
  });

  it("gives nothing for an event without a start", () => {
    expect(calendarEventMessage(event({ start: undefined }), NOW)).toBeNull();
  });
});
