import { classifyDetailed } from "../../rules/classify.ts";
import type { CompiledRulebook } from "../../rules/engine.ts";
import { decide, POLICY_RULES } from "../../rules/policy.ts";
import type { Settings } from "../schemas/settings.ts";
import { clientKey, domainOf, isConsumerDomain } from "./client.ts";
import type { OwnerRole } from "./facts.ts";
import type { Ledger, LedgerRecord } from "./ledger.ts";
import type {
  CalendarEvent,
  Classification,
  Draft,
  Mailbox,
  ParsedMessage,
  Reason,
} from "./model.ts";
import { isParseFailure, type ParseFailure } from "./parse/index.ts";
import { composeReply, ReplyError, replyKindFor } from "./reply/index.ts";
import { type Action, type Category, FREQUENCY_CATEGORIES, type Language } from "./vocabulary.ts";

/**
 * The triage pipeline: classify (pure) → look the invitation up in the ledger → count earlier
 * invitations → decide (pure) → draft a reply → record once. Effects come in through `deps`.
 */

export interface TriageDeps {
  settings: Settings;
  ledger: Ledger;
  /** Decision time, and the Date of any draft. */
  now: Date;
  /** The built-in rulebook unless given. */
  rulebook?: CompiledRulebook;
}

export type Recorded = "new" | "existing" | "not_recorded";

export interface TriageResult {
  source: string;
  messageId: string | null;
  /** The sender's address, or null. */
  from: string | null;
  client: string | null;
  subject: string;
  /** The message date (ISO), or null when it carried none. */
  date: string | null;
  category: Category;
  action: Action;
  confidence: number;
  language: Language;
  reasons: Reason[];
  /** The reply drafted now; null when none is due, or when the decision was already recorded. */
  draft: Draft | null;
  /** "new": recorded now; "existing": already in the ledger (not counted again); "not_recorded": not an invitation. */
  recorded: Recorded;
  /** The ledger key (event UID, Message-ID, or a hash), or null when not an invitation. */
  key: string | null;
}

const NOT_INVITATIONS: readonly Category[] = ["not_invitation", "business_meeting"];
const DAY_MS = 24 * 60 * 60 * 1000;

/** FNV-1a, 32-bit: a small stable hash for fallback keys and reply variants. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The ledger key: the event UID (so an email and its calendar copy count once), else Message-ID. */
export function invitationKey(message: ParsedMessage): string {
  const uid = message.events[0]?.uid;
  if (uid) return uid;
  if (message.messageId) return message.messageId;
  const basis = [message.from?.address ?? "", message.subject, message.date ?? ""].join("\n");
  return `hash:${stableHash(basis).toString(16).padStart(8, "0")}`;
}

/** The pure half of triage: everything that needs no ledger, and small enough to hold. */
export interface PreparedTriage {
  /** The message, possibly without its bodies (see slim). */
  message: ParsedMessage;
  classification: Classification;
  /** The owner's part in the attached calendar event, or null without one. */
  ownerRole: OwnerRole | null;
  client: string | null;
  /**
   * Who invited: the sender, or for an invitation forwarded by the owner's assistant, the person
   * in the forwarded "From:" line — the client, and the one a reply must go to.
   */
  inviter: Mailbox | null;
}

/**
 * The client a mailbox belongs to. The owner's own organisation (a colleague, the assistant) is no
 * client: its mail is not an invitation Decorum answers.
 */
export function clientOf(address: string, settings: Settings): string | null {
  const owner = settings.owner.email;
  const domain = domainOf(address);
  if (owner && domain === domainOf(owner) && !isConsumerDomain(domain, settings)) return null;
  return clientKey(address, settings);
}

export function prepareTriage(
  message: ParsedMessage,
  settings: Settings,
  rulebook?: CompiledRulebook,
): PreparedTriage {
  const { classification, facts } = classifyDetailed(
    message,
    settings,
    rulebook ? { rulebook } : {},
  );
  const forwarded = facts.forwardCounts ? facts.forwardedFrom : null;
  const inviter = forwarded ?? message.from ?? message.events[0]?.organizer ?? null;
  return {
    message,
    classification,
    ownerRole: facts.calendar?.ownerRole ?? null,
    client: inviter ? clientOf(inviter.address, settings) : null,
    inviter,
  };
}

/**
 * A copy of `text` that keeps no larger string alive. V8 keeps a substring as a view of the string
 * it was cut from: a subject cut from its raw header line, or an event UID cut from the whole
 * iCalendar text, would hold that text for as long as the batch holds the invitation.
 */
function detached(text: string): string;
function detached(text: string | null): string | null;
function detached(text: string | null): string | null {
  // Views are only made of 13 characters or more; joining flattens into a fresh string.
  return text === null || text.length < 13 ? text : ` ${text}`.slice(1);
}

/**
 * Addresses and names recur from one held invitation to the next (the owner in every To, a client
 * in each of its invitations), so the batch keeps one copy of each. Bounded: it only saves memory.
 */
const mailboxStrings = new Map<string, string>();
const MAX_MAILBOX_STRINGS = 10_000;

function shared(text: string): string {
  const known = mailboxStrings.get(text);
  if (known !== undefined) return known;
  if (mailboxStrings.size >= MAX_MAILBOX_STRINGS) mailboxStrings.clear();
  const copy = detached(text);
  mailboxStrings.set(copy, copy);
  return copy;
}

function slimMailbox(mailbox: Mailbox): Mailbox;
function slimMailbox(mailbox: Mailbox | null): Mailbox | null;
function slimMailbox(mailbox: Mailbox | null): Mailbox | null {
  return mailbox && { address: shared(mailbox.address), name: shared(mailbox.name) };
}

/**
 * Of an event's attendees a reply reads only those marked as the owner (whose address must not be
 * answered) and the one it answers (for a name the organizer line lacks): `replyAddresses` holds
 * the addresses it may answer. Keeping just those bounds what a batch holds of an invitation, however
 * many guests it lists.
 */
function slimEvent(event: CalendarEvent, replyAddresses: ReadonlySet<string>): CalendarEvent {
  const attendees: CalendarEvent["attendees"] = [];
  for (const attendee of event.attendees) {
    if (!attendee.self && !replyAddresses.has(attendee.address.toLowerCase())) continue;
    attendees.push({
      ...slimMailbox(attendee),
      partstat: attendee.partstat,
      ...(attendee.self === undefined ? {} : { self: attendee.self }),
    });
  }
  return {
    uid: detached(event.uid),
    method: event.method,
    summary: detached(event.summary),
    description: "",
    location: detached(event.location),
    start: event.start,
    end: event.end,
    allDay: event.allDay,
    timeZone: event.timeZone,
    localHour: event.localHour,
    localWeekday: event.localWeekday,
    organizer: slimMailbox(event.organizer),
    attendees,
    rrule: detached(event.rrule),
    sequence: event.sequence,
    status: event.status,
  };
}

/** Every address a reply to this message may go to, lower-cased. */
function replyAddressesOf(
  message: ParsedMessage,
  event: CalendarEvent,
  inviter: Mailbox | null,
): Set<string> {
  const addresses = new Set<string>();
  for (const mailbox of [message.from, message.replyTo, event.organizer, inviter]) {
    if (mailbox) addresses.add(mailbox.address.toLowerCase());
  }
  return addresses;
}

/**
 * The To addresses a reply may read: its From falls back to the first To address that is neither
 * the sender nor the one answered, which is among the first three distinct addresses.
 */
function heldTo(to: readonly Mailbox[]): Mailbox[] {
  const held: Mailbox[] = [];
  const seen = new Set<string>();
  for (const mailbox of to) {
    const address = mailbox.address.toLowerCase();
    if (seen.size === 3 && !seen.has(address)) break;
    seen.add(address);
    held.push(slimMailbox(mailbox));
  }
  return held;
}

/**
 * The message without what triage no longer needs once classified (bodies, headers, Cc, extra
 * events, all but a few To addresses and attendees), its strings copied out of the raw text they
 * were cut from: what a batch holds while it sorts. Replies read only addresses, subject, ids and
 * the first event's name and time. `inviter` is who the reply may go to besides the message's own
 * parties.
 */
function slim(message: ParsedMessage, inviter: Mailbox | null): ParsedMessage {
  const event = message.events[0];
  return {
    kind: message.kind,
    source: detached(message.source),
    messageId: detached(message.messageId),
    inReplyTo: null,
    references: message.references.map((id) => detached(id)),
    from: slimMailbox(message.from),
    replyTo: slimMailbox(message.replyTo),
    to: heldTo(message.to),
    cc: [],
    subject: detached(message.subject),
    date: message.date,
    text: "",
    newText: "",
    quotedText: "",
    htmlOnly: message.htmlOnly,
    forwarded: message.forwarded,
    headers: {},
    events: event ? [slimEvent(event, replyAddressesOf(message, event, inviter))] : [],
    ...(message.gmail
      ? { gmail: { id: message.gmail.id, threadId: message.gmail.threadId, labelIds: [] } }
      : {}),
  };
}

/**
 * What a batch holds of a classified invitation until it is settled in date order: settling it
 * gives the same result as settling `prepared`, from a copy whose size does not grow with the
 * message's bodies, recipients or guests.
 */
export function heldCopy(prepared: PreparedTriage): PreparedTriage {
  const { message, inviter } = prepared;
  const slimmed = slim(message, inviter);
  return {
    message: slimmed,
    classification: prepared.classification,
    ownerRole: prepared.ownerRole,
    client: prepared.client === null ? null : shared(prepared.client),
    inviter: inviter === message.from ? slimmed.from : slimMailbox(inviter),
  };
}

/** A result in one object literal, so every result has the same shape (spreads made it slow). */
function result(
  prepared: PreparedTriage,
  decided: Pick<TriageResult, "category" | "action" | "confidence" | "language" | "reasons">,
  rest: Pick<TriageResult, "draft" | "recorded" | "key">,
): TriageResult {
  const { message, client } = prepared;
  return {
    source: message.source,
    messageId: message.messageId,
    from: message.from?.address ?? null,
    client,
    subject: message.subject,
    date: message.date,
    category: decided.category,
    action: decided.action,
    confidence: decided.confidence,
    language: decided.language,
    reasons: decided.reasons,
    draft: rest.draft,
    recorded: rest.recorded,
    key: rest.key,
  };
}

function fromRecord(prepared: PreparedTriage, record: LedgerRecord): TriageResult {
  return result(prepared, record, { draft: null, recorded: "existing", key: record.key });
}

function dateOf(message: ParsedMessage, now: Date): Date {
  if (message.date) {
    const at = new Date(message.date);
    if (!Number.isNaN(at.getTime())) return at;
  }
  return now;
}

/** The effectful half: ledger lookups, the decision, the draft and the record. */
export async function settleTriage(
  prepared: PreparedTriage,
  deps: TriageDeps,
): Promise<TriageResult> {
  const { settings, ledger, now } = deps;
  const { message, classification, ownerRole, client, inviter } = prepared;
  const at = dateOf(message, now);

  if (NOT_INVITATIONS.includes(classification.category)) {
    if (client) await ledger.noteCorrespondence(client, at);
    const decision = decide(classification, {
      settings,
      client,
      earlierInvitations: 0,
      firstSeen: null,
      at,
    });
    return result(prepared, decision, { draft: null, recorded: "not_recorded", key: null });
  }

  const key = invitationKey(message);
  const { existing, firstSeen } = await ledger.lookup(key, client);
  if (existing) return fromRecord(prepared, existing);

  const counts = client !== null && FREQUENCY_CATEGORIES.includes(classification.category);
  const { windowDays } = settings.frequency;
  const earlierInvitations = counts
    ? await ledger.countInvitations(client, {
        from: new Date(at.getTime() - windowDays * DAY_MS),
        to: at,
        categories: FREQUENCY_CATEGORIES,
      })
    : 0;
  const decision = decide(classification, {
    settings,
    client,
    earlierInvitations,
    firstSeen,
    at,
    ownerRole: ownerRole ?? undefined,
  });

  const reasons = [...decision.reasons];
  let draft: Draft | null = null;
  const kind = replyKindFor(decision.category, decision.action);
  if (kind) {
    const frequencyDecline = reasons.some((reason) => reason.rule === POLICY_RULES.frequency);
    // Consecutive frequency declines to one client read differently; others vary by invitation.
    const variant =
      frequencyDecline && client ? stableHash(client) + earlierInvitations : stableHash(key);
    try {
      // A forwarded invitation is answered to the person who wrote it, not to the forwarder.
      const replyTo =
        inviter && inviter.address !== message.from?.address
          ? { ...message, from: inviter, replyTo: null }
          : message;
      draft = await composeReply({
        message: replyTo,
        kind,
        language: decision.language,
        settings,
        variant,
        now,
      });
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      reasons.push({ rule: "draft.impossible", explanation: error.message });
    }
  }

  const event = message.events[0];
  const record: LedgerRecord = {
    key,
    client,
    category: decision.category,
    action: decision.action,
    confidence: decision.confidence,
    language: decision.language,
    reasons,
    receivedAt: at.toISOString(),
    decidedAt: now.toISOString(),
    messageId: message.messageId,
    subject: message.subject,
    from: message.from ? { address: message.from.address, name: message.from.name } : null,
    source: message.source,
    event: event ? { start: event.start, summary: event.summary, location: event.location } : null,
    gmail: message.gmail ? { messageId: message.gmail.id, threadId: message.gmail.threadId } : null,
    draft: draft && !settings.dryRun ? { state: "decided" } : { state: "none" },
  };
  const stored = await ledger.record(record);
  if (!stored.created) return fromRecord(prepared, stored.record);
  if (client && (firstSeen === null || firstSeen.getTime() > at.getTime())) {
    await ledger.noteCorrespondence(client, at);
  }
  return result(
    prepared,
    {
      category: decision.category,
      action: decision.action,
      confidence: decision.confidence,
      language: decision.language,
      reasons,
    },
    { draft, recorded: "new", key },
  );
}

/** Triages one message: classify, consult and update the ledger, decide, draft. */
export async function triageMessage(
  message: ParsedMessage,
  deps: TriageDeps,
): Promise<TriageResult> {
  return settleTriage(prepareTriage(message, deps.settings, deps.rulebook), deps);
}

export interface BatchOptions {
  /**
   * The caller promises the input is already in date order: each message is triaged as it
   * arrives and nothing is held.
   */
  sorted?: boolean;
}

/**
 * A batch classifies this many messages back to back before settling them: interleaved one message
 * at a time, parsing, classifying and drafting evict each other's code and data from the CPU
 * caches (see PARSE_RUN_MESSAGES in parse/files.ts).
 */
const CLASSIFY_RUN = 64;

function isInvitation(prepared: PreparedTriage): boolean {
  return !NOT_INVITATIONS.includes(prepared.classification.category);
}

/**
 * Classifies messages a run at a time (see CLASSIFY_RUN), yielding each prepared message in input
 * order, invitations already slimmed for holding. Parse failures pass through.
 */
async function* prepareRuns(
  messages: AsyncIterable<ParsedMessage | ParseFailure> | Iterable<ParsedMessage | ParseFailure>,
  settings: Settings,
  rulebook?: CompiledRulebook,
): AsyncGenerator<PreparedTriage | ParseFailure> {
  let run: Array<ParsedMessage | ParseFailure> = [];
  const prepareRun = () => {
    const prepared = run.map((item) => {
      if (isParseFailure(item)) return item;
      const done = prepareTriage(item, settings, rulebook);
      // An invitation is held until the input ends; the rest are settled and dropped at once.
      return isInvitation(done) ? heldCopy(done) : done;
    });
    run = [];
    return prepared;
  };
  for await (const item of messages) {
    run.push(item);
    if (run.length >= CLASSIFY_RUN) yield* prepareRun();
  }
  yield* prepareRun();
}

/**
 * Triages many messages so that invitations are decided in date order: frequency counts must see
 * the earlier invitations first, whatever order an mbox or a folder listed them in.
 *
 * Without `sorted`, the batch classifies the messages as it reads them, a run at a time
 * (classification needs no order). Mail that is no invitation — most of a mailbox — is settled as
 * soon as its run is classified: it only notes correspondence, which keeps the earliest date, so
 * its order does not matter. Invitations are held without their bodies (about a kilobyte each),
 * sorted by date once the input ends, and then settled. So results come out as: parse failures
 * and non-invitations as they are met, then invitations in date order (undated ones last, in input
 * order). Memory grows with the number of invitations only, never with message bodies.
 */
export function triageBatch(
  messages: AsyncIterable<ParsedMessage | ParseFailure> | Iterable<ParsedMessage | ParseFailure>,
  deps: TriageDeps,
  options: BatchOptions = {},
): AsyncGenerator<TriageResult | ParseFailure> {
  return settleBatch(prepareRuns(messages, deps.settings, deps.rulebook), deps, options);
}

/** The second half of triageBatch: settles classified messages, holding invitations back. */
async function* settleBatch(
  prepared: AsyncIterable<PreparedTriage | ParseFailure>,
  deps: TriageDeps,
  options: BatchOptions,
): AsyncGenerator<TriageResult | ParseFailure> {
  const held: { at: number; index: number; prepared: PreparedTriage }[] = [];
  for await (const item of prepared) {
    if (isParseFailure(item)) {
      yield item;
    } else if (options.sorted || !isInvitation(item)) {
      yield await settleTriage(item, deps);
    } else {
      const at = item.message.date ? Date.parse(item.message.date) : Number.NaN;
      held.push({
        at: Number.isNaN(at) ? Number.POSITIVE_INFINITY : at,
        index: held.length,
        prepared: item,
      });
    }
  }
  // Sorted latest first and popped, so that each invitation is let go once it is settled and
  // memory peaks when the input ends, not when the ledger has recorded them all.
  held.sort((a, b) => b.at - a.at || b.index - a.index);
  for (let entry = held.pop(); entry; entry = held.pop()) {
    yield await settleTriage(entry.prepared, deps);
  }
}
