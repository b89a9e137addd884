import { fold } from "../../rules/text.ts";
import type { Language } from "./vocabulary.ts";

/**
 * Stopword-based language detection for the four languages Decorum writes. Invitations are short
 * and informal, where n-gram models are unreliable; a few hundred function words are enough to
 * tell English, Spanish, French and German apart, and this costs one pass over the first words.
 * The commonest words shared by two of them ("de", "la", "que", "en") are left out; a word listed
 * under two languages counts for both.
 */
const STOPWORDS: Record<Language, readonly string[]> = {
  en: [
    "the",
    "and",
    "you",
    "your",
    "to",
    "of",
    "is",
    "are",
    "for",
    "with",
    "this",
    "that",
    "it",
    "we",
    "would",
    "be",
    "have",
    "on",
    "at",
    "will",
    "can",
    "my",
    "our",
    "let",
    "know",
    "thanks",
    "next",
    "week",
    "please",
    "us",
    "what",
    "how",
    "like",
    "hope",
    "if",
    "or",
    "just",
    "free",
    "join",
    "love",
    "all",
    "from",
    "about",
    "there",
    "some",
    "was",
    "were",
    "been",
    "do",
    "me",
    "i",
    "could",
    "should",
    "tonight",
    "tomorrow",
    "thank",
    "hi",
    "hello",
    "best",
    "regards",
    "cheers",
    "any",
    "time",
    "when",
    "by",
    "an",
  ],
  es: [
    "el",
    "los",
    "las",
    "y",
    "un",
    "una",
    "por",
    "para",
    "con",
    "es",
    "esta",
    "estas",
    "te",
    "tu",
    "nos",
    "mi",
    "muy",
    "pero",
    "como",
    "mas",
    "gracias",
    "hola",
    "semana",
    "quieres",
    "si",
    "del",
    "al",
    "lo",
    "se",
    "sabado",
    "viernes",
    "noche",
    "manana",
    "tarde",
    "nuestra",
    "nuestro",
    "vamos",
    "puedes",
    "usted",
    "estaria",
    "gustaria",
    "apetece",
    "cena",
    "comida",
    "saludos",
    "abrazo",
    "hoy",
    "cuando",
    "tambien",
    "ya",
    "ser",
    "estar",
    "hay",
    "todo",
    "todos",
    "mucho",
    "querido",
    "querida",
    "estimado",
    "estimada",
    "invito",
    "tomar",
    "algo",
  ],
  fr: [
    "le",
    "les",
    "des",
    "du",
    "et",
    "est",
    "une",
    "pour",
    "avec",
    "vous",
    "nous",
    "je",
    "pas",
    "ce",
    "cette",
    "qui",
    "dans",
    "sur",
    "mais",
    "merci",
    "bonjour",
    "semaine",
    "soir",
    "au",
    "aux",
    "ou",
    "ca",
    "serait",
    "etes",
    "avez",
    "sommes",
    "notre",
    "votre",
    "vos",
    "nos",
    "chez",
    "samedi",
    "vendredi",
    "demain",
    "dirait",
    "cordialement",
    "bien",
    "tres",
    "aussi",
    "quand",
    "veux",
    "voulez",
    "peux",
    "pouvez",
    "il",
    "elle",
    "on",
    "ai",
    "suis",
    "bises",
    "amities",
    "prochain",
    "prochaine",
    "diner",
    "dejeuner",
    "ravi",
    "ravie",
  ],
  de: [
    "der",
    "die",
    "das",
    "und",
    "ist",
    "ich",
    "du",
    "sie",
    "wir",
    "nicht",
    "mit",
    "fur",
    "auf",
    "ein",
    "eine",
    "einen",
    "zu",
    "den",
    "dem",
    "es",
    "im",
    "uns",
    "dich",
    "dir",
    "mir",
    "hast",
    "haben",
    "bist",
    "sind",
    "wie",
    "auch",
    "aber",
    "oder",
    "danke",
    "hallo",
    "woche",
    "abend",
    "gerne",
    "lust",
    "liebe",
    "lieber",
    "grusse",
    "gruss",
    "samstag",
    "freitag",
    "morgen",
    "hatten",
    "hattest",
    "mochtest",
    "mochten",
    "wurde",
    "wurden",
    "nachste",
    "nachsten",
    "zeit",
    "bei",
    "euch",
    "ihr",
    "ihnen",
    "kommen",
    "gibt",
    "schon",
    "viele",
    "noch",
    "herr",
  ],
};

const ORDER: readonly Language[] = ["en", "es", "fr", "de"];
/** Each stopword with a bit per language it belongs to. */
const LOOKUP = new Map<string, number>();
ORDER.forEach((language, bit) => {
  for (const word of STOPWORDS[language]) LOOKUP.set(word, (LOOKUP.get(word) ?? 0) | (1 << bit));
});

const WORDS = /[\p{L}']+/gu;
/** Enough words to decide; invitations state themselves early, and this bounds the cost. */
const MAX_WORDS = 400;
const SAMPLE_CHARS = 4000;

export interface LanguageGuess {
  language: Language;
  /** Stopword hits per language: the evidence, for explanations and tests. */
  hits: Record<Language, number>;
}

/** Letters only one of the four languages uses; each counts as a stopword hit. */
const SIGNATURE: Record<string, Language> = {
  ñ: "es",
  "¿": "es",
  "¡": "es",
  ç: "fr",
  è: "fr",
  ê: "fr",
  œ: "fr",
  à: "fr",
  ä: "de",
  ö: "de",
  ü: "de",
  ß: "de",
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: pure ASCII has no signature letters
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function signatureHits(raw: string): Record<Language, number> {
  const hits: Record<Language, number> = { en: 0, es: 0, fr: 0, de: 0 };
  const sample = raw.slice(0, SAMPLE_CHARS);
  if (ASCII_ONLY.test(sample)) return hits;
  const lower = sample.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    if (
      lower.charCodeAt(i) < 0xc0 &&
      lower.charCodeAt(i) !== 0xa1 &&
      lower.charCodeAt(i) !== 0xbf
    ) {
      continue;
    }
    const language = SIGNATURE[lower.charAt(i)];
    // Each language's letters count at most five times: a name with an umlaut is not German.
    if (language && hits[language] < 5) hits[language] += 1;
  }
  return hits;
}

function decide(hits: Record<Language, number>): LanguageGuess {
  let best: Language = "en";
  for (const language of ["es", "fr", "de"] as const) {
    if (hits[language] > hits[best]) best = language;
  }
  return { language: best, hits };
}

function count(hits: Record<Language, number>, word: string): void {
  const bits = LOOKUP.get(word);
  if (bits === undefined) return;
  if (bits & 1) hits.en += 1;
  if (bits & 2) hits.es += 1;
  if (bits & 4) hits.fr += 1;
  if (bits & 8) hits.de += 1;
}

/** Detects the language of a text; English when there is no evidence either way. */
export function detectLanguage(text: string): LanguageGuess {
  const hits = signatureHits(text);
  let seen = 0;
  for (const match of fold(text.slice(0, SAMPLE_CHARS)).matchAll(WORDS)) {
    count(hits, match[0]);
    if (++seen >= MAX_WORDS) break;
  }
  return decide(hits);
}

/**
 * The same judgement from words already folded and split (the facts' tokens, so the text is read
 * once), plus the raw text for the letters only one language uses. Words split at apostrophes
 * ("c'est" is `c`, `est`), which the stopword lists allow for.
 */
export function detectLanguageOfWords(words: readonly string[], raw: string): LanguageGuess {
  const hits = signatureHits(raw);
  const limit = Math.min(words.length, MAX_WORDS);
  for (let i = 0; i < limit; i++) {
    const word = words[i];
    if (word !== undefined) count(hits, word);
  }
  return decide(hits);
}
