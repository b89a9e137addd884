import { describe, expect, it } from "vitest";
import { applyFieldMask } from "./http.ts";
import { decodeWords, normalizeSubject, parseMime, referencedIds, snippetOf } from "./mime.ts";

describe("decodeWords", () => {
  it.each([
    ["=?UTF-8?B?Sm9zw6kgR2FyY8OtYQ==?= <jose@bodega.es>", "José García <jose@bodega.es>"],
    ["=?UTF-8?Q?Invitaci=C3=B3n_a_la_cata?=", "Invitación a la cata"],
    ["=?ISO-8859-1?Q?Caf=E9?= =?ISO-8859-1?Q?_cr=E8me?=", "Café crème"],
    ["plain text stays", "plain text stays"],
  ])("decodes %s", (input, expected) => {
    expect(decodeWords(input)).toBe(expected);
  });
});

describe("normalizeSubject", () => {
  it.each([
    ["Re: Dinner", "dinner"],
    ["RE: re:  Dinner", "dinner"],
    ["Fwd: Re: Dinner", "dinner"],
    ["AW: Einladung", "einladung"],
    ["Dinner re: plans", "dinner re: plans"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeSubject(input)).toBe(expected);
  });
});

describe("parseMime", () => {
  const raw = Buffer.from(
    [
      "Subject: Hello",
      "In-Reply-To: <a@x>",
      "References: <root@x>",
      "  <a@x>",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Caf=C3=A9 at 5 =",
      "& <tea>",
    ].join("\r\n"),
  );

  it("unfolds headers, decodes quoted-printable and escapes the snippet like Gmail", () => {
    const mime = parseMime(raw);
    expect(mime.headers.find((h) => h.name === "References")?.value).toBe("<root@x> <a@x>");
    expect(mime.content.toString("utf8")).toBe("Café at 5 & <tea>");
    expect(snippetOf(mime)).toBe("Café at 5 &amp; &lt;tea&gt;");
    expect(referencedIds(mime.headers)).toEqual(["<a@x>", "<root@x>", "<a@x>"]);
  });
});

describe("applyFieldMask", () => {
  const value = {
    messages: [{ id: "1", threadId: "t" }],
    nextPageToken: "n",
    resultSizeEstimate: 1,
  };
  it.each([
    ["messages(id)", { messages: [{ id: "1" }] }],
    ["nextPageToken,messages/threadId", { nextPageToken: "n", messages: [{ threadId: "t" }] }],
    ["resultSizeEstimate", { resultSizeEstimate: 1 }],
  ])("%s", (mask, expected) => {
    expect(applyFieldMask(value, mask)).toEqual(expected);
  });
});
