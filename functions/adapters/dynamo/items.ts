import * as z from "zod";
import type { DraftState, LedgerRecord } from "../../core/ledger.ts";
import { Action, Category, Language } from "../../core/vocabulary.ts";
import { Settings } from "../../schemas/settings.ts";
import { StoreError } from "./errors.ts";

/**
 * Validators for what the stores read back. Items are outside data (another version of the code,
 * or a hand edit, may have written them), so they are parsed, never cast.
 */

const IsoInstant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: "must be an ISO 8601 date",
});

export const DraftStateSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("none") }),
  z.object({ state: z.literal("decided") }),
  z.object({ state: z.literal("drafting"), startedAt: z.string() }),
  z.object({
    state: z.literal("drafted"),
    draftId: z.string(),
    threadId: z.string().nullable(),
    at: z.string(),
  }),
]) satisfies z.ZodType<DraftState>;

export const LedgerRecordSchema = z.object({
  key: z.string().min(1),
  client: z.string().min(1).nullable(),
  category: Category,
  action: Action,
  confidence: z.number(),
  language: Language,
  reasons: z.array(z.object({ rule: z.string(), explanation: z.string() })),
  receivedAt: IsoInstant,
  decidedAt: z.string(),
  messageId: z.string().nullable(),
  subject: z.string(),
  from: z.object({ address: z.string(), name: z.string() }).nullable(),
  source: z.string(),
  event: z.object({ start: z.string(), summary: z.string(), location: z.string() }).nullable(),
  gmail: z.object({ messageId: z.string(), threadId: z.string() }).nullable(),
  draft: DraftStateSchema,
}) satisfies z.ZodType<LedgerRecord>;

/** An invitation item: the record plus its keys, owner and expiry. */
export const InvitationItem = LedgerRecordSchema.extend({
  account: z.string(),
  expiresAt: z.number(),
});

export const ClientItem = z.object({
  account: z.string(),
  client: z.string(),
  firstSeen: IsoInstant,
});

export const Connection = z.discriminatedUnion("state", [
  z.object({ state: z.literal("connected"), at: z.string() }),
  z.object({ state: z.literal("disconnected"), reason: z.string(), at: z.string() }),
]);
export type Connection = z.infer<typeof Connection>;

export const CalendarChannel = z.object({
  id: z.string(),
  resourceId: z.string(),
  expiration: z.string(),
});
export type CalendarChannel = z.infer<typeof CalendarChannel>;

export const AccountItem = z.object({
  account: z.string(),
  email: z.string(),
  settings: Settings,
  connection: Connection,
  refreshToken: z.string().optional(),
  historyId: z.string().nullable().default(null),
  watchExpiration: z.string().nullable().default(null),
  syncToken: z.string().nullable().default(null),
  syncVersion: z.number().int().default(0),
  channel: CalendarChannel.nullable().default(null),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AccountItem = z.infer<typeof AccountItem>;

/** Parses a stored item, or throws a `corrupt` StoreError naming what was wrong. */
export function parseItem<T extends z.ZodType>(
  schema: T,
  item: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(item)"}: ${issue.message}`)
    .join("; ");
  throw new StoreError("corrupt", `Stored ${what} is malformed: ${problems}`);
}
