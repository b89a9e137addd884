import { describe, expect, it } from "vitest";
import { computeFacts, forwardedSender, withoutSignature } from "../../functions/core/facts.ts";
import { detectLanguage } from "../../functions/core/language.ts";
import type { Attendee } from "../../functions/core/model.ts";
import type { Language } from "../../functions/core/vocabulary.ts";
import { DEFAULT_SETTINGS, parseSettings } from "../../functions/schemas/settings.ts";
import { BASE_EVENT, emailWith } from "./message.ts";

const settings = parseSettings({
  owner: { email: "alex@firm.example" },
  timeZone: "America/New_York",
});

describe("detectLanguage", () => {
  it.each<[string, Language]>([
    ["Would you like to join us for dinner on Friday?", "en"],
    ["¿Te apetece cenar con nosotros el viernes? Un abrazo", "es"],
    ["Ça vous dirait de dîner avec nous vendredi soir ?", "fr"],
    ["Hätten Sie Lust, am Freitag mit uns zu Abend zu essen?", "de"],
    ["", "en"],
    ["OK", "en"],
  ])("reads %j as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe("withoutSignature", () => {
  it("cuts after the closing line", () => {
    const text =
      "Hi Alex,\n\nWould you like to join us for golf at the club on Saturday morning?\n\nBest,\nDoug\n\nDoug Brennan\nPinecrest Golf & Country Club";
    expect(withoutSignature(text)).not.toMatch(/Pinecrest/);
    expect(withoutSignature(text)).toMatch(/golf at the club/);
  });

  it("cuts after a bare first name on its own line", () => {
    const text =
      "Alex,\n\nThe lender wants the covenant certificate by Friday, can you help with it?\n\nmargaret\n\nMargaret A. Finch\nConfidentiality notice: this message is privileged.";
    expect(withoutSignature(text)).not.toMatch(/Confidentiality/);
  });

  it("keeps a short message whole", () => {
    expect(withoutSignature("Drinks Thursday?\n\nP")).toBe("Drinks Thursday?\n\nP");
  });
});

describe("forwardedSender", () => {
  it.each([
    ["From: Victor Marston <victor@capital.example>\nSent: Thursday", "victor@capital.example"],
    [
      "---------- Forwarded message ---------\nFrom: ana@client.example\nDate: x",
      "ana@client.example",
    ],
    ['Von: "Krüger, Stefan" <Stefan@KM.example>', "stefan@km.example"],
  ])("finds the sender in %j", (quoted, address) => {
    expect(forwardedSender(quoted)?.address).toBe(address);
  });

  it("finds none without a From line", () => {
    expect(forwardedSender("just some text")).toBeNull();
  });
});

describe("computeFacts", () => {
  it("reads a reply's own words, not its subject or history", () => {
    const facts = computeFacts(
      emailWith("Sounds good.", { subject: "Re: Poker night?", quotedText: "Poker night?" }),
      { settings },
    );
    expect(facts.isReply).toBe(true);
    expect(facts.subject).toBe("");
    expect(facts.scan).not.toMatch(/poker/);
  });

  it("flags mailing-list and machine headers", () => {
    const facts = computeFacts(
      emailWith("Hello", { headers: { precedence: "bulk", "auto-submitted": "auto-generated" } }),
      { settings },
    );
    expect(facts).toMatchObject({ bulk: true, automated: true });
  });

  it("notices hearts in the sender's own words", () => {
    expect(computeFacts(emailWith("Dinner ♥"), { settings }).hearts).toBe(true);
    expect(computeFacts(emailWith("Dinner <3"), { settings }).hearts).toBe(false);
  });

  it.each<[string, Partial<typeof BASE_EVENT>, Record<string, unknown>]>([
    [
      "a Friday 19:00 event",
      { localHour: 19, localWeekday: 5 },
      { evening: true, weekend: false, businessHours: false },
    ],
    [
      "a Tuesday 10:00 event",
      { localHour: 10, localWeekday: 2 },
      { evening: false, weekend: false, businessHours: true },
    ],
    [
      "a Saturday morning event",
      { localHour: 9, localWeekday: 6 },
      { evening: false, weekend: true, businessHours: false },
    ],
    [
      "a floating event, read in the owner's zone",
      { localHour: null, localWeekday: null, timeZone: null, start: "2026-03-06T23:30:00.000Z" },
      { hour: 18, weekday: 5, evening: true },
    ],
  ])("reads the timing of %s", (_name, event, expected) => {
    const facts = computeFacts(emailWith("", { events: [{ ...BASE_EVENT, ...event }] }), {
      settings,
    });
    expect(facts.calendar).toMatchObject(expected);
  });

  it.each<[string, Partial<typeof BASE_EVENT>, string]>([
    [
      "the owner organised it",
      { organizer: { address: "alex@firm.example", name: "" } },
      "organizer",
    ],
    ["the owner accepted", { attendees: [me("ACCEPTED")] }, "responded"],
    ["the owner has not answered", { attendees: [me("NEEDS-ACTION")] }, "invitee"],
    ["the owner is not listed", { attendees: [] }, "unknown"],
  ])("knows the owner's role when %s", (_name, event, role) => {
    const facts = computeFacts(emailWith("", { events: [{ ...BASE_EVENT, ...event }] }), {
      settings,
    });
    expect(facts.calendar?.ownerRole).toBe(role);
  });

  it("knows mail from the owner", () => {
    const own = emailWith("Hi", { from: { address: "alex@firm.example", name: "Alex" } });
    expect(computeFacts(own, { settings }).fromOwner).toBe(true);
    expect(computeFacts(own, { settings: DEFAULT_SETTINGS }).fromOwner).toBe(false);
  });
});

function me(partstat: Attendee["partstat"]): Attendee {
  return { address: "alex@firm.example", name: "Alex", partstat };
}
