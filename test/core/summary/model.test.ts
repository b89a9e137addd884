import { describe, expect, it } from "vitest";
import {
  buildSummaryModel,
  FAMILY_FUNCTION_GUIDANCE,
  LIST_LIMIT,
  TRAVEL_GUIDANCE,
} from "../../../functions/core/summary/model.ts";
import { summarySubject } from "../../../functions/core/summary/subject.ts";
import { base, drafted, input, record } from "./seed.ts";

describe("the week in numbers", () => {
  it.each([
    ["an invitation in the middle of the week", "2025-03-26T10:00:00.000Z", 1],
    ["Monday 00:00 GMT, the first instant of the week", "2025-03-24T00:00:00.000Z", 1],
    ["Sunday 23:59 GMT before the week", "2025-03-23T23:59:59.999Z", 0],
    // 23:30 BST on the Sunday clocks went forward is still that week…
    ["Sunday 23:30 BST on the day clocks went forward", "2025-03-30T22:30:00.000Z", 1],
    // …and 00:30 BST on Monday is the next one, although it is still Sunday in UTC.
    ["Monday 00:30 BST, still Sunday in UTC", "2025-03-30T23:30:00.000Z", 0],
  ])("counts %s by the owner's clock", (_label, receivedAt, expected) => {
    const model = buildSummaryModel(input([record({ receivedAt })]));
    expect(model.numbers.invitations).toBe(expected);
  });

  it("counts invitations by category and action, leaving out what is not an invitation", () => {
    const model = buildSummaryModel(
      input([
        record({ category: "meal_or_drinks", action: "accept" }),
        record({ category: "meal_or_drinks", action: "decline" }),
        record({ category: "outing", action: "accept" }),
        record({ category: "objectionable", action: "decline_firmly" }),
        record({ category: "not_invitation", action: "none" }),
        record({ category: "business_meeting", action: "none" }),
        record({ category: "meal_or_drinks", receivedAt: "2025-03-10T12:00:00.000Z" }),
      ]),
    );
    expect(model.numbers.invitations).toBe(4);
    expect(model.numbers.byCategory).toEqual([
      { category: "meal_or_drinks", count: 2 },
      { category: "outing", count: 1 },
      { category: "objectionable", count: 1 },
    ]);
    expect(model.numbers.byAction).toEqual([
      { action: "accept", count: 2 },
      { action: "decline", count: 1 },
      { action: "decline_firmly", count: 1 },
    ]);
  });

  it.each([
    {
      label: "drafts still in Gmail are waiting; the others were sent or discarded",
      inGmail: new Set(["d1", "d3"]),
      expected: { draftsCreated: 2, draftsWaiting: 2, draftsGone: 1 },
    },
    {
      label: "no draft in Gmail means none is waiting",
      inGmail: new Set<string>(),
      expected: { draftsCreated: 2, draftsWaiting: 0, draftsGone: 2 },
    },
    {
      label: "unknown when Gmail's drafts could not be listed",
      inGmail: null,
      expected: { draftsCreated: 2, draftsWaiting: null, draftsGone: null },
    },
  ])("compares ledger drafts with Gmail: $label", ({ inGmail, expected }) => {
    const records = [
      record({ action: "decline", draft: drafted("d1", "2025-03-25T12:00:05.000Z") }),
      record({ action: "decline", draft: drafted("d2", "2025-03-26T12:00:05.000Z") }),
      // Drafted the week before and still unsent: waiting, but not "created this week".
      record({
        action: "decline",
        receivedAt: "2025-03-18T12:00:00.000Z",
        draft: drafted("d3", "2025-03-18T12:00:05.000Z"),
      }),
    ];
    const model = buildSummaryModel(input(records, { gmailDraftIds: inGmail }));
    expect({
      draftsCreated: model.numbers.draftsCreated,
      draftsWaiting: model.numbers.draftsWaiting,
      draftsGone: model.numbers.draftsGone,
    }).toEqual(expected);
    expect(model.health.draftsUnchecked).toBe(inGmail === null);
  });
});

describe("per client", () => {
  const records = [
    // often.example: three meals within 14 days, the third this week: over the threshold.
    record({ client: "often.example", receivedAt: "2025-03-14T12:00:00.000Z" }),
    record({ client: "often.example", receivedAt: "2025-03-20T12:00:00.000Z" }),
    record({ client: "often.example", action: "decline", receivedAt: "2025-03-25T12:00:00.000Z" }),
    // busy.example: more invitations this week, but spread out, and not frequency categories.
    record({ client: "busy.example", category: "travel", receivedAt: "2025-03-24T09:00:00.000Z" }),
    record({ client: "busy.example", category: "family_function" }),
    record({ client: "busy.example", category: "travel", receivedAt: "2025-03-27T09:00:00.000Z" }),
    record({ client: "busy.example", receivedAt: "2025-01-10T12:00:00.000Z" }),
    // quiet.example: nothing this week, so not listed.
    record({ client: "quiet.example", receivedAt: "2025-03-01T12:00:00.000Z" }),
    // No client (e.g. an unlisted sender): counted in the numbers, listed under no client.
    record({ client: null }),
  ];
  const model = buildSummaryModel(input(records));

  it("lists clients invited this week, flagged ones first", () => {
    expect(model.clients.items.map((row) => [row.client, row.flagged])).toEqual([
      ["often.example", true],
      ["busy.example", false],
    ]);
  });

  it.each([
    ["often.example", { week: 1, last30: 3, last90: 3 }],
    ["busy.example", { week: 3, last30: 3, last90: 4 }],
  ])("counts %s this week, in 30 and in 90 days", (client, counts) => {
    const row = model.clients.items.find((r) => r.client === client);
    expect(row && { week: row.week, last30: row.last30, last90: row.last90 }).toEqual(counts);
  });

  it("says what kinds of invitation came and what Decorum did", () => {
    const busy = model.clients.items.find((r) => r.client === "busy.example");
    expect(busy?.categories).toEqual([
      { category: "travel", count: 2 },
      { category: "family_function", count: 1 },
    ]);
    expect(busy?.actions).toEqual([{ action: "accept", count: 3 }]);
  });

  it.each([
    ["two within the window", ["2025-03-20", "2025-03-25"], false],
    ["three within the window", ["2025-03-12", "2025-03-20", "2025-03-25"], true],
    ["three, the first just outside the window", ["2025-03-11", "2025-03-20", "2025-03-25"], false],
    [
      "three within the window, all before this week",
      ["2025-03-14", "2025-03-18", "2025-03-21"],
      false,
    ],
  ])("flags a client over the frequency threshold: %s", (_label, days, flagged) => {
    const model = buildSummaryModel(
      input([
        ...days.map((day) => record({ client: "c.example", receivedAt: `${day}T12:00:00.000Z` })),
        record({ client: "c.example", category: "travel" }),
      ]),
    );
    expect(model.clients.items[0]?.flagged).toBe(flagged);
  });
});

describe("what needs the owner", () => {
  const model = buildSummaryModel(
    input(
      [
        record({
          key: "review-1",
          action: "review",
          confidence: 0.4,
          reasons: [{ rule: "low_confidence", explanation: "Unclear whether this is social." }],
        }),
        record({ key: "poker", category: "objectionable", action: "decline_firmly" }),
        record({ key: "date", category: "romantic", action: "decline_firmly" }),
        record({ key: "fb", category: "social_personal", action: "ignore" }),
        record({ key: "li", category: "social_professional", action: "accept" }),
        record({
          key: "drinks",
          action: "decline",
          draft: drafted("d-drinks", "2025-03-25T12:00:05.000Z"),
        }),
      ],
      { gmailDraftIds: new Set(["d-drinks"]) },
    ),
  );

  it.each([
    ["review", ["review-1"]],
    ["declinedFirmly", ["poker", "date"]],
    ["socialPersonal", ["fb"]],
    ["draftsWaiting", ["drinks"]],
  ] as const)("lists %s", (group, keys) => {
    expect(model.attention[group].items.map((item) => item.key)).toEqual(keys);
  });

  it.each([
    ["review-1", /Unclear whether this is social/],
    ["poker", /gentle conversation that ends these invitations/],
    ["date", /keep the relationship professional/],
    ["fb", /suggest connecting on LinkedIn/],
  ])("reminds why for %s", (key, note) => {
    const all = Object.values(model.attention).flatMap((list) => list.items);
    expect(all.find((item) => item.key === key)?.note).toMatch(note);
  });

  it("counts what does not fit in a list", () => {
    const many = Array.from({ length: LIST_LIMIT + 4 }, () => record({ action: "review" }));
    const long = buildSummaryModel(input(many));
    expect(long.attention.review.items).toHaveLength(LIST_LIMIT);
    expect(long.attention.review.more).toBe(4);
  });
});

describe("what is coming", () => {
  const event = (start: string, summary: string) => ({ start, summary, location: "St Mary's" });
  const model = buildSummaryModel(
    input([
      record({
        key: "wedding",
        category: "family_function",
        receivedAt: "2025-02-10T12:00:00.000Z",
        event: event("2025-04-12T14:00:00.000Z", "Sofia's wedding"),
      }),
      record({
        key: "conference",
        category: "travel",
        event: event("2025-04-02T08:00:00.000Z", "Lisbon summit"),
      }),
      record({
        key: "declined-party",
        category: "family_function",
        action: "decline",
        event: event("2025-04-05T18:00:00.000Z", "Party"),
      }),
      record({
        key: "past",
        category: "family_function",
        event: event("2025-03-29T14:00:00.000Z", "Christening"),
      }),
      record({
        key: "far",
        category: "family_function",
        event: event("2025-08-01T14:00:00.000Z", "Bar mitzvah"),
      }),
    ]),
  );

  it("lists accepted family functions and travel in the next weeks, soonest first", () => {
    expect(model.upcoming.items.map((item) => item.key)).toEqual(["conference", "wedding"]);
  });

  it.each([
    ["wedding", FAMILY_FUNCTION_GUIDANCE],
    ["conference", TRAVEL_GUIDANCE],
  ])("gives %s its guidance", (key, guidance) => {
    expect(model.upcoming.items.find((item) => item.key === key)?.guidance).toEqual(guidance);
  });
});

describe("the chart", () => {
  it("counts invitations in the twelve weeks ending with this one", () => {
    const model = buildSummaryModel(
      input([
        record({ receivedAt: "2025-03-25T12:00:00.000Z" }),
        record({ receivedAt: "2025-03-26T12:00:00.000Z" }),
        record({ receivedAt: "2025-03-17T12:00:00.000Z" }),
        record({ receivedAt: "2025-01-07T12:00:00.000Z" }),
        // Thirteen weeks back: outside the chart.
        record({ receivedAt: "2025-01-01T12:00:00.000Z" }),
      ]),
    );
    expect(model.chart).toHaveLength(12);
    expect(model.chart[0]?.startDate).toBe("2025-01-06");
    expect(model.chart.map((week) => week.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(model.chart.map((week) => week.current)).toEqual([...Array(11).fill(false), true]);
  });
});

describe("an empty week", () => {
  it.each([
    ["no records at all", [], {}, true],
    [
      "only last week's invitations",
      [record({ receivedAt: "2025-03-18T12:00:00.000Z" })],
      {},
      true,
    ],
    [
      "a draft from last week still waiting",
      [
        record({
          receivedAt: "2025-03-18T12:00:00.000Z",
          draft: drafted("old", "2025-03-18T12:00:00.000Z"),
        }),
      ],
      { gmailDraftIds: new Set(["old"]) },
      false,
    ],
    [
      "a health problem",
      [],
      {
        health: {
          google: "connected" as const,
          problems: ["Gmail watch expired"],
          parseFailures: 0,
        },
      },
      false,
    ],
    ["one invitation", [record({})], {}, false],
  ])("is empty with %s: %s", (_label, records, overrides, empty) => {
    expect(buildSummaryModel(input(records, overrides)).empty).toBe(empty);
  });
});

describe("the subject", () => {
  it.each([
    [[], "Decorum — your week: no invitations"],
    [[record({})], "Decorum — your week: 1 invitation"],
    [
      [
        ...Array.from({ length: 4 }, () => record({})),
        ...["a", "b", "c"].map((id) =>
          record({ action: "decline", draft: drafted(id, base.receivedAt) }),
        ),
      ],
      "Decorum — your week: 7 invitations, 3 drafts waiting",
    ],
    [
      [
        record({ action: "decline", draft: drafted("a", base.receivedAt) }),
        record({ action: "review" }),
      ],
      "Decorum — your week: 2 invitations, 1 draft waiting, 1 to review",
    ],
  ])("reads well (%#)", (records, subject) => {
    const model = buildSummaryModel(input(records, { gmailDraftIds: new Set(["a", "b", "c"]) }));
    expect(summarySubject(model)).toBe(subject);
  });
});
