import type { LedgerRecord } from "../ledger.ts";
import {
  ACTIONS,
  type Action,
  CATEGORIES,
  type Category,
  FREQUENCY_CATEGORIES,
} from "../vocabulary.ts";
import { addDays, type CalendarDate, type SummaryPeriod, zonedInstant } from "./week.ts";

/** How many weeks the chart shows, the current one last. */
export const CHART_WEEKS = 12;
/** How far back the summary reads the ledger: the chart and the 90-day counts fit within it. */
export const LOOKBACK_DAYS = 120;
/** How far ahead "what is coming" looks for accepted family functions and travel. */
export const UPCOMING_DAYS = 42;
/** Longest list per section; the rest is counted ("and 4 more"), keeping Gmail from clipping. */
export const LIST_LIMIT = 10;

/** Categories that are not social invitations: counted nowhere in the summary. */
const NOT_INVITATIONS: ReadonlySet<Category> = new Set(["not_invitation", "business_meeting"]);

/** The health of the account's connection, as the store and the watchers report it. */
export interface HealthInput {
  google: "connected" | "disconnected";
  /** Problems worth the owner's attention, each one sentence (e.g. "Gmail watch expired …"). */
  problems: readonly string[];
  /** Messages received this week that Decorum could not read. */
  parseFailures: number;
}

export interface SummaryInput {
  /** Ledger records received within LOOKBACK_DAYS before the period end (more is harmless). */
  records: readonly LedgerRecord[];
  period: SummaryPeriod;
  /** When the summary is built: "what is coming" starts here. */
  now: Date;
  owner: { name: string; email: string | null };
  frequency: { threshold: number; windowDays: number };
  /**
   * Ids of the drafts present in Gmail now (a ledger draft still there is unsent), or null when
   * they could not be listed: then "waiting" counts are unknown rather than guessed.
   */
  gmailDraftIds: ReadonlySet<string> | null;
  health: HealthInput;
  /** The settings page, absolute http(s) URL, or null when not deployed (the preview). */
  settingsUrl: string | null;
}

export type DraftStatus = "waiting" | "sent_or_discarded" | "unknown" | "none";

export interface SummaryItem {
  key: string;
  receivedAt: string;
  client: string | null;
  fromName: string;
  fromAddress: string;
  subject: string;
  category: Category;
  action: Action;
  /** One line on why this needs the owner, or what to do. */
  note: string;
  draft: DraftStatus;
}

export interface ClientRow {
  client: string;
  week: number;
  last30: number;
  last90: number;
  /** This week's invitations by category, most frequent first. */
  categories: Array<{ category: Category; count: number }>;
  /** What Decorum did with this week's invitations. */
  actions: Array<{ action: Action; count: number }>;
  /** Invited at or past the frequency threshold within the window, this week. */
  flagged: boolean;
}

export interface UpcomingItem {
  key: string;
  kind: "family_function" | "travel";
  start: string;
  summary: string;
  location: string;
  client: string | null;
  fromName: string;
  guidance: readonly string[];
}

export interface ChartWeek {
  /** Local Monday-or-whatever first day of the 7-day bucket. */
  startDate: CalendarDate;
  count: number;
  current: boolean;
}

export interface Limited<T> {
  items: T[];
  /** How many more there were beyond LIST_LIMIT. */
  more: number;
}

export interface SummaryModel {
  owner: { name: string; email: string | null };
  period: SummaryPeriod;
  generatedAt: string;
  numbers: {
    invitations: number;
    byCategory: Array<{ category: Category; count: number }>;
    byAction: Array<{ action: Action; count: number }>;
    draftsCreated: number;
    /** Drafts Decorum made (any week in the lookback) still in Gmail; null when unknown. */
    draftsWaiting: number | null;
    /** This week's drafts no longer in Gmail; null when unknown. */
    draftsGone: number | null;
  };
  clients: Limited<ClientRow>;
  attention: {
    review: Limited<SummaryItem>;
    declinedFirmly: Limited<SummaryItem>;
    socialPersonal: Limited<SummaryItem>;
    draftsWaiting: Limited<SummaryItem>;
  };
  upcoming: Limited<UpcomingItem>;
  health: {
    google: "connected" | "disconnected";
    problems: string[];
    parseFailures: number;
    draftsUnchecked: boolean;
  };
  chart: ChartWeek[];
  settingsUrl: string | null;
  /** Nothing happened and nothing needs the owner: the short form (or none, by setting). */
  empty: boolean;
}

export const FAMILY_FUNCTION_GUIDANCE: readonly string[] = [
  "Give a generous gift, but not an extravagant one.",
  "Arrive on time; don't be the first to leave, or the last.",
  "It is a business event for you: keep conversation light and never pitch. If someone asks about your services, hand over a card and suggest they call your office.",
];

export const TRAVEL_GUIDANCE: readonly string[] = [
  "It is work from the first minute to the last.",
  "Two drinks at most at the bar; no swimwear at the pool.",
  "Nothing that becomes a funny story told to your replacement.",
];

const REMINDERS: Partial<Record<Category, string>> = {
  objectionable:
    "Declined firmly: have the gentle conversation that ends these invitations for good, and offer a professional alternative.",
  romantic: "Declined kindly and clearly: keep the relationship professional.",
  social_personal:
    "Keep clients off your personal accounts: don't connect, and suggest connecting on LinkedIn instead.",
};

/** Builds the week's summary from ledger records and the account's health. Pure. */
export function buildSummaryModel(input: SummaryInput): SummaryModel {
  const { period, now } = input;
  const invitations = input.records
    .filter((record) => !NOT_INVITATIONS.has(record.category))
    .filter((record) => Number.isFinite(Date.parse(record.receivedAt)));
  const inPeriod = (record: LedgerRecord) => within(record.receivedAt, period.start, period.end);
  const week = invitations.filter(inPeriod).sort(byReceived);

  const draftStatus = (record: LedgerRecord): DraftStatus => {
    if (record.draft.state !== "drafted") return "none";
    if (!input.gmailDraftIds) return "unknown";
    return input.gmailDraftIds.has(record.draft.draftId) ? "waiting" : "sent_or_discarded";
  };
  const drafted = input.records.filter((record) => record.draft.state === "drafted");
  const createdThisWeek = drafted.filter(
    (record) =>
      record.draft.state === "drafted" && within(record.draft.at, period.start, period.end),
  );
  const waiting = drafted
    .filter(
      (record) =>
        draftStatus(record) === "waiting" && Date.parse(record.receivedAt) < period.end.getTime(),
    )
    .sort(byReceived);

  const item = (record: LedgerRecord, note: string): SummaryItem => ({
    key: record.key,
    receivedAt: record.receivedAt,
    client: record.client,
    fromName: record.from?.name ?? "",
    fromAddress: record.from?.address ?? "",
    subject: record.subject,
    category: record.category,
    action: record.action,
    note,
    draft: draftStatus(record),
  });

  const review = week
    .filter((record) => record.action === "review")
    .map((record) =>
      item(
        record,
        record.reasons.at(-1)?.explanation ?? "Decorum was not sure; nothing was drafted.",
      ),
    );
  const declinedFirmly = week
    .filter(
      (record) =>
        (record.category === "objectionable" || record.category === "romantic") &&
        (record.action === "decline_firmly" || record.action === "decline"),
    )
    .map((record) => item(record, REMINDERS[record.category] ?? ""));
  const socialPersonal = week
    .filter((record) => record.category === "social_personal" && record.action === "ignore")
    .map((record) => item(record, REMINDERS.social_personal ?? ""));
  const draftsWaiting = waiting.map((record) =>
    item(record, `Reply drafted ${draftNoun(record)}; review it in Gmail's Drafts and send it.`),
  );

  const model: SummaryModel = {
    owner: input.owner,
    period,
    generatedAt: now.toISOString(),
    numbers: {
      invitations: week.length,
      byCategory: countCategories(week),
      byAction: countActions(week),
      draftsCreated: createdThisWeek.length,
      draftsWaiting: input.gmailDraftIds ? waiting.length : null,
      draftsGone: input.gmailDraftIds
        ? createdThisWeek.filter((record) => draftStatus(record) === "sent_or_discarded").length
        : null,
    },
    clients: limit(clientRows(invitations, week, input)),
    attention: {
      review: limit(review),
      declinedFirmly: limit(declinedFirmly),
      socialPersonal: limit(socialPersonal),
      draftsWaiting: limit(draftsWaiting),
    },
    upcoming: limit(upcoming(invitations, now)),
    health: {
      google: input.health.google,
      problems: [...input.health.problems],
      parseFailures: input.health.parseFailures,
      draftsUnchecked: input.gmailDraftIds === null,
    },
    chart: chart(invitations, period),
    settingsUrl: safeUrl(input.settingsUrl),
    empty: false,
  };
  model.empty = isEmpty(model);
  return model;
}

function isEmpty(model: SummaryModel): boolean {
  const { attention, health } = model;
  return (
    model.numbers.invitations === 0 &&
    model.numbers.draftsCreated === 0 &&
    attention.draftsWaiting.items.length === 0 &&
    model.upcoming.items.length === 0 &&
    health.google === "connected" &&
    health.problems.length === 0 &&
    health.parseFailures === 0
  );
}

function draftNoun(record: LedgerRecord): string {
  return record.action === "decline_firmly" ? "(a firm decline)" : `(${record.action})`;
}

function clientRows(
  invitations: readonly LedgerRecord[],
  week: readonly LedgerRecord[],
  input: SummaryInput,
): ClientRow[] {
  const end = input.period.end.getTime();
  const since = (days: number) => end - days * 86_400_000;
  const byClient = new Map<string, LedgerRecord[]>();
  for (const record of invitations) {
    if (!record.client) continue;
    const list = byClient.get(record.client) ?? [];
    list.push(record);
    byClient.set(record.client, list);
  }
  const rows: ClientRow[] = [];
  for (const [client, records] of byClient) {
    const thisWeek = week.filter((record) => record.client === client);
    if (thisWeek.length === 0) continue;
    const countSince = (days: number) =>
      records.filter((r) => {
        const at = Date.parse(r.receivedAt);
        return at >= since(days) && at < end;
      }).length;
    rows.push({
      client,
      week: thisWeek.length,
      last30: countSince(30),
      last90: countSince(90),
      categories: countCategories(thisWeek).sort((a, b) => b.count - a.count),
      actions: countActions(thisWeek).sort((a, b) => b.count - a.count),
      flagged: overThreshold(records, thisWeek, input.frequency),
    });
  }
  return rows.sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      b.week - a.week ||
      b.last30 - a.last30 ||
      a.client.localeCompare(b.client),
  );
}

/**
 * True when one of this week's frequency-category invitations was the threshold-th or later
 * within the window: the same test the triage rule applies when it declines.
 */
function overThreshold(
  records: readonly LedgerRecord[],
  thisWeek: readonly LedgerRecord[],
  frequency: { threshold: number; windowDays: number },
): boolean {
  const counted = records
    .filter((r) => FREQUENCY_CATEGORIES.includes(r.category))
    .map((r) => Date.parse(r.receivedAt));
  const windowMs = frequency.windowDays * 86_400_000;
  return thisWeek
    .filter((r) => FREQUENCY_CATEGORIES.includes(r.category))
    .some((r) => {
      const at = Date.parse(r.receivedAt);
      return counted.filter((t) => t > at - windowMs && t <= at).length >= frequency.threshold;
    });
}

function upcoming(invitations: readonly LedgerRecord[], now: Date): UpcomingItem[] {
  const from = now.getTime();
  const to = from + UPCOMING_DAYS * 86_400_000;
  const seen = new Set<string>();
  const items: UpcomingItem[] = [];
  for (const record of invitations) {
    if (record.action !== "accept" || !record.event) continue;
    if (record.category !== "family_function" && record.category !== "travel") continue;
    const start = Date.parse(record.event.start);
    if (!(start >= from && start < to) || seen.has(record.key)) continue;
    seen.add(record.key);
    items.push({
      key: record.key,
      kind: record.category,
      start: new Date(start).toISOString(),
      summary: record.event.summary || record.subject,
      location: record.event.location,
      client: record.client,
      fromName: record.from?.name || record.from?.address || "",
      guidance: record.category === "travel" ? TRAVEL_GUIDANCE : FAMILY_FUNCTION_GUIDANCE,
    });
  }
  return items.sort((a, b) => a.start.localeCompare(b.start));
}

/** Invitations per 7-day bucket, the last bucket being the summary's own period. */
function chart(invitations: readonly LedgerRecord[], period: SummaryPeriod): ChartWeek[] {
  const weeks: ChartWeek[] = [];
  for (let i = CHART_WEEKS - 1; i >= 0; i--) {
    const startDate = addDays(period.startDate, -7 * i);
    const start = zonedInstant(startDate, 0, 0, period.timeZone);
    const end = zonedInstant(addDays(startDate, 7), 0, 0, period.timeZone);
    const count = invitations.filter((r) => within(r.receivedAt, start, end)).length;
    weeks.push({ startDate, count, current: i === 0 });
  }
  return weeks;
}

function countCategories(records: readonly LedgerRecord[]) {
  return CATEGORIES.map((category) => ({
    category,
    count: records.filter((r) => r.category === category).length,
  })).filter((row) => row.count > 0);
}

function countActions(records: readonly LedgerRecord[]) {
  return ACTIONS.map((action) => ({
    action,
    count: records.filter((r) => r.action === action).length,
  })).filter((row) => row.count > 0);
}

function limit<T>(items: T[]): Limited<T> {
  return { items: items.slice(0, LIST_LIMIT), more: Math.max(0, items.length - LIST_LIMIT) };
}

function within(iso: string, start: Date, end: Date): boolean {
  const at = Date.parse(iso);
  return at >= start.getTime() && at < end.getTime();
}

function byReceived(a: LedgerRecord, b: LedgerRecord): number {
  return a.receivedAt.localeCompare(b.receivedAt);
}

/** Only absolute http(s) URLs become links; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
