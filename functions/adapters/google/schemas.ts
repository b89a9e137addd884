import * as z from "zod";

/** The parts of Google's answers Decorum reads; anything else Google sends is dropped. */

const EventDateTime = z.object({
  dateTime: z.string().optional(),
  date: z.string().optional(),
  timeZone: z.string().optional(),
});

const EventPerson = z.object({
  email: z.string().optional(),
  displayName: z.string().optional(),
  self: z.boolean().optional(),
});

/**
 * A Calendar API event, as far as Decorum reads it. Only `id` is required: a cancelled event in an
 * incremental sync arrives as little more than its id and status.
 */
export const CalendarApiEventSchema = z.object({
  id: z.string(),
  iCalUID: z.string().optional(),
  /** "confirmed", "tentative" or "cancelled". */
  status: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: EventDateTime.optional(),
  end: EventDateTime.optional(),
  organizer: EventPerson.optional(),
  attendees: z
    .array(
      EventPerson.extend({
        /** "needsAction", "declined", "tentative" or "accepted". */
        responseStatus: z.string().optional(),
        organizer: z.boolean().optional(),
      }),
    )
    .optional(),
  recurrence: z.array(z.string()).optional(),
  /** Set on the instances of a recurring series; they share the series' iCalUID. */
  recurringEventId: z.string().optional(),
  sequence: z.number().optional(),
  updated: z.string().optional(),
  htmlLink: z.string().optional(),
});
export type CalendarApiEvent = z.infer<typeof CalendarApiEventSchema>;

export const EventListResponse = z.object({
  items: z.array(CalendarApiEventSchema).optional(),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
});

/** Google sends epoch milliseconds as a decimal string (sometimes as a number). */
const EpochMs = z
  .union([z.string().regex(/^\d+$/), z.number().int()])
  .transform((v) => new Date(Number(v)));

export const ChannelResponse = z.object({
  id: z.string(),
  resourceId: z.string(),
  expiration: EpochMs,
});

export const ProfileResponse = z.object({
  emailAddress: z.string(),
  historyId: z.string(),
});

export const WatchResponse = z.object({
  historyId: z.string(),
  expiration: EpochMs,
});

const MessageRef = z.object({
  id: z.string(),
  threadId: z.string().optional(),
  labelIds: z.array(z.string()).optional(),
});

export const HistoryListResponse = z.object({
  history: z
    .array(z.object({ messagesAdded: z.array(z.object({ message: MessageRef })).optional() }))
    .optional(),
  historyId: z.string(),
  nextPageToken: z.string().optional(),
});

export const MessageListResponse = z.object({
  messages: z.array(MessageRef).optional(),
  nextPageToken: z.string().optional(),
});

export const RawMessageResponse = z.object({
  id: z.string(),
  threadId: z.string(),
  labelIds: z.array(z.string()).optional(),
  raw: z.string(),
  internalDate: EpochMs,
});

export const DraftResponse = z.object({
  id: z.string(),
  message: z.object({ id: z.string(), threadId: z.string() }),
});

export const DraftListResponse = z.object({
  drafts: z.array(DraftResponse).optional(),
  nextPageToken: z.string().optional(),
});

export const SentMessageResponse = z.object({ id: z.string() });

export const LabelResponse = z.object({ id: z.string(), name: z.string() });

export const LabelListResponse = z.object({ labels: z.array(LabelResponse).optional() });

/** The token endpoint's answer to an authorisation code. */
export const CodeTokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expiry_date: z.number().optional(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
});

/** The id_token claims Decorum keys an account by. Google has sent email_verified as a string. */
export const IdTokenClaims = z.object({
  sub: z.string(),
  email: z.string(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
});
export type IdTokenClaims = z.infer<typeof IdTokenClaims>;
