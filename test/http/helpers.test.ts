import { describe, expect, it } from "vitest";
import type { LedgerRecord } from "../../functions/core/ledger.ts";
import { weeklyCounts } from "../../functions/http/routes/activity.tsx";
import { accountIdFor } from "../../functions/http/routes/auth.tsx";
import { looksLikeMessage } from "../../functions/http/routes/try.tsx";
import { record } from "./harness.ts";

const at = (iso: string): LedgerRecord => record({ receivedAt: iso });

describe("weeklyCounts", () => {
  it("counts invitations per ISO week in the owner's zone, zero weeks included", () => {
    const weeks = weeklyCounts(
      [
        at("2025-03-03T09:00:00Z"),
        at("2025-03-09T22:30:00Z"), // Sunday night in London, Monday morning in Tokyo
        at("2025-03-17T12:00:00Z"),
        at("2024-12-30T12:00:00Z"), // before the chart
      ],
      "Asia/Tokyo",
      "2025-03-03",
      3,
    );
    expect(weeks).toEqual([
      { week: "2025-W10", monday: "2025-03-03", count: 1 },
      { week: "2025-W11", monday: "2025-03-10", count: 1 },
      { week: "2025-W12", monday: "2025-03-17", count: 1 },
    ]);
  });
});

describe("looksLikeMessage", () => {
  it.each([
    ["From: ana@client.example\nSubject: Hi\n\nBody", true],
    ["\n  Received: from x\n\tby y\nX-Thing: 1\n\nBody", true],
    ["Agenda: lunch\nPlace: ours\n\nSee you", false],
    ["Would you like to come to dinner?", false],
    ["Dinner: Friday at 8?", false],
    ["", false],
  ])("%j → %s", (text, expected) => {
    expect(looksLikeMessage(text)).toBe(expected);
  });
});

describe("accountIdFor", () => {
  it("uses Google's numeric subject as it is, and hashes anything a key cannot hold", () => {
    expect(accountIdFor("110248495921238986420")).toBe("110248495921238986420");
    expect(accountIdFor("a#b")).toMatch(/^h-[0-9a-f]{64}$/);
  });
});
