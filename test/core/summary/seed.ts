import type { LedgerRecord } from "../../../functions/core/ledger.ts";
import type { SummaryInput } from "../../../functions/core/summary/model.ts";
import { isoWeekPeriod } from "../../../functions/core/summary/week.ts";

/** One base invitation; every seeded record is a spread override of it. */
export const base: LedgerRecord = {
  key: "base@client.example",
  client: "client.example",
  category: "meal_or_drinks",
  action: "accept",
  confidence: 0.9,
  language: "en",
  reasons: [],
  receivedAt: "2025-03-25T12:00:00.000Z",
  decidedAt: "2025-03-25T12:00:01.000Z",
  messageId: "base@client.example",
  subject: "Lunch on Thursday?",
  from: { address: "ana@client.example", name: "Ana Ruiz" },
  source: "test",
  event: null,
  gmail: null,
  draft: { state: "none" },
};

let counter = 0;
export function record(overrides: Partial<LedgerRecord>): LedgerRecord {
  counter++;
  return { ...base, key: `r${counter}@test`, messageId: `r${counter}@test`, ...overrides };
}

export function drafted(draftId: string, at: string): LedgerRecord["draft"] {
  return { state: "drafted", draftId, threadId: `t-${draftId}`, at };
}

/** Week 13 of 2025 in London: Mon 24 Mar 00:00 GMT to Mon 31 Mar 00:00 BST. */
export const W13 = (() => {
  const period = isoWeekPeriod("2025-W13", "Europe/London");
  if (!period) throw new Error("bad week");
  return period;
})();

export function input(
  records: LedgerRecord[],
  overrides: Partial<SummaryInput> = {},
): SummaryInput {
  return {
    records,
    period: W13,
    now: new Date("2025-03-31T07:00:00.000Z"),
    owner: { name: "Alex Morgan", email: "alex@firm.example" },
    frequency: { threshold: 3, windowDays: 14 },
    gmailDraftIds: new Set(),
    health: { google: "connected", problems: [], parseFailures: 0 },
    settingsUrl: "https://decorum.example/settings",
    ...overrides,
  };
}

/** Text a sender controls, written to break out of HTML, headers or the layout. */
export const HOSTILE = {
  scriptName: '<script>alert("name")</script>',
  attributeSubject: '"><img src=x onerror=alert(1)>',
  encodedWordName: "=?UTF-8?B?PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==?=",
  encodedWordSubject: "Re: =?utf-8?q?=3Cb=3Ebold=3C/b=3E?= drinks",
  headerInjection: "Drinks?\r\nBcc: everyone@evil.example",
  javascriptEvent: '<a href="javascript:alert(1)">Gala</a>',
  entities: "Tom &amp; Jerry &lt;3",
  bidi: "invoice\u202Egnp.exe",
  longClient: `${"x".repeat(180)}.example`,
} as const;

/** A plausible busy week for Alex in London (week 13 of 2025, sent Monday 31 March). */
export function fullWeek(): { records: LedgerRecord[]; gmailDraftIds: Set<string> } {
  const at = (day: number, hour = 12) =>
    `2025-03-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;
  const records: LedgerRecord[] = [
    record({
      client: "northwind.example",
      subject: "Lunch next week?",
      receivedAt: at(24),
      from: { address: "ana@northwind.example", name: "Ana Ruiz" },
    }),
    record({
      client: "northwind.example",
      subject: "Drinks after the review",
      receivedAt: at(14),
      from: { address: "ana@northwind.example", name: "Ana Ruiz" },
    }),
    record({
      client: "northwind.example",
      subject: "Golf on Saturday",
      category: "outing",
      action: "decline",
      receivedAt: at(26),
      from: { address: "ana@northwind.example", name: "Ana Ruiz" },
      draft: drafted("d-golf", at(26, 13)),
    }),
    record({
      client: "contoso.example",
      subject: "Poker night at mine",
      category: "objectionable",
      action: "decline_firmly",
      receivedAt: at(25),
      from: { address: "bob@contoso.example", name: "Bob Stone" },
      draft: drafted("d-poker", at(25, 13)),
    }),
    record({
      client: "contoso.example",
      subject: "Our daughter's wedding",
      category: "family_function",
      receivedAt: at(27),
      from: { address: "bob@contoso.example", name: "Bob Stone" },
      event: {
        start: "2025-04-19T13:00:00.000Z",
        summary: "Emma & Leo's wedding",
        location: "Kew Gardens",
      },
    }),
    record({
      client: "fabrikam.example",
      subject: "Dinner, just us two?",
      category: "romantic",
      action: "decline_firmly",
      receivedAt: at(28),
      from: { address: "chris@fabrikam.example", name: "Chris Lane" },
      draft: drafted("d-dinner", at(28, 13)),
    }),
    record({
      client: "sam@gmail.com",
      subject: "Sam wants to be friends on Facebook",
      category: "social_personal",
      action: "ignore",
      receivedAt: at(28, 18),
      from: { address: "sam@gmail.com", name: "Sam Patel" },
    }),
    record({
      client: "fabrikam.example",
      subject: "Are you coming to the mixer?",
      action: "review",
      confidence: 0.45,
      receivedAt: at(29),
      from: { address: "dee@fabrikam.example", name: "Dee Okafor" },
      reasons: [
        {
          rule: "review.low_confidence",
          explanation: "Unclear whether this is an invitation or a newsletter.",
        },
      ],
    }),
    record({
      client: "tailspin.example",
      subject: "Lisbon summit together",
      category: "travel",
      receivedAt: at(26),
      from: { address: "eve@tailspin.example", name: "Eve Marsh" },
      event: { start: "2025-04-08T07:00:00.000Z", summary: "Lisbon summit", location: "Lisbon" },
    }),
    record({
      client: "northwind.example",
      subject: "Quarterly review",
      category: "business_meeting",
      action: "none",
      receivedAt: at(25),
    }),
  ];
  // Earlier weeks, for the chart and the 30/90-day columns.
  const earlier = [3, 5, 2, 4, 6, 1, 0, 3, 2, 4, 5];
  earlier.forEach((count, i) => {
    for (let n = 0; n < count; n++) {
      const received = new Date(Date.UTC(2025, 0, 6 + i * 7 + n, 12));
      records.push(
        record({
          client: i % 2 ? "contoso.example" : "tailspin.example",
          receivedAt: received.toISOString(),
        }),
      );
    }
  });
  // d-golf was already sent by the owner: only two drafts are still waiting.
  return { records, gmailDraftIds: new Set(["d-poker", "d-dinner", "unrelated-draft"]) };
}
