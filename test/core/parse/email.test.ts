import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { ParsedMessage } from "../../../functions/core/model.ts";
import { parseEmail } from "../../../functions/core/parse/index.ts";
import { ParsedMessageSchema } from "./model-schema.ts";

const FIXTURES = new URL("../../fixtures/parse/eml/", import.meta.url);

async function fixture(name: string): Promise<ParsedMessage> {
  const message = await parseEmail(await readFile(new URL(name, FIXTURES)), name);
  ParsedMessageSchema.parse(message);
  return message;
}

describe("parseEmail: MIME, encodings and charsets", () => {
  it.each([
    {
      file: "multipart-alternative.eml",
      subject: "¿Cenamos el jueves? Cena con el equipo",
      fromName: "Ana María Ruiz",
      body: "¿Te apetece cenar el jueves con el equipo? Reservamos en un sitio muy agradable del centro.",
    },
    {
      file: "base64-utf8.eml",
      subject: "Golf am Samstag",
      fromName: "Björn",
      body: "hast du Lust auf eine Runde Golf am Samstag? Danach gibt's Kaffee und Kuchen.",
    },
    {
      file: "windows-1252.eml",
      subject: "Dîner “chez nous”",
      fromName: "Élodie Durand",
      body: "Un “petit” dîner chez nous samedi ? Le menu à 45 € est offert.",
    },
    {
      file: "iso-8859-1.eml",
      subject: "Cumpleaños",
      fromName: "José Pérez",
      body: "¿Vienes a la fiesta de cumpleaños de mi hija? Será en casa, el sábado.",
    },
    {
      file: "iso-2022-jp.eml",
      subject: "夕食のお誘い",
      fromName: "田中",
      body: "来週の金曜日に夕食はいかがですか。",
    },
  ])("decodes $file", async ({ file, subject, fromName, body }) => {
    const message = await fixture(file);
    expect(message.kind).toBe("email");
    expect(message.source).toBe(file);
    expect(message.subject).toBe(subject);
    expect(message.from?.name).toBe(fromName);
    expect(message.text).toContain(body);
    expect(message.newText).toContain(body);
    expect(message.htmlOnly).toBe(false);
  });

  it("reads ids, addresses, date and selected headers", async () => {
    const message = await fixture("multipart-alternative.eml");
    expect(message).toMatchObject({
      messageId: "CAF=abc123@mail.client.example",
      inReplyTo: "prev-1@firm.example",
      references: ["root-0@firm.example", "prev-1@firm.example"],
      from: { address: "ana.ruiz@client.example", name: "Ana María Ruiz" },
      replyTo: { address: "assist@client.example", name: "Ana (assistant)" },
      to: [
        { address: "owner@firm.example", name: "Owner, Pat" },
        { address: "team@firm.example", name: "" },
      ],
      cc: [{ address: "jose@client.example", name: "José Pérez" }],
      date: "2024-06-04T07:15:00.000Z",
      forwarded: false,
      events: [],
    });
    expect(message.headers).toEqual({
      "list-unsubscribe": "<mailto:unsub@client.example>",
      "list-id": "Client news <news.client.example>",
      precedence: "bulk",
      "x-mailer": "Example Mail 1.0",
      "x-campaign": "Cena de verano",
    });
  });

  it("keeps the signature in text but not in newText", async () => {
    const message = await fixture("multipart-alternative.eml");
    expect(message.text).toContain("Client S.A.");
    expect(message.newText.endsWith("Un abrazo,\nAna")).toBe(true);
    expect(message.quotedText).toBe("");
  });

  it("turns an HTML-only body into text", async () => {
    const message = await fixture("html-only.eml");
    expect(message.htmlOnly).toBe(true);
    expect(message.text).toContain(
      "Join us for cocktails & dinner on June 28 at the Harbour Club.",
    );
    expect(message.text).toContain("RSVP here");
    expect(message.text).not.toMatch(/<p>|color:red|logo\.png/);
    expect(message.newText).toBe(message.text);
    expect(message.headers).toEqual({
      "list-unsubscribe": "<https://client.example/unsub?u=1>, <mailto:unsub@client.example>",
      "auto-submitted": "auto-generated",
    });
  });

  it("reads a string as well as bytes", async () => {
    const raw = await readFile(new URL("reply-en.eml", FIXTURES), "utf8");
    const fromString = await parseEmail(raw, "s");
    const fromBytes = await parseEmail(new TextEncoder().encode(raw), "s");
    expect(fromString).toEqual(fromBytes);
  });
});

describe("parseEmail: forwards", () => {
  it("separates the forwarder's words from an inline forward", async () => {
    const message = await fixture("forward-gmail.eml");
    expect(message.forwarded).toBe(true);
    expect(message.newText).toBe("Can you find a polite way out of this one?");
    expect(message.quotedText).toMatch(/^From: Dave Client <dave@client\.example>/);
    expect(message.quotedText).toContain("poker at my place Friday, buy-in is $500");
  });

  it("opens a message attached as message/rfc822", async () => {
    const message = await fixture("forward-attached.eml");
    expect(message.forwarded).toBe(true);
    expect(message.newText).toBe("See below, what do you think?\n\nPat");
    expect(message.quotedText).toMatch(/^From: Carla Client <carla@client\.example>\n/);
    expect(message.quotedText).toContain("Subject: Dinner at our house");
    expect(message.quotedText).toContain("would you and your partner come to dinner at our house");
    expect(message.text).toContain("See below, what do you think?");
    expect(message.text).toContain("would you and your partner come to dinner at our house");
  });

  it("reads an Outlook forward from its subject and header block", async () => {
    const raw = [
      "From: Pat <owner@firm.example>",
      "Subject: FW: Poker night",
      "",
      "FYI",
      "",
      "From: Dave Client <dave@client.example>",
      "Sent: Sunday, June 16, 2024 10:12 PM",
      "To: Pat <owner@firm.example>",
      "Subject: Poker night",
      "",
      "Poker at my place Friday?",
    ].join("\r\n");
    const message = await parseEmail(raw, "s");
    expect(message).toMatchObject({ forwarded: true, newText: "FYI" });
    expect(message.quotedText).toMatch(/^From: Dave Client[\s\S]*Poker at my place Friday\?$/);
  });

  it.each([
    ["Fwd: lunch", true],
    ["FW: lunch", true],
    ["RV: almuerzo", true],
    ["TR: déjeuner", true],
    ["WG: Mittagessen", true],
    ["Re: Fwd: lunch", false],
    ["Forward planning", false],
  ])("reads the subject %j as forwarded: %s", async (subject, forwarded) => {
    const raw = `From: a@client.example\nSubject: ${subject}\n\nHello\n`;
    expect((await parseEmail(raw, "s")).forwarded).toBe(forwarded);
  });
});

describe("parseEmail: replies", () => {
  it.each([
    {
      file: "reply-en.eml",
      newText: "Thursday works, let's do drinks after work instead.\n\nAna",
      quoted: "> Would lunch on Thursday suit you?",
    },
    {
      file: "reply-es.eml",
      newText: "Perfecto, nos vemos el viernes en el restaurante.",
      quoted: "> ¿Te va bien cenar el viernes?",
    },
    {
      file: "reply-fr.eml",
      newText: "Avec plaisir, à jeudi !",
      quoted: "> Un déjeuner jeudi vous conviendrait ?",
    },
    {
      file: "reply-de.eml",
      newText: "Gerne, bis Donnerstag.",
      quoted: "> Passt Ihnen Donnerstag zum Mittagessen?",
    },
    {
      file: "reply-outlook.eml",
      newText: "Sounds good. Also, the boys are going to the gentlemen's club after; join us?",
      quoted: "Shall we review the strategy on Monday?",
    },
    {
      file: "reply-outlook-es.eml",
      newText: "Gracias, la revisamos el lunes.",
      quoted: "Adjunto la propuesta.",
    },
  ])("separates new text from history in $file", async ({ file, newText, quoted }) => {
    const message = await fixture(file);
    expect(message.newText).toBe(newText);
    expect(message.quotedText).toContain(quoted);
    expect(message.forwarded).toBe(false);
    expect(message.text).toContain(newText);
    expect(message.text).toContain(quoted);
  });
});

describe("parseEmail: calendar parts", () => {
  it("reads a METHOD:REQUEST text/calendar part once, though it is also attached", async () => {
    const message = await fixture("invitation-request.eml");
    expect(message.headers).toEqual({
      sender: "Google Calendar <calendar-notification@google.com>",
    });
    expect(message.events).toEqual([
      {
        uid: "7kukuqrfedlm2f9t0vr42q3gde@google.com",
        method: "REQUEST",
        summary: "Poker night",
        description: "Poker night at my place. Bring cash!",
        location: "12 Elm St, Springfield",
        start: "2024-07-05T23:00:00.000Z",
        end: "2024-07-06T02:00:00.000Z",
        allDay: false,
        timeZone: "America/New_York",
        localHour: 19,
        localWeekday: 5,
        organizer: { address: "dave@client.example", name: "Dave Client" },
        attendees: [
          { address: "dave@client.example", name: "Dave Client", partstat: "ACCEPTED" },
          { address: "owner@firm.example", name: "owner@firm.example", partstat: "NEEDS-ACTION" },
        ],
        rrule: null,
        sequence: 0,
        status: "CONFIRMED",
      },
    ]);
  });

  it("takes the method from the part's Content-Type when the calendar names none", async () => {
    const raw = [
      "From: a@client.example",
      'Content-Type: text/calendar; method="request"; charset=utf-8',
      "",
      "BEGIN:VCALENDAR",
      "BEGIN:VEVENT",
      "UID:u1",
      "DTSTART:20240701T100000Z",
      "SUMMARY:Lunch",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const [event] = (await parseEmail(raw, "s")).events;
    expect(event?.method).toBe("REQUEST");
    expect(event?.summary).toBe("Lunch");
  });

  it("ignores a broken calendar part and keeps the message", async () => {
    const raw =
      "From: a@client.example\nContent-Type: text/calendar\n\nBEGIN:VCALENDAR\nnonsense\n";
    const message = await parseEmail(raw, "s");
    expect(message.events).toEqual([]);
    expect(message.from?.address).toBe("a@client.example");
  });
});

describe("parseEmail: header edge cases", () => {
  it.each([
    ["Date: Tue, 4 Jun 2024 09:15:00 +0200", "2024-06-04T07:15:00.000Z"],
    ["Date: not a date", null],
    ["Date: Tue, 18 Jun 12024 11:00:00 +0200", null],
    ["X-No-Date: 1", null],
  ])("reads %j as date %j", async (header, date) => {
    const message = await parseEmail(`From: a@b.example\n${header}\n\nbody\n`, "s");
    expect(message.date).toBe(date);
  });

  it.each([
    ["<a@b> (Ana's message of Monday)", "a@b", ["a@b"]],
    ["bare@id.example", "bare@id.example", ["bare@id.example"]],
    ["<x@y>\n <z@w>", "x@y", ["x@y", "z@w"]],
  ])("reads ids from %j", async (value, first, all) => {
    const raw = `From: a@b.example\nIn-Reply-To: ${value}\nReferences: ${value}\n\nbody\n`;
    const message = await parseEmail(raw, "s");
    expect(message.inReplyTo).toBe(first);
    expect(message.references).toEqual(all);
  });

  it("flattens address groups and lower-cases addresses", async () => {
    const raw = "From: Sender <S@X.Example>\nTo: Team: A@Client.Example, b@client.example;\n\nhi\n";
    const message = await parseEmail(raw, "s");
    expect(message.to).toEqual([
      { address: "a@client.example", name: "" },
      { address: "b@client.example", name: "" },
    ]);
    expect(message.from).toEqual({ address: "s@x.example", name: "Sender" });
  });

  it("falls back to Sender when there is no From", async () => {
    const message = await parseEmail("Sender: Bot <bot@x.example>\n\nhi\n", "s");
    expect(message.from).toEqual({ address: "bot@x.example", name: "Bot" });
    expect(message.headers.sender).toBe("Bot <bot@x.example>");
  });

  it("yields an empty message for empty input", async () => {
    const message = await parseEmail("", "s");
    ParsedMessageSchema.parse(message);
    expect(message).toMatchObject({ from: null, subject: "", text: "", date: null });
  });
});
