/**
 * HTML built only through the `html` tag: every interpolated string goes through `escapeHtml`,
 * so text from mail (sender names, subjects, event titles) can never become markup. Markup
 * produced by `html` itself is passed through unescaped, which is how fragments compose.
 */

export class SafeHtml {
  readonly #value: string;
  constructor(value: string, token: typeof TOKEN) {
    if (token !== TOKEN) throw new Error("SafeHtml is built only by the html tag");
    this.#value = value;
  }
  toString(): string {
    return this.#value;
  }
}

const TOKEN = Symbol("SafeHtml");

export type HtmlValue =
  | SafeHtml
  | string
  | number
  | null
  | undefined
  | false
  | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The one escaping function: safe in element content and in double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out, TOKEN);
}

// Controls, and the bidi controls that can make "gpj.exe" read as "exe.jpg" (Trojan Source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g;

/**
 * Text from mail made fit to show on one line: control and bidi characters become spaces,
 * whitespace collapses, and it is cut at `max` characters with an ellipsis. Not an escape.
 */
export function displayText(value: string, max = 120): string {
  const flat = value.replace(UNSAFE_CHARS, " ").replace(/\s+/g, " ").trim();
  // By code point, so an emoji at the cut is never split into half a surrogate pair.
  const chars = Array.from(flat);
  return chars.length <= max
    ? flat
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}
