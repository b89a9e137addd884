import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "../../../functions/core/summary/html.ts";
import { renderSummary, renderSummaryPreview } from "../../../functions/core/summary/index.ts";
import { buildSummaryModel } from "../../../functions/core/summary/model.ts";
import { DEFAULT_SETTINGS } from "../../../functions/schemas/settings.ts";
import { fullWeek, HOSTILE, input, record } from "./seed.ts";

describe("escapeHtml and the html tag", () => {
  it.each([
    ["<b>", "&lt;b&gt;"],
    ['"quoted"', "&quot;quoted&quot;"],
    ["it's", "it&#39;s"],
    ["&amp;", "&amp;amp;"],
    ["plain", "plain"],
  ])("escapes %s", (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });

  it("escapes interpolated strings but not fragments it built", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${["<", ">"]}${null}${false}${3}</p>`.toString()).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;&gt;3</p>',
    );
  });
});

const hostileRecords = [
  record({
    from: { address: "a@x.example", name: HOSTILE.scriptName },
    subject: HOSTILE.attributeSubject,
    action: "review",
  }),
  record({
    from: { address: "b@x.example", name: HOSTILE.encodedWordName },
    subject: HOSTILE.encodedWordSubject,
    category: "objectionable",
    action: "decline_firmly",
  }),
  record({
    from: { address: "c@x.example", name: HOSTILE.bidi },
    subject: HOSTILE.headerInjection,
    action: "review",
  }),
  record({ client: HOSTILE.longClient, subject: HOSTILE.entities, action: "review" }),
  record({
    category: "family_function",
    event: {
      start: "2025-04-05T12:00:00.000Z",
      summary: HOSTILE.javascriptEvent,
      location: HOSTILE.scriptName,
    },
  }),
];

describe("sender-controlled text in the summary", () => {
  const rendered = renderSummary(buildSummaryModel(input(hostileRecords)));

  it.each([
    ["a script in a sender name", HOSTILE.scriptName],
    ["an attribute breakout in a subject", HOSTILE.attributeSubject],
    ["a link in an event title", HOSTILE.javascriptEvent],
    ["entities in a subject", HOSTILE.entities],
  ])("escapes %s in the HTML part", (_label, text) => {
    expect(rendered.html).toContain(escapeHtml(text));
    expect(rendered.html).not.toContain(text);
  });

  it("never lets mail text create elements, handlers or links", () => {
    // Escaped text may read "onerror=", but no tag may carry a handler or a script.
    expect(rendered.html).not.toMatch(/<script|<img|<a href="javascript|<[^>]*\son\w+=/i);
    const hrefs = [...rendered.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/decorum\.example\/settings/);
  });

  it.each([
    ["an RFC 2047 encoded word in a name", HOSTILE.encodedWordName],
    ["an RFC 2047 encoded word in a subject", HOSTILE.encodedWordSubject],
    ["a script tag", HOSTILE.scriptName],
  ])("shows %s as the text it is in both parts", (_label, text) => {
    expect(rendered.text).toContain(text);
    expect(rendered.html).toContain(escapeHtml(text));
  });

  it("keeps a line break in a subject from starting a line of its own", () => {
    expect(rendered.text).not.toMatch(/^\s*Bcc:/m);
    expect(rendered.text).toContain("Drinks? Bcc: everyone@evil.example");
  });

  it("strips bidi controls that would reverse how a name reads", () => {
    expect(rendered.text).not.toContain("\u202E");
    expect(rendered.html).not.toContain("\u202E");
  });

  it("keeps sender text out of the subject line", () => {
    expect(rendered.subject).toBe("Decorum — your week: 5 invitations, 3 to review");
  });
});

describe("the HTML part", () => {
  const { records, gmailDraftIds } = fullWeek();
  const rendered = renderSummary(buildSummaryModel(input(records, { gmailDraftIds })));

  it("uses only inline styles, no classes, style sheets, scripts or remote assets", () => {
    expect(rendered.html).not.toMatch(/\sclass=|<style|<script|<link|<img|\ssrc=|url\(|@import/i);
    expect(rendered.html).toMatch(/^<!DOCTYPE html>/);
  });

  it.each([
    "The week in numbers",
    "What needs you",
    "Clients",
    "Coming up",
    "Invitations per week",
    "Account health",
    "https://decorum.example/settings#summary",
  ])("has %s", (text) => {
    expect(rendered.html).toContain(text);
  });

  it("draws one bar per week with a non-zero count, widths proportional to counts", () => {
    const bars = [...rendered.html.matchAll(/width="(\d+)%"[^>]*data-chart-count="(\d+)"/g)].map(
      (m) => [Number(m[1]), Number(m[2])] as const,
    );
    // Week 7 had no invitations: no bar. The last week (this one) is the longest.
    expect(bars.map(([, count]) => count)).toEqual([3, 5, 2, 4, 6, 1, 3, 2, 5, 5, 8]);
    for (const [percent, count] of bars) expect(percent).toBe(Math.round((count / 8) * 100));
  });
});

describe("the text part", () => {
  const { records, gmailDraftIds } = fullWeek();
  const { text, subject } = renderSummary(buildSummaryModel(input(records, { gmailDraftIds })));
  const flat = text.replace(/\s+/g, " ");

  it.each([
    ["the period", "Mon 24 Mar – Sun 30 Mar 2025"],
    ["the numbers", "8 invitations · 3 drafts created · 2 still unsent in Gmail"],
    ["a waiting draft", '"Poker night at mine" — Bob Stone <bob@contoso.example>, Tue 25 Mar'],
    ["the reason for a firm decline", "keep the relationship professional"],
    ["the LinkedIn suggestion", "suggest connecting on LinkedIn instead"],
    ["a flagged client", "northwind.example: 2 / 3 / 3 [OFTEN]"],
    ["family-function guidance", "- Give a generous gift, but not an extravagant one."],
    ["the wedding in the owner's zone", "Family function: Sat 19 Apr, 14:00, Kew Gardens"],
    ["travel guidance", "- Two drinks at most at the bar; no swimwear at the pool."],
    ["this week's bar", "24 Mar ██████████████████████████████ 8 ← this week"],
    [
      "the settings link",
      "Change when this summary arrives: https://decorum.example/settings#summary",
    ],
  ])("shows %s", (_label, expected) => {
    expect(flat).toContain(expected);
  });

  it("keeps lines short enough for any mail client", () => {
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(90);
  });

  it("has the subject the issue asks for", () => {
    expect(subject).toBe("Decorum — your week: 8 invitations, 2 drafts waiting, 1 to review");
  });
});

describe("an empty week", () => {
  it("is short and points at the setting that turns it off", () => {
    const { text, html: page } = renderSummary(buildSummaryModel(input([])));
    expect(text).toContain("A quiet week");
    expect(text).not.toContain("INVITATIONS PER WEEK");
    expect(text.split("\n").length).toBeLessThan(20);
    expect(page).toContain("https://decorum.example/settings#summary");
  });
});

describe("renderSummaryPreview", () => {
  const settings = { ...DEFAULT_SETTINGS, timeZone: "Europe/London" };

  it("renders a named ISO week in the owner's zone", () => {
    const { model } = renderSummaryPreview({
      records: [record({ receivedAt: "2025-03-30T22:30:00.000Z" })],
      settings,
      now: new Date("2025-06-01T00:00:00Z"),
      week: "2025-W13",
    });
    expect(model.period.startDate).toBe("2025-03-24");
    expect(model.numbers.invitations).toBe(1);
  });

  it("defaults to the seven days before today", () => {
    const { model } = renderSummaryPreview({
      records: [],
      settings,
      now: new Date("2025-03-31T07:00:00Z"),
    });
    expect([model.period.startDate, model.period.endDate]).toEqual(["2025-03-24", "2025-03-31"]);
  });

  it("treats every ledger draft as waiting when Gmail is not asked", () => {
    const { model } = renderSummaryPreview({
      records: [
        record({
          action: "decline",
          draft: { state: "drafted", draftId: "d", threadId: null, at: "2025-03-25T12:00:00Z" },
        }),
      ],
      settings,
      now: new Date("2025-03-31T07:00:00Z"),
    });
    expect(model.numbers.draftsWaiting).toBe(1);
  });

  it("refuses a week that does not exist", () => {
    expect(() =>
      renderSummaryPreview({ records: [], settings, now: new Date(), week: "2025-W53" }),
    ).toThrow(RangeError);
  });
});

describe("account health", () => {
  it.each([
    [
      "problems, unreadable messages and unchecked drafts",
      {
        health: {
          google: "connected" as const,
          problems: ["Gmail notifications lapsed on Sat 29 Mar."],
          parseFailures: 2,
        },
        gmailDraftIds: null,
      },
      [
        "Gmail notifications lapsed on Sat 29 Mar.",
        "2 messages this week could not be read.",
        "Decorum could not check which drafts are still in Gmail.",
        "Check the connection: https://decorum.example/settings#connection",
      ],
    ],
    [
      "disconnected Google access",
      { health: { google: "disconnected" as const, problems: [], parseFailures: 0 } },
      ["Google access is disconnected: Decorum cannot read new mail until you reconnect."],
    ],
    ["nothing wrong", {}, ["All good: Google is connected"]],
  ])("reports %s in both parts", (_label, overrides, lines) => {
    const { text, html: page } = renderSummary(buildSummaryModel(input([record({})], overrides)));
    const flat = text.replace(/\s+/g, " ");
    for (const line of lines) {
      expect(flat).toContain(line);
      expect(page).toContain(
        escapeHtml(line.replace(/^Check the connection: .*/, "Check the connection")),
      );
    }
  });
});
