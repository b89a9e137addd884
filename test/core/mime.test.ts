import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import {
  buildMessage,
  type MessageInput,
  MessageInputError,
  toBase64Url,
} from "../../functions/core/mime.ts";

const DATE = new Date("2026-03-02T10:00:00.000Z");

function base(overrides: Partial<MessageInput> = {}): MessageInput {
  return {
    from: { name: "Zoë Müller", address: "zoe@firm.example" },
    to: { name: "Núñez, José", address: "jose@client.example" },
    subject: "Re: Cena en el café — ¿jueves? Straße",
    text: "Hola José:\n\nMuchas gracias. Crème brûlée, año, Grüße, Straße.\n\nZoë\n",
    inReplyTo: "orig-1@mail.client.example",
    references: ["<root@mail.client.example>", "orig-1@mail.client.example"],
    date: DATE,
    ...overrides,
  };
}

function headerNames(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
  return head
    .split("\r\n")
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
}

function headerLine(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ?? "";
}

describe("buildMessage", () => {
  it("writes CRLF line endings only and 7-bit ASCII throughout", async () => {
    const raw = await buildMessage(base({ text: "line one\nline two\r\nline three\rend" }));
    expect(raw).toContain("\r\n");
    expect(raw).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(raw).toMatch(/^[\t\r\n -~]*$/);
  });

  it("parses back with postal-mime: addresses, subject, threading and UTF-8 body", async () => {
    const raw = await buildMessage(base());
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toMatchObject({ name: "Zoë Müller", address: "zoe@firm.example" });
    expect(parsed.to).toEqual([{ name: "Núñez, José", address: "jose@client.example" }]);
    expect(parsed.subject).toBe("Re: Cena en el café — ¿jueves? Straße");
    expect(parsed.inReplyTo).toBe("<orig-1@mail.client.example>");
    expect(parsed.references).toBe("<root@mail.client.example> <orig-1@mail.client.example>");
    expect(parsed.date).toBe(DATE.toISOString());
    expect(parsed.text).toBe(
      "Hola José:\n\nMuchas gracias. Crème brûlée, año, Grüße, Straße.\n\nZoë\n",
    );
    expect(parsed.html).toBeUndefined();
  });

  it("encodes non-ASCII headers as RFC 2047 encoded words", async () => {
    const raw = await buildMessage(base());
    expect(headerLine(raw, "Subject")).toMatch(/^Subject: =\?UTF-8\?[QB]\?/);
    expect(headerLine(raw, "To")).toMatch(/^To: =\?UTF-8\?[QB]\?.*\?= <jose@client\.example>$/);
  });

  it("writes only the headers it is given, with no Bcc, Cc or mailer banner", async () => {
    const raw = await buildMessage(base());
    expect(headerNames(raw).sort()).toEqual(
      [
        "from",
        "to",
        "subject",
        "in-reply-to",
        "references",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
      ].sort(),
    );
  });

  it("puts message ids in angle brackets whether or not they came with them", async () => {
    const raw = await buildMessage(
      base({ messageId: "draft-1@firm.example", inReplyTo: "<orig-1@x.example>", references: [] }),
    );
    expect(headerLine(raw, "Message-ID")).toBe("Message-ID: <draft-1@firm.example>");
    expect(headerLine(raw, "In-Reply-To")).toBe("In-Reply-To: <orig-1@x.example>");
    expect(headerLine(raw, "References")).toBe("");
  });

  it.each([null, undefined, ""])("leaves In-Reply-To out when it is %j", async (inReplyTo) => {
    const raw = await buildMessage(base({ inReplyTo, references: [] }));
    expect(headerNames(raw)).not.toContain("in-reply-to");
    expect(headerNames(raw)).not.toContain("references");
  });

  it("folds a long References header and it still parses back whole", async () => {
    const references = Array.from({ length: 12 }, (_, i) => `message-${i}-abcdef@mail.example`);
    const raw = await buildMessage(base({ references }));
    expect(raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.references?.split(/\s+/)).toEqual(references.map((id) => `<${id}>`));
  });

  it("builds multipart/alternative with the text part first when html is given", async () => {
    const raw = await buildMessage(base({ html: "<p>Grüße aus München — ñ é ß</p>" }));
    expect(headerLine(raw, "Content-Type")).toMatch(/^Content-Type: multipart\/alternative;/);
    expect(raw.indexOf("text/plain")).toBeLessThan(raw.indexOf("text/html"));
    const parsed = await PostalMime.parse(raw);
    expect(parsed.html).toContain("<p>Grüße aus München — ñ é ß</p>");
    expect(parsed.text).toContain("Straße");
  });

  it('leaves From to Gmail when the sender is "me"', async () => {
    const raw = await buildMessage(base({ from: "me" }));
    expect(headerNames(raw)).not.toContain("from");
    expect(headerLine(raw, "Message-ID")).toMatch(/@localhost>$/);
  });

  it("accepts plain address strings", async () => {
    const raw = await buildMessage(
      base({ from: "Alex Morgan <alex@firm.example>", to: "jose@client.example" }),
    );
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toMatchObject({ name: "Alex Morgan", address: "alex@firm.example" });
    expect(parsed.to).toEqual([{ name: "", address: "jose@client.example" }]);
    expect(headerLine(raw, "Message-ID")).toMatch(/@firm\.example>$/);
  });

  it("gives equal input an equal message and different input a different Message-ID", async () => {
    const first = await buildMessage(base({ html: "<p>x</p>" }));
    const again = await buildMessage(base({ html: "<p>x</p>" }));
    const other = await buildMessage(base({ html: "<p>x</p>", text: "something else" }));
    expect(again).toBe(first);
    expect(headerLine(other, "Message-ID")).not.toBe(headerLine(first, "Message-ID"));
  });

  it("adds extra headers such as Auto-Submitted", async () => {
    const raw = await buildMessage(
      base({ headers: { "Auto-Submitted": "auto-generated", "X-Decorum": "summary" } }),
    );
    expect(headerLine(raw, "Auto-Submitted")).toBe("Auto-Submitted: auto-generated");
    expect(headerLine(raw, "X-Decorum")).toBe("X-Decorum: summary");
  });

  it.each([
    ["Bcc", "boss@firm.example"],
    ["cc", "someone@firm.example"],
    ["To", "other@client.example"],
    ["Content-Type", "text/html"],
    ["Resent-To", "x@y.example"],
    ["Return-Path", "<x@y.example>"],
    ["X-Mailer", "Decorum"],
    ["Bad Name", "value"],
    ["X-Note", "first\r\nBcc: boss@firm.example"],
  ])("refuses the header %s: %j", async (name, value) => {
    await expect(buildMessage(base({ headers: { [name]: value } }))).rejects.toBeInstanceOf(
      MessageInputError,
    );
  });
});

describe("toBase64Url", () => {
  it.each([
    "Subject: hi\r\n\r\nbody\r\n",
    "ÿÿÿ>>>???", // bytes that need + and / in standard base64
    "Grüße, señor, crème — ß",
    "",
  ])("round-trips %j through the URL-safe alphabet without padding", (raw) => {
    const encoded = toBase64Url(raw);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(Buffer.from(encoded, "base64url").toString("utf8")).toBe(raw);
  });
});
