import type { Attendee, CalendarEvent, ParsedMessage } from "../../functions/core/model.ts";
import type { Example } from "../../rules/schema.ts";

/** One base message; tests spread overrides over it. */
export const BASE_MESSAGE: ParsedMessage = {
  kind: "email",
  source: "test.eml",
  messageId: "base@client.example",
  inReplyTo: null,
  references: [],
  from: { address: "ana@client.example", name: "Ana Ruiz" },
  replyTo: null,
  to: [{ address: "alex@firm.example", name: "Alex Morgan" }],
  cc: [],
  subject: "",
  date: "2026-03-02T10:00:00.000Z",
  text: "",
  newText: "",
  quotedText: "",
  htmlOnly: false,
  forwarded: false,
  headers: {},
  events: [],
};

export const BASE_EVENT: CalendarEvent = {
  uid: "event-1@client.example",
  method: "REQUEST",
  summary: "",
  description: "",
  location: "",
  start: "2026-03-06T19:00:00.000Z",
  end: null,
  allDay: false,
  timeZone: "UTC",
  localHour: 19,
  localWeekday: 5,
  organizer: { address: "ana@client.example", name: "Ana Ruiz" },
  attendees: [],
  rrule: null,
  sequence: 0,
  status: "CONFIRMED",
};

/** A message whose body (and own words) is `text`. */
export function emailWith(text: string, overrides: Partial<ParsedMessage> = {}): ParsedMessage {
  return { ...BASE_MESSAGE, text, newText: text, ...overrides };
}

/** Builds the message a rulebook worked example describes. */
export function messageFromExample(example: Example): ParsedMessage {
  if (typeof example === "string") return emailWith(example);
  const text = example.text ?? "";
  const events: CalendarEvent[] = [];
  if (example.event) {
    const { summary, location, description, method, status, weekday, hour, attendees, organizer } =
      example.event;
    const people: Attendee[] = Array.from({ length: attendees ?? 0 }, (_, i) => ({
      address: `guest${i}@client.example`,
      name: "",
      partstat: "NEEDS-ACTION",
    }));
    events.push({
      ...BASE_EVENT,
      summary: summary ?? "",
      location: location ?? "",
      description: description ?? "",
      method: method ?? null,
      status: status ?? "CONFIRMED",
      localWeekday: weekday ?? BASE_EVENT.localWeekday,
      localHour: hour ?? BASE_EVENT.localHour,
      attendees: people,
      organizer:
        organizer === undefined
          ? BASE_EVENT.organizer
          : organizer === ""
            ? null
            : { address: organizer, name: "" },
    });
  }
  return emailWith(text, {
    subject: example.subject ?? "",
    headers: example.headers ?? {},
    events,
    ...(example.from ? { from: { address: example.from, name: "" } } : {}),
  });
}
