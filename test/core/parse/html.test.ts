import { describe, expect, it } from "vitest";
import { htmlToText, MAX_HTML_CHARS } from "../../../functions/core/parse/html.ts";

describe("htmlToText", () => {
  it.each([
    ["a paragraph", "<p>Dinner on <b>Friday</b>?</p>", "Dinner on Friday?"],
    [
      "head, style and script",
      "<HEAD><title>T</title></HEAD><style>p{}</style><p>Hi</p><SCRIPT>x()</SCRIPT>",
      "Hi",
    ],
    [
      "Outlook's conditional comments",
      "<!--[if mso]><table><tr><td>mso</td></tr></table><![endif]--><p>Hi</p>",
      "Hi",
    ],
    ["an unterminated comment", "<p>Hi</p><!-- never closed <p>gone</p>", "Hi"],
    ["a link, by its text only", '<a href="https://x.example/track">Join us</a>', "Join us"],
    ["images", '<p>Hi<img src="logo.png" alt="Logo"></p>', "Hi"],
    [
      "lower-case-unstable letters before a tag",
      "<P>İstanbul</P><STYLE>x</STYLE><P>ok</P>",
      "İstanbul\n\nok",
    ],
    ["headings without shouting", "<h1>Summer gala</h1>", "Summer gala"],
    [
      "a blockquote as quoted lines",
      "<p>Yes</p><blockquote>Lunch?</blockquote>",
      "Yes\n\n> Lunch?",
    ],
    [
      "table cells on their own lines",
      "<table><tr><td>Hello Ana,</td><td>Friday?</td></tr></table>",
      "Hello Ana,\nFriday?",
    ],
  ])("converts %s", (_name, html, text) => {
    expect(htmlToText(html).trim()).toBe(text);
  });

  it("keeps only the start of an enormous body", () => {
    const html = `<p>${"a".repeat(MAX_HTML_CHARS * 2)}</p>`;
    expect(htmlToText(html).length).toBeLessThanOrEqual(MAX_HTML_CHARS);
  });
});
