import * as z from "zod";

/** The shape every parser output must have, checked strictly (tests only). */
const isoInstant = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const lowerAddress = z.string().refine((a) => a === a.toLowerCase() && a.trim() === a && a !== "");

const Mailbox = z.strictObject({ address: lowerAddress, name: z.string() });

const Attendee = z.strictObject({
  address: lowerAddress,
  name: z.string(),
  partstat: z.enum(["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]),
  self: z.boolean().optional(),
});

export const CalendarEventSchema = z.strictObject({
  uid: z.string(),
  method: z.string().nullable(),
  summary: z.string(),
  description: z.string(),
  location: z.string(),
  start: isoInstant,
  end: isoInstant.nullable(),
  allDay: z.boolean(),
  timeZone: z.string().nullable(),
  localHour: z.number().int().min(0).max(23).nullable(),
  localWeekday: z.number().int().min(1).max(7).nullable(),
  organizer: Mailbox.nullable(),
  attendees: z.array(Attendee),
  rrule: z.string().nullable(),
  sequence: z.number().int().min(0),
  status: z.string().nullable(),
});

export const ParsedMessageSchema = z.strictObject({
  kind: z.enum(["email", "calendar"]),
  source: z.string().min(1),
  messageId: z.string().min(1).nullable(),
  inReplyTo: z.string().min(1).nullable(),
  references: z.array(z.string().min(1)),
  from: Mailbox.nullable(),
  replyTo: Mailbox.nullable(),
  to: z.array(Mailbox),
  cc: z.array(Mailbox),
  subject: z.string(),
  date: isoInstant.nullable(),
  text: z.string(),
  newText: z.string(),
  quotedText: z.string(),
  htmlOnly: z.boolean(),
  forwarded: z.boolean(),
  headers: z.record(z.string().regex(/^[^A-Z]+$/), z.string()),
  events: z.array(CalendarEventSchema),
});

export const ParseFailureSchema = z.strictObject({
  source: z.string().min(1),
  error: z.string().min(1),
});
