import { describe, expect, it } from "vitest";
import { eventWords } from "../../../functions/core/reply/event.ts";
import type { Language } from "../../../functions/core/vocabulary.ts";
import { calendarEvent, invitation, NOW } from "../../fixtures/reply/invitation.ts";

// NOW is Monday 2 March 2026, 10:00 UTC.
const thursday = invitation({ events: [calendarEvent()] });
const inThreeWeeks = invitation({
  events: [calendarEvent({ start: "2026-03-26T18:00:00.000Z", localWeekday: 4 })],
});
const today = invitation({ events: [calendarEvent({ start: "2026-03-02T18:00:00.000Z" })] });
const tomorrow = invitation({ events: [calendarEvent({ start: "2026-03-03T18:00:00.000Z" })] });
const past = invitation({ events: [calendarEvent({ start: "2026-02-20T18:00:00.000Z" })] });
const lunch = invitation({
  events: [calendarEvent({ localHour: 13, start: "2026-03-05T12:00:00.000Z" })],
});
const allDay = invitation({
  events: [
    calendarEvent({
      allDay: true,
      start: "2026-03-07T00:00:00.000Z",
      localHour: 0,
      timeZone: null,
    }),
  ],
});
const unnamed = invitation({
  subject: "Quick question?",
  events: [calendarEvent({ summary: "" })],
});
const nothing = invitation({ subject: "Are you free Thursday?" });

describe("eventWords", () => {
  it.each<[string, ReturnType<typeof invitation>, Language, string]>([
    [
      "a named event this week",
      thursday,
      "en",
      "your invitation to “Dinner at Casa Lucio” on Thursday",
    ],
    ["a named event this week", thursday, "es", "su invitación a «Dinner at Casa Lucio» el jueves"],
    [
      "a named event this week",
      thursday,
      "fr",
      "votre invitation à « Dinner at Casa Lucio » jeudi",
    ],
    [
      "a named event this week",
      thursday,
      "de",
      "Ihre Einladung zu „Dinner at Casa Lucio“ am Donnerstag",
    ],
    [
      "an event weeks away",
      inThreeWeeks,
      "en",
      "your invitation to “Dinner at Casa Lucio” on Thursday, March 26",
    ],
    [
      "an event weeks away",
      inThreeWeeks,
      "es",
      "su invitación a «Dinner at Casa Lucio» el jueves 26 de marzo",
    ],
    [
      "an event weeks away",
      inThreeWeeks,
      "fr",
      "votre invitation à « Dinner at Casa Lucio » le jeudi 26 mars",
    ],
    [
      "an event weeks away",
      inThreeWeeks,
      "de",
      "Ihre Einladung zu „Dinner at Casa Lucio“ am Donnerstag, dem 26. März",
    ],
    ["an event today", today, "en", "your invitation to “Dinner at Casa Lucio” today"],
    ["an event tomorrow", tomorrow, "de", "Ihre Einladung zu „Dinner at Casa Lucio“ morgen"],
    ["an event already past", past, "en", "your invitation to “Dinner at Casa Lucio”"],
    [
      "an all-day event on Saturday",
      allDay,
      "fr",
      "votre invitation à « Dinner at Casa Lucio » samedi",
    ],
    ["an unnamed event", unnamed, "en", "your invitation for Thursday"],
    ["an unnamed event", unnamed, "es", "su invitación para el jueves"],
    ["an unnamed event", unnamed, "fr", "votre invitation pour jeudi"],
    ["an unnamed event", unnamed, "de", "Ihre Einladung für Donnerstag"],
    ["an email without event or usable subject", nothing, "en", "your invitation"],
    ["an email without event or usable subject", nothing, "de", "Ihre Einladung"],
  ])("describes %s (%s)", (_what, message, language, expected) => {
    expect(eventWords(message, language, NOW).invitation).toBe(expected);
  });

  it.each([
    ["Golf day at Pine Hill", "“Golf day at Pine Hill”"],
    ["Re: Fwd: Golf day at Pine Hill!", "“Golf day at Pine Hill”"],
    ["Invitation: Golf day @ Thu Mar 5, 2026 2pm - 6pm (CET) (alex@firm.example)", "“Golf day”"],
    ["Einladung: Grillabend @ Do. 5. März 2026", "“Grillabend”"],
    ["Invitation", "the event"],
    ["Golf on Saturday?", "the event"],
    ["We would be so delighted if you could come along to our little gathering", "the event"],
  ])("names the event from the subject %j as %s", (subject, expected) => {
    expect(eventWords(invitation({ subject }), "en", NOW).event).toBe(expected);
  });

  it.each<[string, ReturnType<typeof invitation>, Language, string]>([
    ["an evening event", thursday, "en", "that evening"],
    ["an evening event", thursday, "es", "esa noche"],
    ["an evening event", thursday, "fr", "ce soir-là"],
    ["an evening event", thursday, "de", "an diesem Abend"],
    ["a lunch", lunch, "en", "that day"],
    ["an all-day event", allDay, "de", "an diesem Tag"],
    ["an email without event", nothing, "es", "ese día"],
  ])("speaks of %s as %j in %s", (_what, message, language, expected) => {
    expect(eventWords(message, language, NOW).thatTime).toBe(expected);
  });

  it("uses the event's own time zone for the weekday", () => {
    // 23:30 UTC on Thursday is already Friday in Tokyo.
    const late = invitation({
      events: [
        calendarEvent({ start: "2026-03-05T23:30:00.000Z", timeZone: "Asia/Tokyo", localHour: 8 }),
      ],
    });
    expect(eventWords(late, "en", NOW).day).toBe("on Friday");
  });

  it("falls back to UTC for a time zone it does not know", () => {
    const odd = invitation({ events: [calendarEvent({ timeZone: "Mars/Olympus_Mons" })] });
    expect(eventWords(odd, "en", NOW).day).toBe("on Thursday");
  });
});
