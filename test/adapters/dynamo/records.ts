import type { LedgerRecord } from "../../../functions/core/ledger.ts";

/** One invitation as the triage core records it; tests spread overrides over it. */
export const BASE_INVITATION: LedgerRecord = {
  key: "lunch-2025-03-04@client.example",
  client: "client.example",
  category: "meal_or_drinks",
  action: "accept",
  confidence: 0.9,
  language: "en",
  reasons: [{ rule: "meal.lunch", explanation: "A lunch invitation from a client." }],
  receivedAt: "2025-03-01T10:00:00.000Z",
  decidedAt: "2025-03-01T10:00:05.000Z",
  messageId: "CAF1234@mail.client.example",
  subject: "Lunch next week?",
  from: { address: "ana@client.example", name: "Ana Ruiz" },
  source: "gmail:18f0a",
  event: {
    start: "2025-03-04T12:30:00.000Z",
    summary: "Lunch",
    location: "Bistro Nord",
  },
  gmail: { messageId: "18f0a", threadId: "18f0a" },
  draft: { state: "decided" },
};

export function invitation(overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return { ...BASE_INVITATION, ...overrides };
}

/** A settable clock for TTL and first-seen tests. */
export function manualClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set(value: string) {
      now = new Date(value);
    },
    advanceDays(days: number) {
      now = new Date(now.getTime() + days * 86_400_000);
    },
  };
}
