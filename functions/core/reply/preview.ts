import type { Settings } from "../../schemas/settings.ts";
import type { ParsedMessage } from "../model.ts";
import type { Language, ReplyKind } from "../vocabulary.ts";
import { composeLetter, type Letter } from "./compose.ts";
import { unknownPlaceholders } from "./template.ts";

export interface PreviewInput {
  kind: ReplyKind;
  language: Language;
  settings: Settings;
  /** The phrasing being edited; the configured ones when absent. */
  phrasing?: string;
  variant?: number;
  /** The invitation to answer; a sample invitation for the kind and language when absent. */
  message?: ParsedMessage;
  now: Date;
}

/** The reply a phrasing produces, for the settings page's live preview. */
export function renderPreview(input: PreviewInput): Letter {
  const message = input.message ?? sampleInvitation(input.kind, input.language, input.now);
  return composeLetter(
    {
      message,
      kind: input.kind,
      language: input.language,
      settings: input.settings,
      variant: input.variant ?? 0,
      now: input.now,
    },
    input.phrasing,
  );
}

const SAMPLE_SENDERS: Record<Language, { name: string; address: string }> = {
  en: { name: "Jordan Lee", address: "jordan.lee@client.example" },
  es: { name: "Lucía Fernández", address: "lucia.fernandez@client.example" },
  fr: { name: "Camille Durand", address: "camille.durand@client.example" },
  de: { name: "Jonas Becker", address: "jonas.becker@client.example" },
};

const SAMPLE_EVENTS: Record<ReplyKind, Record<Language, string>> = {
  frequency: {
    en: "Drinks at The Anchor",
    es: "Cena en Casa Lucio",
    fr: "Dîner au Petit Zinc",
    de: "Abendessen im Ratskeller",
  },
  home_visit: {
    en: "Dinner at our place",
    es: "Cena en casa",
    fr: "Dîner à la maison",
    de: "Abendessen bei uns zu Hause",
  },
  objectionable: {
    en: "Poker night",
    es: "Noche de póker",
    fr: "Soirée poker",
    de: "Pokerabend",
  },
  romantic: {
    en: "Dinner, just the two of us",
    es: "Cena para dos",
    fr: "Dîner en tête-à-tête",
    de: "Abendessen zu zweit",
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** A plausible invitation for a kind and language: an email with an evening event in three days. */
export function sampleInvitation(kind: ReplyKind, language: Language, now: Date): ParsedMessage {
  const sender = SAMPLE_SENDERS[language];
  const summary = SAMPLE_EVENTS[kind][language];
  const day = new Date(now.getTime() + 3 * DAY_MS);
  day.setUTCHours(19, 0, 0, 0);
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  return {
    kind: "email",
    source: `sample:${kind}:${language}`,
    messageId: `sample-${kind}-${language}@client.example`,
    inReplyTo: null,
    references: [],
    from: sender,
    replyTo: null,
    to: [{ name: "", address: "owner@firm.example" }],
    cc: [],
    subject: summary,
    date: now.toISOString(),
    text: "",
    newText: "",
    quotedText: "",
    htmlOnly: false,
    forwarded: false,
    headers: {},
    events: [
      {
        uid: `sample-${kind}-${language}`,
        method: "REQUEST",
        summary,
        description: "",
        location: "",
        start: day.toISOString(),
        end: new Date(day.getTime() + 3 * 60 * 60 * 1000).toISOString(),
        allDay: false,
        timeZone: "UTC",
        localHour: 19,
        localWeekday: weekday,
        organizer: sender,
        attendees: [],
        rrule: null,
        sequence: 0,
        status: "CONFIRMED",
      },
    ],
  };
}

/**
 * Words that would give away why Decorum declines (a rule, a count, a category), per language.
 * Matched as whole words, case-insensitively.
 */
const REVEALING: Record<Language, readonly string[]> = {
  en: [
    "objectionable",
    "frequency",
    "frequent",
    "frequently",
    "romantic",
    "category",
    "rule",
    "rules",
    "policy",
    "third",
    "twice",
    "times",
    "again",
    "too often",
    "so often",
    "count",
  ],
  es: [
    "objetable",
    "frecuencia",
    "frecuente",
    "frecuentemente",
    "romántico",
    "romántica",
    "categoría",
    "regla",
    "norma",
    "política",
    "tercera",
    "tercer",
    "veces",
    "otra vez",
    "de nuevo",
    "a menudo",
  ],
  fr: [
    "répréhensible",
    "fréquence",
    "fréquent",
    "fréquente",
    "souvent",
    "romantique",
    "catégorie",
    "règle",
    "politique",
    "principe",
    "troisième",
    "encore une fois",
    "à nouveau",
    "de nouveau",
    "plusieurs fois",
  ],
  de: [
    "anstößig",
    "Häufigkeit",
    "häufig",
    "oft",
    "romantisch",
    "Kategorie",
    "Regel",
    "Richtlinie",
    "Grundsatz",
    "Prinzip",
    "dritte",
    "dritten",
    "wieder",
    "erneut",
    "ständig",
    "mehrmals",
  ],
};

export interface PhrasingReview {
  /** Placeholders Decorum does not know, e.g. "{name}". */
  unknownPlaceholders: string[];
  /** Words that give away a rule, a count or a category, e.g. "policy". */
  revealingWords: string[];
  /** True when the phrasing contains digits, which usually means a count or a date. */
  hasDigits: boolean;
}

/** Checks an owner's phrasing before it is saved, so the settings page can warn about it. */
export function reviewPhrasing(phrasing: string, language: Language): PhrasingReview {
  const text = phrasing.replace(/\{[A-Za-z]+\}/g, " ");
  const revealingWords = REVEALING[language].filter((word) =>
    new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, "iu").test(text),
  );
  return {
    unknownPlaceholders: unknownPlaceholders(phrasing),
    revealingWords,
    hasDigits: /\d/.test(text),
  };
}
