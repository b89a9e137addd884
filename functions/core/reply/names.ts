import { decodeWords } from "postal-mime";

/** Titles and honorifics that may precede a name (compared lower-cased, dots removed). */
const HONORIFICS = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "professor",
  "sir",
  "dame",
  "rev",
  "hon",
  "sr",
  "sra",
  "srta",
  "doña",
  "dña",
  "dª",
  "lic",
  "ing",
  "arq",
  "m",
  "mme",
  "mlle",
  "me",
  "herr",
  "frau",
  "med",
  "dent",
  "rer",
  "nat",
  "phil",
  "jur",
  "mag",
  "dipl-ing",
  "dr-ing",
  "hc",
]);

/** Suffixes and credentials that may follow a name. */
const SUFFIXES = new Set([
  "jr",
  "sr",
  "ii",
  "iii",
  "iv",
  "phd",
  "md",
  "mba",
  "cpa",
  "cfa",
  "esq",
  "dds",
  "rn",
  "pe",
  "llm",
  "msc",
  "bsc",
  "ma",
  "ba",
]);

/** Words that mark a display name as an organisation, a role or a robot rather than a person. */
const NOT_A_PERSON = new Set([
  "team",
  "events",
  "event",
  "info",
  "office",
  "support",
  "noreply",
  "no-reply",
  "donotreply",
  "notification",
  "notifications",
  "newsletter",
  "admin",
  "reception",
  "sales",
  "marketing",
  "calendar",
  "inc",
  "llc",
  "ltd",
  "gmbh",
  "corp",
  "corporation",
  "company",
  "group",
  "club",
  "association",
  "sarl",
  "equipo",
  "équipe",
  "eventos",
  "événements",
  "veranstaltungen",
]);

/**
 * Given names that commonly form a compound with the next one ("María José", "Jean Paul", "Juan
 * Carlos"). Only joined when a surname still follows, or after a "Last, First" comma.
 */
const COMPOUND_FIRST = new Set([
  "maría",
  "maria",
  "josé",
  "jose",
  "juan",
  "ana",
  "luis",
  "jean",
  "marie",
  "anne",
  "hans",
  "karl",
  "miguel",
  "francisco",
  "pedro",
]);
const COMPOUND_SECOND = new Set([
  "josé",
  "jose",
  "maría",
  "maria",
  "luisa",
  "carmen",
  "pablo",
  "carlos",
  "antonio",
  "manuel",
  "ángel",
  "angel",
  "isabel",
  "teresa",
  "elena",
  "eugenia",
  "fernanda",
  "pierre",
  "paul",
  "luc",
  "claude",
  "marie",
  "louise",
  "françoise",
  "christine",
  "sophie",
  "peter",
  "heinz",
  "jürgen",
  "josef",
]);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The first name to greet someone by, from a display name as written in a From header, or null
 * when no person's first name can be told ("", an address, "Events Team", "Dr. Smith").
 * Handles "Last, First", titles ("Dr. Jane Smith", "Herr Dr. Hans Müller"), credentials
 * ("Jane Smith, PhD"), shouting or lower-case names, and words still in RFC 2047 form.
 */
export function firstNameOf(displayName: string): string | null {
  // Replies go to the same clients again and again: each name is read once, bounded.
  let known = firstNames.get(displayName);
  if (known === undefined) {
    known = readFirstName(displayName);
    if (firstNames.size >= MAX_FIRST_NAMES) firstNames.clear();
    firstNames.set(displayName, known);
  }
  return known;
}

const firstNames = new Map<string, string | null>();
const MAX_FIRST_NAMES = 1024;

function readFirstName(displayName: string): string | null {
  let name = displayName.includes("=?") ? decodeWords(displayName) : displayName;
  name =
    name
      .replace(/\\(.)/g, "$1")
      .replace(/^["'\s]+|["'\s]+$/g, "")
      .replace(/\([^)]*\)|\[[^\]]*\]/g, " ")
      .replace(/\S+@\S+/g, " ")
      .split(/\s+(?:via|vía)\s+|\s[|–—-]\s/i)[0]
      ?.trim() ?? "";
  if (name === "" || !/\p{L}/u.test(name)) return null;
  if (CJK.test(name)) return name.replace(/\s+/g, "");

  const words = name.toLowerCase().split(/[\s,]+/);
  if (words.some((word) => NOT_A_PERSON.has(word.replace(/\.$/, "")))) return null;

  const comma = name.indexOf(",");
  if (comma < 0) return pickGiven(stripAffixes(tokens(name)), false);
  const before = tokens(name.slice(0, comma));
  const after = tokens(name.slice(comma + 1));
  // "Jane Smith, PhD" carries credentials; "Smith, Jane" puts the given names after the comma.
  if (after.length > 0 && after.every(isSuffix)) return pickGiven(stripAffixes(before), false);
  return pickGiven(stripAffixes(after, true), true);
}

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((token) => token !== "");
}

function normalized(token: string): string {
  return token.toLowerCase().replace(/\./g, "").replace(/-+/g, "-");
}

function isHonorific(token: string): boolean {
  return HONORIFICS.has(normalized(token));
}

function isSuffix(token: string): boolean {
  return SUFFIXES.has(normalized(token));
}

/**
 * Drops leading titles and trailing credentials. Unless every word is a given name (after a
 * "Last," comma), a single word left after a title is a surname: "Dr. Smith" gives [].
 */
function stripAffixes(list: string[], allGiven = false): string[] {
  let start = 0;
  while (start < list.length && isHonorific(list[start] ?? "")) start++;
  let end = list.length;
  while (end > start + 1 && isSuffix(list[end - 1] ?? "")) end--;
  const kept = list.slice(start, end);
  // "Dr. Smith", "Herr Müller": what is left after a title is a surname, not a first name.
  if (!allGiven && start > 0 && kept.length < 2) return [];
  return kept;
}

function pickGiven(list: string[], allGiven: boolean): string | null {
  const cleaned = list.map(cleanToken).filter((token) => token !== "");
  let first = cleaned[0];
  if (first === undefined) return null;
  if (isInitial(first)) {
    // "J. Robert Oppenheimer" goes by Robert; "J. Smith" gives no first name.
    const second = cleaned[1];
    if (second === undefined || isInitial(second) || (!allGiven && cleaned.length < 3)) return null;
    first = second;
    cleaned.shift();
  }
  const second = cleaned[1];
  const surnameFollows = allGiven ? cleaned.length >= 2 : cleaned.length >= 3;
  if (
    second !== undefined &&
    surnameFollows &&
    COMPOUND_FIRST.has(first.toLowerCase()) &&
    COMPOUND_SECOND.has(second.toLowerCase())
  ) {
    return `${fixCase(first)} ${fixCase(second)}`;
  }
  return fixCase(first);
}

function isInitial(token: string): boolean {
  return /^\p{L}\.?$/u.test(token);
}

/** Keeps letters, inner hyphens and apostrophes, and a trailing dot for initials. */
function cleanToken(token: string): string {
  const inner = token.replace(/^[^\p{L}]+|[^\p{L}.]+$/gu, "");
  if (/^\p{L}\.$/u.test(inner)) return inner;
  return inner.replace(/\.+$/, "");
}

/** "JEAN-PIERRE" and "jane" become "Jean-Pierre" and "Jane"; "McKenzie" is left alone. */
function fixCase(token: string): string {
  const uniform = token === token.toUpperCase() || token === token.toLowerCase();
  if (!uniform) return token;
  return token
    .toLowerCase()
    .replace(
      /(^|[-'’])(\p{L})/gu,
      (_match, sep: string, letter: string) => sep + letter.toUpperCase(),
    );
}
