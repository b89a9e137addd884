import { describe, expect, it } from "vitest";
import type { Mailbox, ParsedMessage } from "../../../functions/core/model.ts";
import { replyRecipient, replySender } from "../../../functions/core/reply/recipient.ts";
import { calendarEvent, invitation } from "../../fixtures/reply/invitation.ts";

const jane: Mailbox = { name: "Jane Smith", address: "jane.smith@client.example" };
const assistant: Mailbox = { name: "Pat Lee", address: "pat.lee@client.example" };
const organizer: Mailbox = { name: "Carlos Ruiz", address: "carlos.ruiz@client.example" };
const robot: Mailbox = { name: "Google Calendar", address: "calendar-notification@google.com" };

describe("replyRecipient", () => {
  it.each<[string, ParsedMessage, Mailbox]>([
    ["From when there is no Reply-To", invitation({ from: jane }), jane],
    ["Reply-To over From", invitation({ from: jane, replyTo: assistant }), assistant],
    [
      "Reply-To over an organizer when From is a person",
      invitation({ from: jane, replyTo: assistant, events: [calendarEvent({ organizer })] }),
      assistant,
    ],
    [
      "the organizer of a standalone .ics",
      invitation({ kind: "calendar", from: null, events: [calendarEvent({ organizer })] }),
      organizer,
    ],
    [
      "the organizer of a Calendar event even beside a From",
      invitation({ kind: "calendar", from: jane, events: [calendarEvent({ organizer })] }),
      organizer,
    ],
    [
      "the organizer when the email's From is a robot",
      invitation({ from: robot, events: [calendarEvent({ organizer })] }),
      organizer,
    ],
    [
      "the organizer when the email has no From",
      invitation({ from: null, replyTo: assistant, events: [calendarEvent({ organizer })] }),
      organizer,
    ],
    [
      "From when Reply-To is a no-reply box",
      invitation({ from: jane, replyTo: { name: "", address: "no-reply@client.example" } }),
      jane,
    ],
    [
      "From, lower-cased and trimmed",
      invitation({ from: { name: " Jane Smith ", address: " Jane.Smith@Client.Example " } }),
      jane,
    ],
    [
      "the From name for a bare personal Reply-To of the same person",
      invitation({ from: jane, replyTo: { name: "", address: "jane.s@gmail.example" } }),
      { name: "Jane Smith", address: "jane.s@gmail.example" },
    ],
    [
      "no name for a bare shared Reply-To",
      invitation({ from: jane, replyTo: { name: "", address: "events@client.example" } }),
      { name: "", address: "events@client.example" },
    ],
    [
      "the organizer's name from the attendee list",
      invitation({
        kind: "calendar",
        from: null,
        events: [
          calendarEvent({
            organizer: { name: "", address: organizer.address },
            attendees: [{ ...organizer, partstat: "ACCEPTED" }],
          }),
        ],
      }),
      organizer,
    ],
  ])("chooses %s", (_what, message, expected) => {
    expect(replyRecipient(message, ["alex@firm.example"])).toEqual(expected);
  });

  it("never chooses the owner, even as organizer", () => {
    const own: Mailbox = { name: "Alex Morgan", address: "alex@firm.example" };
    const message = invitation({
      kind: "calendar",
      from: jane,
      events: [calendarEvent({ organizer: own })],
    });
    expect(replyRecipient(message, ["alex@firm.example"])).toEqual(jane);
  });

  it("treats the attendee marked self as the owner without an owner address", () => {
    const own: Mailbox = { name: "Alex Morgan", address: "alex@firm.example" };
    const message = invitation({
      kind: "calendar",
      from: null,
      events: [calendarEvent({ organizer: own })],
    });
    expect(replyRecipient(message)).toBeNull();
  });

  it("gives null when only robots are left", () => {
    expect(replyRecipient(invitation({ from: robot }))).toBeNull();
  });
});

describe("replySender", () => {
  const owner = { name: "Alex Morgan" };

  it("is the owner's address when it is set", () => {
    expect(replySender(invitation(), { ...owner, email: "alex@firm.example" }, jane)).toEqual({
      name: "Alex Morgan",
      address: "alex@firm.example",
    });
  });

  it("is the invitation's To address that isn't the sender otherwise", () => {
    const message = invitation({
      to: [jane, { name: "", address: "alex.morgan@firm.example" }],
    });
    expect(replySender(message, owner, jane)).toEqual({
      name: "Alex Morgan",
      address: "alex.morgan@firm.example",
    });
  });

  it("is the attendee marked self for a calendar event", () => {
    const message = invitation({ kind: "calendar", to: [], events: [calendarEvent()] });
    expect(replySender(message, owner, organizer)).toEqual({
      name: "Alex Morgan",
      address: "alex@firm.example",
    });
  });

  it('is "me" when nothing names the owner', () => {
    expect(replySender(invitation({ to: [jane] }), owner, jane)).toBe("me");
  });
});
