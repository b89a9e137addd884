import * as z from "zod";
import { Category, Language } from "../functions/core/vocabulary.ts";
import { phraseProblem } from "./text.ts";

/** The etiquette rule a signal serves: 1–5 of shared/rulebook.md, "romance", or "—" for none. */
export const EtiquetteRule = z.union([
  z.literal(1),
  z.literal(2),
  z.literal(3),
  z.literal(4),
  z.literal(5),
  z.literal("romance"),
  z.literal("—"),
]);
export type EtiquetteRule = z.infer<typeof EtiquetteRule>;

/**
 * What a signal adds weight to: a category, or "invitation" — a form that invites ("would you
 * like to", "¿te apetece", calendar requests) and strengthens whichever invitation topic is found.
 */
export const Supports = z.union([Category, z.literal("invitation")]);
export type Supports = z.infer<typeof Supports>;

/** Phrases per language (see rules/text.ts for the phrase syntax: spaces, `*`, `/regex/`). */
const Phrase = z
  .string()
  .trim()
  .min(1)
  .superRefine((phrase, context) => {
    const problem = phraseProblem(phrase);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

export const Phrases = z
  .partialRecord(Language, z.array(Phrase).min(1))
  .refine((phrases) => Object.keys(phrases).length > 0, "needs phrases in at least one language");
export type Phrases = z.infer<typeof Phrases>;

export const Timing = z.enum(["evening", "weekend", "evening_or_weekend", "business_hours"]);
export type Timing = z.infer<typeof Timing>;

export const CalendarCondition = z
  .object({
    /** iTIP methods, upper-case: ["REQUEST"]. */
    method: z.array(z.string().toUpperCase()).min(1).optional(),
    /** Event STATUS values, upper-case: ["CANCELLED"]. */
    status: z.array(z.string().toUpperCase()).min(1).optional(),
    timing: Timing.optional(),
    /** Phrases the event location contains. */
    location: Phrases.optional(),
    minAttendees: z.number().int().min(0).optional(),
    maxAttendees: z.number().int().min(0).optional(),
    /** Who organised it: nobody (a published calendar), the owner, or someone else. */
    organizer: z.enum(["none", "owner", "other"]).optional(),
  })
  .strict();
export type CalendarCondition = z.infer<typeof CalendarCondition>;

export const SenderCondition = z
  .object({
    /** Mail domains; "facebookmail.com" also matches its subdomains. */
    domains: z.array(z.string().trim().toLowerCase().min(3)).min(1).optional(),
    /** Phrases the address's local part matches, e.g. "no reply", "/no-?reply/". */
    localParts: z.array(Phrase).min(1).optional(),
    kind: z.enum(["consumer", "business"]).optional(),
  })
  .strict();
export type SenderCondition = z.infer<typeof SenderCondition>;

/** Facts a rule can require, computed once per message by functions/core/facts.ts. */
export const FactName = z.enum([
  "bulk",
  "automated",
  "fromOwner",
  "isReply",
  "isForward",
  "forwardCounts",
  "hasEvent",
  "question",
  "hearts",
]);
export type FactName = z.infer<typeof FactName>;

/** A worked example: a body text, or a small message (subject, sender, headers, event). */
export const Example = z.union([
  z.string().min(1),
  z
    .object({
      subject: z.string().optional(),
      text: z.string().optional(),
      from: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      event: z
        .object({
          summary: z.string().optional(),
          location: z.string().optional(),
          description: z.string().optional(),
          method: z.string().optional(),
          status: z.string().optional(),
          /** ISO weekday 1–7 and local hour 0–23. */
          weekday: z.number().int().min(1).max(7).optional(),
          hour: z.number().int().min(0).max(23).optional(),
          attendees: z.number().int().min(0).optional(),
          organizer: z.string().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
]);
export type Example = z.infer<typeof Example>;

/**
 * One rule of the rulebook: a small named signal. It fires when ALL its conditions hold, and then
 * adds `weight` to the category it supports; its explanation becomes a reason. Rules that `mark`
 * make the clause they match in "dead" for every other text rule: "thanks for having me at the
 * wedding" talks about a wedding without inviting anyone.
 */
export const RuleSpec = z
  .object({
    id: z.string().regex(/^[a-z_]+(?:\.[a-z0-9_]+)+$/, "ids look like category.name"),
    serves: EtiquetteRule,
    supports: Supports,
    /** Added to the supported category; negative weights lean away (evening → not business). */
    weight: z
      .number()
      .min(-10)
      .max(10)
      .refine((weight) => weight !== 0, "weight must not be 0"),
    explanation: z.string().min(12),
    /** Phrases in a live clause of the subject, body or event text. */
    text: Phrases.optional(),
    /** Phrases in the subject (a new thread's subject only). */
    subject: Phrases.optional(),
    /**
     * Marks the clauses its text phrases match in as dead: past tense or thanks, negation or
     * cancelling, or an answer to an invitation ("see you there", "count me in").
     */
    marks: z.enum(["past", "negated", "answer"]).optional(),
    sender: SenderCondition.optional(),
    calendar: CalendarCondition.optional(),
    facts: z.array(FactName).min(1).optional(),
    /** Worked examples: each must fire the rule (the tests check every one). */
    examples: z.array(Example).min(1),
    /** Near misses that must not fire it. */
    counterExamples: z.array(Example).default([]),
  })
  .strict()
  .refine(
    (rule) =>
      rule.text !== undefined ||
      rule.subject !== undefined ||
      rule.sender !== undefined ||
      rule.calendar !== undefined ||
      rule.facts !== undefined,
    { message: "a rule needs at least one condition" },
  )
  .refine((rule) => rule.marks === undefined || rule.text !== undefined, {
    message: "a marking rule needs text phrases",
  });
export type RuleSpec = z.infer<typeof RuleSpec>;
export type RuleInput = z.input<typeof RuleSpec>;

/** A phrase that looks like a topic but is not one ("third party", "conference call"). */
export const FalseFriend = z
  .object({
    id: z.string().regex(/^[a-z_]+(?:\.[a-z0-9_]+)+$/),
    phrases: Phrases,
    note: z.string().min(5),
  })
  .strict();
export type FalseFriend = z.infer<typeof FalseFriend>;
export type FalseFriendInput = z.input<typeof FalseFriend>;

/** How signal weights turn into a category and a confidence (see rules/engine.ts). */
export const Scoring = z
  .object({
    /** not_invitation's score before any signal: mail is ordinary until something says otherwise. */
    baseline: z.number().min(0),
    /** Within a category the strongest signal counts fully, each further one this fraction. */
    corroboration: z.number().min(0).max(1),
    /** A topic without any invitation form counts only this fraction. */
    topicWithoutInvitation: z.number().min(0).max(1),
    /** Invitation forms worth this much (or more) let a topic count fully. */
    fullInvitation: z.number().positive(),
    /** Invitation forms add at most this much to a topic. */
    invitationCap: z.number().min(0),
    /** Confidence that it is (or is not) an invitation: 1 − exp(−margin / invitationScale). */
    invitationScale: z.number().positive(),
    /** Confidence in the category among invitation categories: 1 − exp(−margin / categoryScale). */
    categoryScale: z.number().positive(),
  })
  .strict();
export type Scoring = z.infer<typeof Scoring>;

export const Rulebook = z
  .object({
    rules: z.array(RuleSpec).min(1),
    falseFriends: z.array(FalseFriend),
    scoring: Scoring,
  })
  .strict()
  .refine((book) => new Set(book.rules.map((rule) => rule.id)).size === book.rules.length, {
    message: "rule ids must be unique",
  });
export type Rulebook = z.infer<typeof Rulebook>;
export type RulebookInput = z.input<typeof Rulebook>;
