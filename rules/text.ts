/**
 * Text handling shared by the facts and the rulebook engine: folding, tokenising, and the small
 * phrase language the rulebook is written in.
 *
 * Matching works on words, not characters: a message is folded and cut into tokens once, every
 * phrase of the rulebook sits in one index keyed by its first word, and each token looks up only
 * the phrases that can start there. The cost is linear in the text and barely grows with the
 * number of rules (a regex per rule re-scanned every character for every rule: 100× slower).
 *
 * Phrase syntax (folded first, so case and accents do not matter):
 *   words separated by spaces   "would you like to"; apostrophes, hyphens and dots split words the
 *                               same way in phrases and in text ("let's" is `let s`)
 *   `*` inside a word           any letters or digits: "invit*", "*feier"
 *   `#` inside a word           one or more digits: "#pm" matches "7pm"
 *   (a|b|c)                     one word out of several: "(this|next) friday"
 *   [a|b]                       an optional word: "kann [leider] nicht"
 *   ...                         up to eight words, within one sentence: "kann ... nicht"
 *   ? ! .                       punctuation tokens: "you in ?"
 *   /regex/                     a regular expression over the folded text (escape hatch: slower,
 *                               best kept for short fields such as a calendar location)
 */

const SPECIAL =
  /[\u2018\u2019\u02bc`\u201c\u201d\u00ab\u00bb\u2013\u2014\u00a0\u00df\u0153\u00e6\u00f8\u0142]/g;
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: only ASCII needs no folding
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-cases, strips diacritics and maps typographic quotes and dashes to ASCII. */
export function fold(input: string): string {
  const lower = input.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return lower
    .normalize("NFD")
    .replace(MARKS, "")
    .replace(SPECIAL, (ch) => SPECIAL_MAP[ch] ?? ch);
}

/** A folded text cut into words and punctuation marks, with where each one sits. */
export interface Tokens {
  text: string;
  words: string[];
  starts: readonly number[];
  ends: readonly number[];
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether a UTF-16 unit is part of a word: ASCII letters and digits, or any other letter. */
function isWordUnit(text: string, index: number, code: number): boolean {
  if (code < 0x80) {
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  }
  // Surrogate pairs (emoji, rare scripts) are never letters Decorum matches on.
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return LETTER_OR_DIGIT.test(text.charAt(index));
}

/**
 * Cuts a folded text into tokens: runs of letters and digits, and ? ! . on their own. A plain
 * loop over char codes: this runs on every message, and a Unicode regex costs several times more.
 */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code >= 0 && isWordUnit(text, i, code)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      words.push(text.slice(start, i));
      starts.push(start);
      ends.push(i);
      start = -1;
    }
    if (code === 63 || code === 33 || code === 46) {
      words.push(text.charAt(i));
      starts.push(i);
      ends.push(i + 1);
    }
  }
  return { text, words, starts, ends };
}

/** An exact word, or a wildcard pattern with the literal letters it starts with. */
type WordTest = string | { pattern: RegExp; prefix: string };
type Step = { kind: "word"; tests: WordTest[]; optional: boolean } | { kind: "gap"; max: number };

/** One phrase, ready to match: a sequence of steps, or a regular expression. */
export interface CompiledPhrase {
  source: string;
  steps: Step[];
  regex: RegExp | null;
}

export class PhraseError extends Error {
  override name = "PhraseError";
}

const GAP_WORDS = 8;
const PATTERN_PIECE = /[\p{L}\p{N}*#]+|[?!.]/gu;
const WORD_CHAR = "[\\p{L}\\p{N}]";
const ESCAPE = /(\\[pP]\{[^}]*\}|\\.)/;

function wordTest(piece: string): WordTest {
  const wild = piece.search(/[*#]/);
  if (wild < 0) return piece;
  const source = piece
    .split("")
    .map((ch) => (ch === "*" ? `${WORD_CHAR}*` : ch === "#" ? "\\p{N}+" : ch))
    .join("");
  return { pattern: new RegExp(`^${source}$`, "u"), prefix: piece.slice(0, wild) };
}

function piecesOf(word: string): string[] {
  return fold(word).match(PATTERN_PIECE) ?? [];
}

/** Folds a regular expression's literal text but keeps its escapes (\p{L}, \S, \d) intact. */
function foldRegex(source: string): string {
  return source
    .split(ESCAPE)
    .map((part, index) => (index % 2 === 1 ? part : fold(part)))
    .join("");
}

function alternatives(inner: string, phrase: string): WordTest[] {
  return inner.split("|").map((alternative) => {
    const pieces = piecesOf(alternative);
    if (pieces.length !== 1 || pieces[0] === undefined) {
      throw new PhraseError(
        `"${phrase}": "${alternative}" must be exactly one word inside ( ) or [ ]; write separate phrases instead`,
      );
    }
    return wordTest(pieces[0]);
  });
}

/** Compiles one phrase of the rulebook; throws PhraseError naming what is wrong. */
export function compilePhrase(phrase: string): CompiledPhrase {
  const source = phrase.trim();
  if (source.length > 2 && source.startsWith("/") && source.endsWith("/")) {
    let regex: RegExp;
    try {
      regex = new RegExp(
        `(?<!${WORD_CHAR})(?:${foldRegex(source.slice(1, -1))})(?!${WORD_CHAR})`,
        "gu",
      );
    } catch (error) {
      throw new PhraseError(
        `"${phrase}" is not a valid regular expression: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (regex.test("")) throw new PhraseError(`"${phrase}" matches empty text`);
    return { source, steps: [], regex };
  }
  if (source.startsWith("/") || source.endsWith("/")) {
    throw new PhraseError(`"${phrase}" starts or ends with "/" but not both`);
  }
  const steps: Step[] = [];
  for (const word of source.split(/\s+/)) {
    if (word === "...") {
      steps.push({ kind: "gap", max: GAP_WORDS });
    } else if (word.startsWith("[") && word.endsWith("]")) {
      steps.push({ kind: "word", tests: alternatives(word.slice(1, -1), phrase), optional: true });
    } else if (word.startsWith("(") && word.endsWith(")")) {
      steps.push({ kind: "word", tests: alternatives(word.slice(1, -1), phrase), optional: false });
    } else {
      if (/[()[\]|]/.test(word)) {
        throw new PhraseError(`"${phrase}": unbalanced ( ) or [ ] in "${word}"`);
      }
      for (const piece of piecesOf(word)) {
        steps.push({ kind: "word", tests: [wordTest(piece)], optional: false });
      }
    }
  }
  const first = steps[0];
  const last = steps.at(-1);
  if (first?.kind !== "word" || first.optional) {
    throw new PhraseError(`"${phrase}" must start with a required word`);
  }
  if (last?.kind !== "word") {
    throw new PhraseError(`"${phrase}" must end with a word`);
  }
  return { source, steps, regex: null };
}

/** Why a phrase cannot be used, or null when it is fine. */
export function phraseProblem(phrase: string): string | null {
  try {
    compilePhrase(phrase);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function passes(test: WordTest, word: string): boolean {
  return typeof test === "string" ? test === word : test.pattern.test(word);
}

/** Wildcard words are indexed by their first letters when they have at least this many. */
const PREFIX_KEY = 2;

/** Sentence punctuation a gap (`...`) never crosses. */
const SENTENCE_END = new Set(["?", "!", "."]);

/** Where the steps from `step` on match words from `at` on: the end index, or -1. */
function matchFrom(
  steps: readonly Step[],
  step: number,
  words: readonly string[],
  at: number,
): number {
  const current = steps[step];
  if (!current) return at;
  if (current.kind === "gap") {
    for (let skip = 0; skip <= current.max; skip++) {
      const end = matchFrom(steps, step + 1, words, at + skip);
      if (end >= 0) return end;
      const skipped = words[at + skip];
      if (skipped === undefined || SENTENCE_END.has(skipped)) break;
    }
    return -1;
  }
  const word = words[at];
  if (word !== undefined) {
    for (const test of current.tests) {
      if (!passes(test, word)) continue;
      const end = matchFrom(steps, step + 1, words, at + 1);
      if (end >= 0) return end;
      break;
    }
  }
  return current.optional ? matchFrom(steps, step + 1, words, at) : -1;
}

export interface PhraseMatch<T> {
  owner: T;
  /** Index of the first token matched, and one past the last. */
  start: number;
  end: number;
}

interface Entry<T> {
  phrase: CompiledPhrase;
  owner: T;
}

/** Phrases sharing a first word, split again by their second word where it is a plain word. */
interface Bucket<T> {
  any: Entry<T>[];
  bySecond: Map<string, Entry<T>[]>;
}

function prefixKey(word: string): number {
  return word.charCodeAt(0) * 65536 + word.charCodeAt(1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/**
 * Many phrases, each with an owner (a rule), indexed by their first two words so a text is
 * matched in one pass over its tokens, trying only phrases that can start at each word.
 */
export class PhraseSet<T> {
  private readonly byFirst = new Map<string, Bucket<T>>();
  /** Phrases whose first word is a wildcard with a literal prefix ("poker*"). */
  private readonly byPrefix = new Map<number, Entry<T>[]>();
  /** Phrases whose first word starts with digits ("#pm", "# h"): tried at numbers only. */
  private readonly digitFirst: Entry<T>[] = [];
  /** Phrases whose first word has no usable prefix ("*feier"): tried at every word. */
  private readonly anyFirst: Entry<T>[] = [];
  private readonly regexes: Entry<T>[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(source: string, owner: T): void {
    const phrase = compilePhrase(source);
    const entry: Entry<T> = { phrase, owner };
    this.count++;
    if (phrase.regex) {
      this.regexes.push(entry);
      return;
    }
    const [first, second] = phrase.steps;
    if (first?.kind !== "word") {
      this.anyFirst.push(entry);
      return;
    }
    const exactFirst = first.tests.every((test) => typeof test === "string");
    const digitsFirst = first.tests.every(
      (test) => typeof test !== "string" && test.pattern.source.startsWith("^\\p{N}+"),
    );
    if (digitsFirst) {
      this.digitFirst.push(entry);
      return;
    }
    if (!exactFirst) {
      if (first.tests.some((test) => typeof test !== "string" && test.prefix.length < PREFIX_KEY)) {
        this.anyFirst.push(entry);
        return;
      }
      for (const test of first.tests) {
        const key = typeof test === "string" ? test : test.prefix;
        if (key.length >= PREFIX_KEY) push(this.byPrefix, prefixKey(key), entry);
        else this.anyFirst.push(entry);
      }
      return;
    }
    const exactSecond =
      second?.kind === "word" &&
      !second.optional &&
      second.tests.every((test) => typeof test === "string");
    for (const test of first.tests) {
      if (typeof test !== "string") continue;
      let bucket = this.byFirst.get(test);
      if (!bucket) {
        bucket = { any: [], bySecond: new Map() };
        this.byFirst.set(test, bucket);
      }
      if (exactSecond && second?.kind === "word") {
        for (const next of second.tests) {
          if (typeof next === "string") push(bucket.bySecond, next, entry);
        }
      } else if (!bucket.any.includes(entry)) {
        bucket.any.push(entry);
      }
    }
  }

  /** Every match in the tokens, in token order (regex matches after). */
  matches(tokens: Tokens): PhraseMatch<T>[] {
    const found: PhraseMatch<T>[] = [];
    const { words } = tokens;
    const { byFirst, byPrefix, digitFirst, anyFirst } = this;
    const prefixes = byPrefix.size > 0;
    for (let at = 0; at < words.length; at++) {
      const word = words[at];
      if (word === undefined) continue;
      const bucket = byFirst.get(word);
      if (bucket) {
        if (bucket.any.length > 0) collect(bucket.any, words, at, found);
        const next = words[at + 1];
        if (next !== undefined && bucket.bySecond.size > 0) {
          const second = bucket.bySecond.get(next);
          if (second) collect(second, words, at, found);
        }
      }
      if (prefixes && word.length >= PREFIX_KEY) {
        const prefixed = byPrefix.get(prefixKey(word));
        if (prefixed) collect(prefixed, words, at, found);
      }
      const code = word.charCodeAt(0);
      if (code >= 48 && code <= 57 && digitFirst.length > 0) collect(digitFirst, words, at, found);
      if (anyFirst.length > 0) collect(anyFirst, words, at, found);
    }
    for (const { phrase, owner } of this.regexes) {
      const regex = phrase.regex;
      if (!regex) continue;
      regex.lastIndex = 0;
      for (let match = regex.exec(tokens.text); match !== null; match = regex.exec(tokens.text)) {
        const start = firstTokenAtOrAfter(tokens.starts, match.index);
        const end = firstTokenAtOrAfter(tokens.starts, match.index + match[0].length);
        if (end > start) found.push({ owner, start, end });
      }
    }
    return found;
  }
}

function collect<T>(
  entries: readonly Entry<T>[],
  words: readonly string[],
  at: number,
  found: PhraseMatch<T>[],
): void {
  for (const { phrase, owner } of entries) {
    const end = matchFrom(phrase.steps, 0, words, at);
    if (end > at) found.push({ owner, start: at, end });
  }
}

function firstTokenAtOrAfter(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] ?? Number.POSITIVE_INFINITY) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The text a run of tokens covers, whitespace tidied: the evidence shown in explanations. */
export function spanText(tokens: Tokens, start: number, end: number): string {
  const from = tokens.starts[start] ?? 0;
  const to = tokens.ends[end - 1] ?? from;
  const span = tokens.text.slice(from, to);
  return end - start > 1 ? span.replace(/\s+/g, " ") : span;
}
