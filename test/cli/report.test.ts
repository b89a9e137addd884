import { describe, expect, it } from "vitest";
import { ClientSummary, formatTable, tableRow } from "../../functions/cli/report.ts";
import type { ParseFailure } from "../../functions/core/parse/index.ts";
import type { TriageResult } from "../../functions/core/triage.ts";

function result(overrides: Partial<TriageResult>): TriageResult {
  return {
    source: "inbox/a.eml",
    messageId: "a@client.example",
    from: "ana@client.example",
    client: "client.example",
    subject: "Drinks Thursday?",
    date: "2026-03-02T18:00:00.000Z",
    category: "meal_or_drinks",
    action: "accept",
    confidence: 0.9,
    language: "en",
    reasons: [{ rule: "meal_or_drinks.drinks", explanation: "Drinks after work" }],
    draft: null,
    recorded: "new",
    key: "a@client.example",
    ...overrides,
  };
}

const failure: ParseFailure = { source: "broken.ics", error: "Could not parse calendar file" };

describe("the triage table", () => {
  it("lists failures first, then undated messages, then the rest by date, with reasons for actions", () => {
    const rows = [
      result({ subject: "Later", date: "2026-03-09T18:00:00.000Z", action: "decline" }),
      result({ subject: "Undated", date: null }),
      failure,
      result({ subject: "Earlier", category: "not_invitation", action: "none" }),
    ].map(tableRow);
    const text = [...formatTable(rows)].join("");
    const order = ["broken.ics", "Undated", "Earlier", "Later"].map((word) => text.indexOf(word));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    // A reason line follows each message that needs something done, none follows "none".
    expect(text.match(/↳ Drinks after work/g)).toHaveLength(2);
  });

  it("comes out in chunks, so a large mbox's table is never one string", () => {
    const rows = Array.from({ length: 1_200 }, (_, n) =>
      tableRow(
        result({
          subject: `Message ${n}`,
          date: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
          action: "none",
        }),
      ),
    );
    const chunks = [...formatTable(rows)];
    expect(chunks.length).toBeGreaterThan(2);
    const lines = chunks.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(1_202);
    expect(lines.at(-1)).toContain("Message 1199");
  });
});

describe("the per-client summary", () => {
  it("counts invitations per client, kinds and actions, and unreadable inputs", () => {
    const summary = new ClientSummary();
    for (const item of [
      result({}),
      result({ action: "decline" }),
      result({ client: "other.example", category: "outing" }),
      result({ category: "business_meeting", action: "none" }),
      failure,
    ]) {
      summary.add(item);
    }
    const text = summary.format();
    expect(text).toContain("5 messages, 3 invitations from 2 clients, 1 unreadable");
    expect(text).toMatch(/client\.example\s+2\s+meal_or_drinks 2\s+→\s+accept 1, decline 1/);
    expect(text).toMatch(/other\.example\s+1\s+outing 1\s+→\s+accept 1/);
  });
});
