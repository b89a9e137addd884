import { describe, expect, it } from "vitest";
import type { Mailbox, ParsedMessage } from "../../../functions/core/model.ts";
import { composeLetter } from "../../../functions/core/reply/compose.ts";
import { builtInPhrasings } from "../../../functions/core/reply/phrasings.ts";
import {
  LANGUAGES,
  type Language,
  REPLY_KINDS,
  type ReplyKind,
} from "../../../functions/core/vocabulary.ts";
import { parseSettings } from "../../../functions/schemas/settings.ts";
import { calendarEvent, invitation, NOW } from "../../fixtures/reply/invitation.ts";

/**
 * "How a good decline reads" (the rulebook), held against every built-in phrasing. The word lists
 * here are the test's own, deliberately wider than the settings page's warning list.
 */
const REVEALING: Record<Language, readonly string[]> = {
  en: [
    "objectionable",
    "frequency",
    "frequent",
    "frequently",
    "romantic",
    "romance",
    "category",
    "categories",
    "rule",
    "rules",
    "policy",
    "policies",
    "third",
    "twice",
    "times",
    "again",
    "again and again",
    "too often",
    "so often",
    "count",
    "home visit",
    "meal or drinks",
    "outing",
    "family function",
    "travel",
    "inappropriate",
  ],
  es: [
    "objetable",
    "censurable",
    "frecuencia",
    "frecuente",
    "frecuentemente",
    "romántico",
    "romántica",
    "categoría",
    "regla",
    "reglas",
    "norma",
    "normas",
    "política",
    "tercera",
    "tercer",
    "veces",
    "otra vez",
    "de nuevo",
    "una y otra",
    "a menudo",
    "demasiado",
    "inapropiado",
  ],
  fr: [
    "répréhensible",
    "choquant",
    "fréquence",
    "fréquent",
    "fréquente",
    "fréquemment",
    "souvent",
    "romantique",
    "catégorie",
    "règle",
    "règles",
    "politique",
    "principe",
    "troisième",
    "encore une fois",
    "de nouveau",
    "à nouveau",
    "plusieurs fois",
    "sans cesse",
    "trop",
    "inapproprié",
  ],
  de: [
    "anstößig",
    "Häufigkeit",
    "häufig",
    "oft",
    "romantisch",
    "Kategorie",
    "Regel",
    "Regeln",
    "Richtlinie",
    "Grundsatz",
    "grundsätzlich",
    "Prinzip",
    "dritte",
    "dritten",
    "wieder",
    "schon wieder",
    "erneut",
    "ständig",
    "mehrmals",
    "zu viel",
    "unangemessen",
  ],
};

const THANKS: Record<Language, RegExp> = {
  en: /\bthank/i,
  es: /gracias|agradezco/i,
  fr: /merci|remercie/i,
  de: /dank/i,
};

const GREETING: Record<Language, RegExp> = {
  en: /^(?:Hi|Dear|Hello) Jane,$/,
  es: /^(?:Hola|Buenos días), José:$/,
  fr: /^Bonjour Hélène,$/,
  de: /^(?:Hallo|Guten Tag) Jürgen,$/,
};

const SENDER: Record<Language, Mailbox> = {
  en: { name: "Jane Smith", address: "jane.smith@client.example" },
  es: { name: "Núñez García, José", address: "jose.nunez@client.example" },
  fr: { name: "Hélène Dubois", address: "helene.dubois@client.example" },
  de: { name: "Dr. Jürgen Weiß", address: "juergen.weiss@client.example" },
};

const PARTNER: Record<Language, string> = {
  en: "my partner",
  es: "mi pareja",
  fr: "mon conjoint",
  de: "mein Partner",
};

/** What each kind must offer, per the rulebook. */
const OFFERS: Record<ReplyKind, Record<Language, RegExp>> = {
  frequency: {
    en: /another time/,
    es: /otra ocasión|otro momento/,
    fr: /une autre fois|une autre occasion/,
    de: /anderen Termin|holen das bald nach|ein andermal|anderen Zeitpunkt/,
  },
  home_visit: {
    en: /lunch|coffee/,
    es: /com(?:er|amos|ida)|café/,
    fr: /déjeuner|café/,
    de: /Mittag|Kaffee/,
  },
  objectionable: {
    en: /lunch/,
    es: /comer/,
    fr: /déjeuner/,
    de: /Mittagessen/,
  },
  romantic: {
    en: /professional/,
    es: /profesional/,
    fr: /professionnel/,
    de: /beruflich|professionell/,
  },
};

const settings = parseSettings({
  owner: { name: "Alex Morgan", email: "alex@firm.example", signature: "Partner, Morgan & Co." },
});

function message(language: Language, withEvent = true): ParsedMessage {
  return invitation({
    from: SENDER[language],
    subject: withEvent ? "Dinner at Casa Lucio" : "Are you free?",
    events: withEvent ? [calendarEvent({ organizer: SENDER[language] })] : [],
  });
}

function letter(kind: ReplyKind, language: Language, variant: number, withEvent = true) {
  return composeLetter({
    message: message(language, withEvent),
    kind,
    language,
    settings,
    variant,
    now: NOW,
  });
}

function paragraphOf(body: string): string {
  return body.split("\n\n")[1] ?? "";
}

function wordPattern(word: string): RegExp {
  return new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, "iu");
}

const CASES = REPLY_KINDS.flatMap((kind) =>
  LANGUAGES.flatMap((language) =>
    builtInPhrasings[kind][language].map((template, index) => ({
      kind,
      language,
      index,
      template,
    })),
  ),
);

describe("built-in phrasings", () => {
  it.each(REPLY_KINDS.flatMap((kind) => LANGUAGES.map((language) => ({ kind, language }))))(
    "offer at least four distinct phrasings for $kind in $language",
    ({ kind, language }) => {
      const phrasings = builtInPhrasings[kind][language];
      expect(phrasings.length).toBeGreaterThanOrEqual(4);
      expect(new Set(phrasings).size).toBe(phrasings.length);
    },
  );

  describe.each(CASES)("$kind/$language #$index", ({ kind, language, index, template }) => {
    const body = letter(kind, language, index).body;
    const paragraph = paragraphOf(body);

    it("uses no digits and no unknown placeholder", () => {
      expect(template).not.toMatch(/\d/);
      expect(paragraph).not.toMatch(/\d/);
      expect(body).not.toMatch(/[{}]/);
    });

    it("never gives away the rule, a count or the category", () => {
      const found = REVEALING[language].filter((word) => wordPattern(word).test(body));
      expect(found).toEqual([]);
    });

    it("greets by first name on the first line", () => {
      const [first, second] = body.split("\n");
      expect(first).toMatch(GREETING[language]);
      expect(second).toBe("");
    });

    it("thanks them in its first sentence", () => {
      const firstSentence = paragraph.split(/[.!?;:–—]/)[0] ?? "";
      expect(firstSentence).toMatch(THANKS[language]);
    });

    it("mentions the event by name and day", () => {
      expect(paragraph).toContain("Dinner at Casa Lucio");
      expect(paragraph).toMatch(/Thursday|jueves|jeudi|Donnerstag/);
    });

    it("offers what its kind calls for", () => {
      expect(paragraph).toMatch(OFFERS[kind][language]);
      if (kind === "frequency") expect(paragraph).toContain(PARTNER[language]);
    });

    it("is signed with the owner's name and signature", () => {
      expect(body.endsWith("\nAlex Morgan\nPartner, Morgan & Co.\n")).toBe(true);
    });

    it("reads cleanly without an event or a usable subject", () => {
      const plain = paragraphOf(letter(kind, language, index, false).body);
      expect(plain).not.toMatch(/ {2}|\s[,.]|[{}]|\d/);
      expect(plain).not.toContain("Dinner at Casa Lucio");
      expect(plain).toMatch(THANKS[language]);
    });

    it("follows the language's typography", () => {
      if (language === "fr") expect(paragraph).not.toMatch(/ [?!;:»]|« /);
      if (language === "de") expect(paragraph.charAt(0)).toMatch(/\p{Ll}/u);
      if (language !== "de") expect(paragraph.charAt(0)).toMatch(/\p{Lu}/u);
    });
  });

  it.each(REPLY_KINDS.flatMap((kind) => LANGUAGES.map((language) => ({ kind, language }))))(
    "varies: consecutive variants of $kind in $language differ",
    ({ kind, language }) => {
      const bodies = Array.from(
        { length: 9 },
        (_, variant) => letter(kind, language, variant).body,
      );
      for (let variant = 0; variant < 8; variant++) {
        expect(bodies[variant + 1]).not.toBe(bodies[variant]);
      }
      const count = builtInPhrasings[kind][language].length;
      expect(new Set(bodies.slice(0, count).map(paragraphOf)).size).toBe(count);
    },
  );
});
