import type { Settings } from "../../schemas/settings.ts";
import type { LedgerRecord } from "../ledger.ts";
import { buildSummaryModel, type HealthInput, type SummaryModel } from "./model.ts";
import { renderSummaryHtml } from "./render-html.ts";
import { renderSummaryText } from "./render-text.ts";
import { summarySubject } from "./subject.ts";
import { isoWeekPeriod, localDate, periodEndingOn, type SummaryPeriod } from "./week.ts";

export { displayText, escapeHtml, html, SafeHtml } from "./html.ts";
export { ACTION_LABELS, CATEGORY_LABELS } from "./labels.ts";
export {
  buildSummaryModel,
  CHART_WEEKS,
  FAMILY_FUNCTION_GUIDANCE,
  type HealthInput,
  LIST_LIMIT,
  LOOKBACK_DAYS,
  type SummaryInput,
  type SummaryModel,
  TRAVEL_GUIDANCE,
  UPCOMING_DAYS,
} from "./model.ts";
export { renderSummaryHtml } from "./render-html.ts";
export { renderSummaryText } from "./render-text.ts";
export { summarySubject } from "./subject.ts";
export {
  type DueSlot,
  dueSlot,
  isoWeekOf,
  isoWeekPeriod,
  localDate,
  periodEndingOn,
  type SendSchedule,
  type SummaryPeriod,
  zonedInstant,
} from "./week.ts";

export interface RenderedSummary {
  subject: string;
  html: string;
  text: string;
}

/** Both parts and the subject of one summary. */
export function renderSummary(model: SummaryModel): RenderedSummary {
  return {
    subject: summarySubject(model),
    html: renderSummaryHtml(model),
    text: renderSummaryText(model),
  };
}

export const HEALTHY: HealthInput = { google: "connected", problems: [], parseFailures: 0 };

export interface PreviewInput {
  records: readonly LedgerRecord[];
  settings: Settings;
  now: Date;
  /** "YYYY-Www": that ISO week in the owner's zone; otherwise the seven days before today. */
  week?: string;
  /** Draft ids present in Gmail; omitted means every drafted reply counts as waiting. */
  gmailDraftIds?: ReadonlySet<string> | null;
  health?: HealthInput;
  settingsUrl?: string | null;
}

/**
 * What the summary would say, without sending it: `decorum summary` renders this. Throws a
 * RangeError for a week key that names no ISO week.
 */
export function renderSummaryPreview(
  input: PreviewInput,
): RenderedSummary & { model: SummaryModel } {
  const zone = input.settings.timeZone;
  const period = previewPeriod(input.week, zone, input.now);
  // A named week is shown as it would have been sent: "what is coming" as of its end.
  const now = input.week === undefined ? input.now : period.end;
  const drafted = input.records.flatMap((r) =>
    r.draft.state === "drafted" ? [r.draft.draftId] : [],
  );
  const model = buildSummaryModel({
    records: input.records,
    period,
    now,
    owner: { name: input.settings.owner.name, email: input.settings.owner.email ?? null },
    frequency: input.settings.frequency,
    gmailDraftIds: input.gmailDraftIds === undefined ? new Set(drafted) : input.gmailDraftIds,
    health: input.health ?? HEALTHY,
    settingsUrl: input.settingsUrl ?? null,
  });
  return { model, ...renderSummary(model) };
}

/**
 * The days a preview covers: the ISO week named (in the owner's zone), else the seven days
 * before today. Throws a RangeError for a key that names no ISO week.
 */
export function previewPeriod(week: string | undefined, zone: string, now: Date): SummaryPeriod {
  if (week === undefined) return periodEndingOn(localDate(now, zone), zone);
  const period = isoWeekPeriod(week, zone);
  if (!period) throw new RangeError(`'${week}' is not an ISO week such as 2025-W13`);
  return period;
}
