import type { Reason } from "./model.ts";
import type { Action, Category, Language } from "./vocabulary.ts";

/**
 * Where a reply draft stands. "decided" means a draft is due but not begun; "drafting" that
 * drafts.create may have been called (a retry must look in Gmail before creating another);
 * "drafted" that it exists; "none" that no draft is due (or dry-run).
 */
export type DraftState =
  | { state: "none" }
  | { state: "decided" }
  | { state: "drafting"; startedAt: string }
  | { state: "drafted"; draftId: string; threadId: string | null; at: string };

/** What the ledger keeps of one invitation, one per key (an account is implied by the ledger). */
export interface LedgerRecord {
  /** iCalendar UID when the invitation has one, else its Message-ID. */
  key: string;
  client: string | null;
  category: Category;
  action: Action;
  confidence: number;
  language: Language;
  reasons: Reason[];
  /** When the invitation arrived (the message date), ISO 8601. */
  receivedAt: string;
  /** When Decorum decided, ISO 8601. */
  decidedAt: string;
  messageId: string | null;
  subject: string;
  from: { address: string; name: string } | null;
  source: string;
  /** The event it invites to, when known: for the summary's "what is coming". */
  event: { start: string; summary: string; location: string } | null;
  gmail: { messageId: string; threadId: string } | null;
  draft: DraftState;
}

export interface CountWindow {
  /** Inclusive lower bound. */
  from: Date;
  /** Exclusive upper bound. */
  to: Date;
  categories: readonly Category[];
}

/**
 * The triage core's view of history for one account. Implementations: in memory (here) and
 * DynamoDB (functions/adapters/dynamo). Every write is idempotent.
 */
export interface Ledger {
  /** The decision already recorded under this key, and when this client was first seen. */
  lookup(
    key: string,
    client: string | null,
  ): Promise<{
    existing: LedgerRecord | null;
    firstSeen: Date | null;
  }>;
  /** How many invitations from this client in these categories arrived within the window. */
  countInvitations(client: string, window: CountWindow): Promise<number>;
  /** Records once per key: a second call with the same key changes nothing and returns the first. */
  record(record: LedgerRecord): Promise<{ created: boolean; record: LedgerRecord }>;
  /** Notes correspondence with a client at this time; keeps the earliest (first-seen) date. */
  noteCorrespondence(client: string, at: Date): Promise<void>;
  /** Moves a record's draft state. Returns false when the record does not exist. */
  setDraftState(key: string, draft: DraftState): Promise<boolean>;
}

/** The in-memory ledger: the default for `decorum triage`, and the model the DynamoDB one follows. */
export class MemoryLedger implements Ledger {
  readonly #records = new Map<string, LedgerRecord>();
  readonly #firstSeen = new Map<string, Date>();
  /** Arrival times (ms) per client and category, kept sorted, so counting is two binary searches. */
  readonly #times = new Map<string, number[]>();

  async lookup(key: string, client: string | null) {
    return {
      existing: this.#records.get(key) ?? null,
      firstSeen: client ? (this.#firstSeen.get(client) ?? null) : null,
    };
  }

  async countInvitations(client: string, window: CountWindow): Promise<number> {
    let count = 0;
    for (const category of new Set(window.categories)) {
      const times = this.#times.get(`${category}\u0000${client}`);
      if (!times) continue;
      count += lowerBound(times, window.to.getTime()) - lowerBound(times, window.from.getTime());
    }
    return count;
  }

  async record(record: LedgerRecord) {
    const existing = this.#records.get(record.key);
    if (existing) return { created: false, record: existing };
    this.#records.set(record.key, record);
    if (record.client) {
      const slot = `${record.category}\u0000${record.client}`;
      const times = this.#times.get(slot) ?? [];
      const at = Date.parse(record.receivedAt);
      // Usually appended in date order; an earlier record is inserted in place.
      times.splice(lowerBound(times, at + 1), 0, at);
      this.#times.set(slot, times);
      await this.noteCorrespondence(record.client, new Date(record.receivedAt));
    }
    return { created: true, record };
  }

  async noteCorrespondence(client: string, at: Date): Promise<void> {
    const known = this.#firstSeen.get(client);
    if (!known || at < known) this.#firstSeen.set(client, at);
  }

  async setDraftState(key: string, draft: DraftState): Promise<boolean> {
    const record = this.#records.get(key);
    if (!record) return false;
    this.#records.set(key, { ...record, draft });
    return true;
  }

  /** All records, oldest first (for the CLI's per-client summary and tests). */
  records(): LedgerRecord[] {
    return [...this.#records.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }
}

/** The first index whose value is ≥ `value` in an ascending array. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] ?? Number.POSITIVE_INFINITY) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
