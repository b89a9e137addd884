import type { Settings } from "../../schemas/settings.ts";
import { buildMessage } from "../mime.ts";
import type { Draft, Mailbox, ParsedMessage } from "../model.ts";
import type { Action, Category, Language, ReplyKind } from "../vocabulary.ts";
import { eventWords } from "./event.ts";
import { firstNameOf } from "./names.ts";
import { builtInPhrasings, closings, greetings } from "./phrasings.ts";
import { replyRecipient, replySender } from "./recipient.ts";
import { replySubject } from "./subject.ts";
import { fillTemplate, type PlaceholderValues, partnerWordIn } from "./template.ts";

export interface ReplyInput {
  /** The invitation being declined. */
  message: ParsedMessage;
  kind: ReplyKind;
  language: Language;
  settings: Settings;
  /** A non-negative integer chosen by the pipeline; the phrasing used is variant mod their count. */
  variant: number;
  /** The Date header. */
  now: Date;
}

/** The reply without its MIME form: what the settings page previews. */
export interface Letter {
  to: Mailbox;
  from: { name: string; address: string } | "me";
  subject: string;
  /** Message-IDs without angle brackets, as in ParsedMessage. */
  inReplyTo: string | null;
  references: string[];
  /** Plain text, "\n" line endings, ending in a newline. */
  body: string;
}

export class ReplyError extends Error {
  override name = "ReplyError";
}

const FALLBACK_SUBJECT: Record<Language, string> = {
  en: "Your invitation",
  es: "Su invitación",
  fr: "Votre invitation",
  de: "Ihre Einladung",
};

/**
 * The reply kind for a decision, or null when Decorum drafts nothing. A soft decline of a category
 * without its own wording gets the frequency wording; a firm one gets the gentle-but-final one.
 */
export function replyKindFor(category: Category, action: Action): ReplyKind | null {
  if (action !== "decline" && action !== "decline_firmly") return null;
  switch (category) {
    case "home_visit":
      return "home_visit";
    case "objectionable":
      return "objectionable";
    case "romantic":
      return "romantic";
    default:
      return action === "decline" ? "frequency" : "objectionable";
  }
}

/** The phrasings in force for a kind and language: the owner's when set, else the built-in ones. */
export function phrasingsFor(
  settings: Settings,
  kind: ReplyKind,
  language: Language,
): readonly string[] {
  const own = settings.replies[kind]?.[language];
  return own && own.length > 0 ? own : builtInPhrasings[kind][language];
}

/**
 * Writes the reply (greeting, the chosen phrasing, closing, name and signature) and its threading
 * headers. `phrasing` replaces the configured ones, for previewing an edit. Throws ReplyError when
 * the invitation has nobody to reply to.
 */
export function composeLetter(input: ReplyInput, phrasing?: string): Letter {
  const { message, kind, language, settings, now } = input;
  const variant = checkedVariant(input.variant);
  const owner = settings.owner;
  const to = replyRecipient(message, owner.email ? [owner.email] : []);
  if (!to) throw new ReplyError(`No one to reply to for ${message.source}`);

  const firstName = firstNameOf(to.name);
  const words = eventWords(message, language, now);
  const values: PlaceholderValues = {
    invitation: words.invitation,
    event: words.event,
    day: words.day,
    thatTime: words.thatTime,
    firstName: firstName ?? "",
    partner: partnerWordIn(owner.partnerWord, language),
    owner: owner.name,
  };
  const greeting = fillTemplate(
    firstName
      ? pickVariant(greetings[language].named, variant, kind, language)
      : pickVariant(greetings[language].neutral, variant, kind, language),
    values,
    language,
  );
  const paragraph = fillTemplate(
    phrasing ?? pickVariant(phrasingsFor(settings, kind, language), variant, kind, language),
    values,
    language,
  );
  const body = [
    greeting,
    "",
    paragraph,
    "",
    pickVariant(closings[language], variant, kind, language),
    ...signatureLines(owner.name, owner.signature),
  ].join("\n");

  const messageId = message.messageId ? bareId(message.messageId) : null;
  const references = [...new Set([...message.references.map(bareId), messageId ?? ""])];
  // A standalone .ics has no subject of its own; the event's name is what its thread is called.
  const subjectSource = message.subject || (message.events[0]?.summary ?? "");
  return {
    to,
    from: replySender(message, owner, to),
    subject: replySubject(subjectSource, FALLBACK_SUBJECT[language]),
    inReplyTo: messageId,
    references: references.filter((id) => id !== ""),
    body: `${body}\n`,
  };
}

/** The reply as a Gmail draft: the letter plus its complete RFC 5322 form in `raw`. */
export async function composeReply(input: ReplyInput): Promise<Draft> {
  const letter = composeLetter(input);
  const raw = await buildMessage({
    from: letter.from,
    to: letter.to.name ? { name: letter.to.name, address: letter.to.address } : letter.to.address,
    subject: letter.subject,
    text: letter.body,
    inReplyTo: letter.inReplyTo,
    references: letter.references,
    date: input.now,
  });
  return {
    to: letter.to.address,
    subject: letter.subject,
    inReplyTo: letter.inReplyTo,
    references: letter.references,
    body: letter.body,
    raw,
  };
}

function signatureLines(name: string, signature: string): string[] {
  const lines = signature.replace(/\r\n?/g, "\n").trim().split("\n");
  // A signature that already starts with the name would sign the reply twice.
  if (lines[0]?.trim() === name) lines.shift();
  return [name, ...lines.filter((line, index) => line.trim() !== "" || index > 0)].map((line) =>
    line.trimEnd(),
  );
}

function pickVariant(
  list: readonly string[],
  variant: number,
  kind: ReplyKind,
  language: Language,
): string {
  const item = list[variant % list.length];
  if (item === undefined) throw new ReplyError(`No ${kind} phrasing for ${language}`);
  return item;
}

function checkedVariant(variant: number): number {
  if (!Number.isSafeInteger(variant) || variant < 0) {
    throw new RangeError(`variant must be a non-negative integer, got ${variant}`);
  }
  return variant;
}

function bareId(id: string): string {
  return id.trim().replace(/^<+/, "").replace(/>+$/, "").trim();
}
