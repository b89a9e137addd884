import * as z from "zod";
import { Action, Category, Language, ReplyKind } from "../core/vocabulary.ts";

const IANA_ZONES = new Set(Intl.supportedValuesOf("timeZone"));
const TimeZone = z.string().refine((zone) => zone === "UTC" || IANA_ZONES.has(zone), {
  message: "must be an IANA time zone such as Europe/London or America/New_York",
});

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/, "must be a mail domain such as client.example");
const Address = z.string().trim().toLowerCase().pipe(z.email("must be an email address"));

/** Phrasings per language for one kind of reply; each is a paragraph with {placeholders}. */
const Phrasings = z.partialRecord(Language, z.array(z.string().trim().min(1)).min(1));

/**
 * The owner's settings: the one schema behind `--settings FILE`, the account store and the
 * settings page. Every field has a default, so `{}` is a valid settings file.
 */
export const Settings = z.object({
  owner: z
    .object({
      name: z.string().trim().min(1).max(100).default("Alex Morgan"),
      /** The owner's own address; mail from it is never triaged. */
      email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
      /** Closing lines under the name, e.g. a title and firm. */
      signature: z.string().max(1000).default(""),
      /** The word used in soft excuses: "my partner and I have something that evening". */
      partnerWord: z.string().trim().min(1).max(40).default("my partner"),
    })
    .prefault({}),
  /** The owner's time zone: summary timing and "evening or weekend" judgements. */
  timeZone: TimeZone.default("UTC"),
  summary: z
    .object({
      /** ISO weekday: 1 = Monday … 7 = Sunday. */
      weekday: z.number().int().min(1).max(7).default(1),
      hour: z.number().int().min(0).max(23).default(8),
      sendWhenEmpty: z.boolean().default(true),
    })
    .prefault({}),
  clients: z
    .object({
      /** Domains whose senders are clients. Empty means every non-consumer sender is a client. */
      domains: z.array(Domain).default([]),
      /** Individual client addresses (useful for consumer-mail clients). */
      addresses: z.array(Address).default([]),
      /** Extra consumer mail domains, where each address is its own client. */
      consumerDomains: z.array(Domain).default([]),
      /** Client keys (domain or address) whose relationship is established (rule 2). */
      established: z.array(z.string().trim().toLowerCase().min(1)).default([]),
      /** A client first seen this many days ago counts as established; 0 turns this off. */
      establishedAfterDays: z.number().int().min(0).max(3650).default(365),
    })
    .prefault({}),
  frequency: z
    .object({
      /** The n-th invitation within the window is declined (rule 4). */
      threshold: z.number().int().min(2).max(20).default(3),
      windowDays: z.number().int().min(1).max(90).default(14),
    })
    .prefault({}),
  /** Per-category action overrides, e.g. { "home_visit": "accept" }. */
  overrides: z.partialRecord(Category, Action).default({}),
  /** Rule switches by rule id; a rule set to false never fires. */
  rules: z.record(z.string(), z.boolean()).default({}),
  /** Below this confidence the action is `review` and nothing is drafted. */
  reviewBelow: z.number().min(0).max(1).default(0.55),
  /** Record decisions but create no drafts. */
  dryRun: z.boolean().default(false),
  /** Do nothing at all for this account. */
  paused: z.boolean().default(false),
  /** Invitation records expire after this many days. */
  retentionDays: z.number().int().min(30).max(3650).default(400),
  /** The owner's own phrasings per reply kind; they replace the built-in ones for that language. */
  replies: z.partialRecord(ReplyKind, Phrasings).default({}),
});
export type Settings = z.infer<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/** Parses settings, or throws an Error whose message lists every problem as `path: message`. */
export function parseSettings(input: unknown, origin = "settings"): Settings {
  const result = Settings.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new Error(`Invalid ${origin}:\n${problems.join("\n")}`);
}
