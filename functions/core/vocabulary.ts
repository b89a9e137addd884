import * as z from "zod";

/** The fixed vocabulary of shared/rulebook.md. */
export const CATEGORIES = [
  "not_invitation",
  "business_meeting",
  "meal_or_drinks",
  "outing",
  "home_visit",
  "family_function",
  "objectionable",
  "romantic",
  "travel",
  "social_personal",
  "social_professional",
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const ACTIONS = ["none", "accept", "decline", "decline_firmly", "ignore", "review"] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

/** Languages Decorum classifies and writes replies in. */
export const LANGUAGES = ["en", "es", "fr", "de"] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** Categories whose repeated invitations from one client are declined (rule 4). */
export const FREQUENCY_CATEGORIES: readonly Category[] = ["meal_or_drinks", "outing", "home_visit"];

/** The kinds of reply Decorum drafts; each has its own phrasings. */
export const REPLY_KINDS = ["frequency", "home_visit", "objectionable", "romantic"] as const;
export const ReplyKind = z.enum(REPLY_KINDS);
export type ReplyKind = z.infer<typeof ReplyKind>;
