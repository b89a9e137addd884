/**
 * Text normalisation shared by the facts and the rulebook engine. Both the message text and every
 * rulebook phrase go through `fold`, so a person can write "déjeuner" or "dejeuner", "’" or "'",
 * and either matches.
 */

const SPECIAL = /[\u2018\u2019\u02bc`\u201c\u201d\u00ab\u00bb\u2013\u2014\u00a0\u00df\u0153\u00e6\u00f8\u0142]/g;
const SPECIAL_MAP: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u02bc": "'",
  "`": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u00a0": " ",
  "\u00df": "ss",
  "\u0153": "oe",
  "\u00e6": "ae",
  "\u00f8": "o",
  "\u0142": "l",
};
const MARKS = /\p{M}+/gu;

/** Lower-cases, strips diacritics and maps typographic quotes and dashes to ASCII. */
export function fold(input: string): string {
  return input
    .toLowerCase()
    .normalize("NFD")
    .replace(MARKS, "")
    .replace(SPECIAL, (ch) => SPECIAL_MAP[ch] ?? ch);
}

const WORD_CHAR = "[\\p{L}\\p{N}]";
const BEFORE = `(?<!${WORD_CHAR})`;
const AFTER = `(?!${WORD_CHAR})`;

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

const ESCAPE = /(\\[pP]\{[^}]*\}|\\.)/;

/** Folds a regular expression's literal text but keeps its escapes (\\p{L}, \\S, \\d) intact. */
function foldRegex(source: string): string {
  return source
    .split(ESCAPE)
    .map((part, index) => (index % 2 === 1 ? part : fold(part)))
    .join("");
}

/**
 * Turns one rulebook phrase into a regex source. A phrase is words separated by spaces (any run
 * of whitespace matches a space); `*` inside or at either end of a word matches any letters, so
 * "*weihnachtsfeier" matches "Firmenweihnachtsfeier" and "invit*" matches "invitation". A phrase
 * written between slashes is a regular expression used as is (folded first). Every phrase must
 * start and end on a word boundary, so "bar" never matches "barbecue".
 */
export function phraseSource(phrase: string): string {
  const trimmed = phrase.trim();
  if (trimmed.length > 2 && trimmed.startsWith("/") && trimmed.endsWith("/")) {
    return `${BEFORE}(?:${foldRegex(trimmed.slice(1, -1))})${AFTER}`;
  }
  const words = fold(trimmed)
    .split(/\s+/)
    .map((word) =>
      word
        .split("*")
        .map(escapeRegex)
        // Bounded so a run of letters can never make the scan quadratic.
        .join("\\p{L}{0,30}"),
    );
  return `${BEFORE}${words.join("\\s+")}${AFTER}`;
}

/** One regex (global, unicode) matching any of the phrases; compiled once, at rulebook load. */
export function compilePhrases(phrases: readonly string[]): RegExp {
  return new RegExp(phrases.map(phraseSource).join("|"), "gu");
}

/** Why a phrase cannot be used, or null when it is fine. */
export function phraseProblem(phrase: string): string | null {
  const trimmed = phrase.trim();
  if (trimmed.startsWith("/") !== (trimmed.endsWith("/") && trimmed.length > 1)) {
    return `"${phrase}" starts or ends with "/" but not both: write /regex/ or a plain phrase`;
  }
  try {
    const pattern = new RegExp(phraseSource(phrase), "gu");
    if (pattern.test("")) return `"${phrase}" matches empty text`;
  } catch (error) {
    return `"${phrase}" is not a valid pattern: ${error instanceof Error ? error.message : error}`;
  }
  return null;
}
