import type { Language } from "../vocabulary.ts";

/**
 * The placeholders a phrasing (built-in or the owner's, settings.replies) may use. Each is
 * replaced by words in the reply's language; an unknown placeholder is left as written so the
 * owner sees it in the draft and the preview (reviewPhrasing reports it).
 */
export const PLACEHOLDERS = {
  firstName: "the invitee's first name, e.g. Jane (empty when unknown; the greeting handles that)",
  invitation:
    "the invitation as a noun phrase: “your invitation to “Golf Day” on Thursday”, or “your invitation”",
  event: "the event's name in quotes, e.g. “Golf Day”, or a neutral “the event”",
  day: "when the event is, e.g. “on Thursday”; empty when unknown",
  thatTime: "“that evening” for an evening event, otherwise “that day”",
  partner: "the owner's partner word, e.g. “my partner” (settings.owner.partnerWord)",
  owner: "the owner's name (settings.owner.name)",
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function isPlaceholder(name: string): name is Placeholder {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** A template cut at its placeholders: literal text, then placeholder, and so on. */
interface CompiledTemplate {
  literals: string[];
  /** The placeholder after literals[i], and whether it opens a sentence (is capitalised). */
  slots: { name: Placeholder; capital: boolean }[];
}

// Templates are the built-in phrasings and the owner's: few, and each used for many replies.
const compiled = new Map<string, CompiledTemplate>();
const MAX_COMPILED = 1024;

const SENTENCE_END = ".!?¡¿";

/** Whether text ending at `before` leaves the next word at the start of a sentence. */
function opensSentence(before: string, language: Language): boolean {
  const trimmed = before.trimEnd();
  // German replies open in lower case, under "Hallo Anna,"; other sentences start capitalised.
  if (trimmed.trimStart() === "") return language !== "de";
  // A sentence mark, or a line break, with nothing but spaces after it.
  return SENTENCE_END.includes(trimmed.at(-1) ?? "") || before.slice(trimmed.length).includes("\n");
}

function compileTemplate(template: string, language: Language): CompiledTemplate {
  const key = `${language}\u0000${template}`;
  let found = compiled.get(key);
  if (found) return found;
  found = { literals: [], slots: [] };
  let from = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!isPlaceholder(name)) continue;
    const offset = match.index;
    found.literals.push(template.slice(from, offset));
    found.slots.push({ name, capital: opensSentence(template.slice(0, offset), language) });
    from = offset + match[0].length;
  }
  found.literals.push(template.slice(from));
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(key, found);
  return found;
}

/** Fills the placeholders, then tidies the spaces an empty value leaves behind. */
export function fillTemplate(
  template: string,
  values: PlaceholderValues,
  language: Language,
): string {
  const { literals, slots } = compileTemplate(template, language);
  let filled = literals[0] ?? "";
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    if (!slot) continue;
    const value = values[slot.name];
    filled += (slot.capital ? capitalize(value) : value) + (literals[i + 1] ?? "");
  }
  const tidy = filled
    .split("\n")
    .map((line) =>
      line
        .replace(/[ \t\u00a0]{2,}/g, " ")
        .replace(/ +([,.])/g, "$1")
        .trim(),
    )
    .join("\n");
  return language === "fr" ? frenchSpacing(tidy) : tidy;
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/**
 * French typography: a no-break space before ; : ! ? and inside « ». Only marks followed by a
 * space or the end are touched, so "19:00" or a URL keeps its colon.
 */
function frenchSpacing(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]*([;:!?])(?=\s|$)/g, (_m, mark: string) => `\u00a0${mark}`)
    .replace(/«[ \u00a0\u202f]*/g, "«\u00a0")
    .replace(/[ \u00a0\u202f]*»/g, "\u00a0»");
}

/** Placeholders in a phrasing that Decorum does not know, e.g. ["{name}"]. */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!isPlaceholder(name)) unknown.add(match[0]);
  }
  return [...unknown];
}

/**
 * Partner words Decorum can carry across languages. The owner writes one partnerWord; a reply
 * in another language uses the same idea in that language. A word not listed here is used as
 * written in every language.
 */
const PARTNER_WORDS: readonly Record<Language, readonly string[]>[] = [
  {
    en: ["my partner"],
    es: ["mi pareja", "mi compañero", "mi compañera"],
    fr: [
      "mon conjoint",
      "ma conjointe",
      "mon partenaire",
      "ma partenaire",
      "mon compagnon",
      "ma compagne",
    ],
    de: ["mein Partner", "meine Partnerin", "mein Lebensgefährte", "meine Lebensgefährtin"],
  },
  {
    en: ["my wife"],
    es: ["mi mujer", "mi esposa"],
    fr: ["ma femme", "mon épouse"],
    de: ["meine Frau", "meine Ehefrau"],
  },
  {
    en: ["my husband"],
    es: ["mi marido", "mi esposo"],
    fr: ["mon mari", "mon époux"],
    de: ["mein Mann", "mein Ehemann"],
  },
  {
    en: ["my spouse"],
    es: ["mi cónyuge"],
    fr: ["mon conjoint"],
    de: ["mein Ehepartner", "meine Ehepartnerin"],
  },
  {
    en: ["my family"],
    es: ["mi familia"],
    fr: ["ma famille"],
    de: ["meine Familie"],
  },
  {
    en: ["my girlfriend"],
    es: ["mi novia"],
    fr: ["ma copine", "ma petite amie"],
    de: ["meine Freundin"],
  },
  {
    en: ["my boyfriend"],
    es: ["mi novio"],
    fr: ["mon copain", "mon petit ami"],
    de: ["mein Freund"],
  },
];

const partnerWords = new Map<string, string>();

/** The owner's partner word in the reply's language ("my wife" → "ma femme"). */
export function partnerWordIn(partnerWord: string, language: Language): string {
  // One owner, one word: the lookup below runs once per language, not once per reply.
  const key = `${language}\u0000${partnerWord}`;
  let found = partnerWords.get(key);
  if (found === undefined) {
    found = translatePartnerWord(partnerWord, language);
    if (partnerWords.size >= MAX_COMPILED) partnerWords.clear();
    partnerWords.set(key, found);
  }
  return found;
}

function translatePartnerWord(partnerWord: string, language: Language): string {
  const written = partnerWord.trim();
  const key = written.toLowerCase();
  for (const entry of PARTNER_WORDS) {
    const known = Object.values(entry).some((forms) =>
      forms.some((form) => form.toLowerCase() === key),
    );
    if (known) {
      const [form] = entry[language];
      return form ?? written;
    }
  }
  return written;
}
