import { describe, expect, it } from "vitest";
import type { Classification } from "../../functions/core/model.ts";
import type { Action, Category } from "../../functions/core/vocabulary.ts";
import { parseSettings, type SettingsInput } from "../../functions/schemas/settings.ts";
import { type DecisionContext, decide } from "../../rules/policy.ts";

const AT = new Date("2026-03-02T10:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;

function classification(category: Category, confidence = 0.9): Classification {
  return {
    category,
    confidence,
    language: "en",
    reasons: [{ rule: `${category}.test`, explanation: "test signal" }],
  };
}

interface Case {
  name: string;
  category: Category;
  confidence?: number;
  settings?: SettingsInput;
  context?: Partial<Omit<DecisionContext, "settings">>;
  action: Action;
  reason?: string | RegExp;
}

function run(c: Case) {
  const context: DecisionContext = {
    settings: parseSettings(c.settings ?? {}),
    client: "client.example",
    earlierInvitations: 0,
    firstSeen: null,
    at: AT,
    ...c.context,
  };
  return decide(classification(c.category, c.confidence), context);
}

const cases: Case[] = [
  // Defaults of the rulebook's table.
  { name: "ordinary mail needs nothing", category: "not_invitation", action: "none" },
  { name: "a business meeting needs nothing", category: "business_meeting", action: "none" },
  {
    name: "a first meal invitation is accepted (stay sober)",
    category: "meal_or_drinks",
    action: "accept",
    reason: /rule 4.*sober/,
  },
  { name: "a first outing is accepted", category: "outing", action: "accept" },
  {
    name: "a family function is attended, with guidance",
    category: "family_function",
    action: "accept",
    reason: "Rule 3: attend; give a generous but not extravagant gift, arrive on time, never pitch",
  },
  {
    name: "an objectionable invitation is declined firmly",
    category: "objectionable",
    action: "decline_firmly",
    reason: /rule 4/i,
  },
  {
    name: "a romantic invitation is declined firmly",
    category: "romantic",
    action: "decline_firmly",
  },
  {
    name: "travel is accepted with rule 5's guidance",
    category: "travel",
    action: "accept",
    reason: /two drinks/,
  },
  {
    name: "a personal social network is ignored, suggesting LinkedIn",
    category: "social_personal",
    action: "ignore",
    reason: /LinkedIn/,
  },
  { name: "LinkedIn is accepted", category: "social_professional", action: "accept" },

  // Frequency (rule 4): the threshold-th invitation within the window is declined.
  {
    name: "the 2nd meal invitation within the window is accepted",
    category: "meal_or_drinks",
    context: { earlierInvitations: 1 },
    action: "accept",
  },
  {
    name: "the 3rd meal invitation within the window is declined",
    category: "meal_or_drinks",
    context: { earlierInvitations: 2 },
    action: "decline",
    reason: /3rd invitation from this client within 14 days/,
  },
  {
    name: "the 5th outing within the window is declined",
    category: "outing",
    context: { earlierInvitations: 4 },
    action: "decline",
    reason: /5th/,
  },
  {
    name: "a custom threshold of 5 accepts the 4th",
    category: "outing",
    settings: { frequency: { threshold: 5 } },
    context: { earlierInvitations: 3 },
    action: "accept",
  },
  {
    name: "the frequency rule switched off accepts the 6th",
    category: "meal_or_drinks",
    settings: { rules: { "policy.frequency": false } },
    context: { earlierInvitations: 5 },
    action: "accept",
  },

  // Home visits (rule 2).
  {
    name: "a home visit from a new client is declined",
    category: "home_visit",
    action: "decline",
    reason: /not yet well established/,
  },
  {
    name: "a home visit from a client marked established is accepted",
    category: "home_visit",
    settings: { clients: { established: ["client.example"] } },
    action: "accept",
    reason: /marked this client as an established/,
  },
  {
    name: "a home visit from a client first seen over a year ago is accepted",
    category: "home_visit",
    context: { firstSeen: new Date(AT.getTime() - 366 * DAY) },
    action: "accept",
    reason: /over 365 days/,
  },
  {
    name: "a home visit from a client first seen 300 days ago is declined",
    category: "home_visit",
    context: { firstSeen: new Date(AT.getTime() - 300 * DAY) },
    action: "decline",
  },
  {
    name: "establishedAfterDays 0 turns the first-seen rule off",
    category: "home_visit",
    settings: { clients: { establishedAfterDays: 0 } },
    context: { firstSeen: new Date(AT.getTime() - 3000 * DAY) },
    action: "decline",
  },
  {
    name: "an established client's 3rd invitation in the window is still declined",
    category: "home_visit",
    settings: { clients: { established: ["client.example"] } },
    context: { earlierInvitations: 2 },
    action: "decline",
    reason: /3rd invitation/,
  },
  {
    name: "the established rule switched off accepts a new client's home visit",
    category: "home_visit",
    settings: { rules: { "policy.home_visit_until_established": false } },
    action: "accept",
  },

  // Overrides.
  {
    name: "an override declines every meal invitation",
    category: "meal_or_drinks",
    settings: { overrides: { meal_or_drinks: "decline" } },
    action: "decline",
    reason: /Your settings say: decline meal or drinks/,
  },
  {
    name: "an override accepts home visits from anyone",
    category: "home_visit",
    settings: { overrides: { home_visit: "accept" } },
    action: "accept",
    reason: /Your settings say/,
  },
  {
    name: "an override cannot decline a family function",
    category: "family_function",
    settings: { overrides: { family_function: "decline" } },
    action: "accept",
    reason: /never declined/,
  },
  {
    name: "an override cannot decline ordinary mail",
    category: "not_invitation",
    settings: { overrides: { not_invitation: "decline_firmly" } },
    action: "none",
  },
  {
    name: "an override cannot decline a business meeting",
    category: "business_meeting",
    settings: { overrides: { business_meeting: "decline" } },
    action: "none",
  },
  {
    name: "an override may send business meetings to review",
    category: "business_meeting",
    settings: { overrides: { business_meeting: "review" } },
    action: "review",
  },

  // Low confidence: review, never a decline.
  {
    name: "a low-confidence objectionable guess is reviewed",
    category: "objectionable",
    confidence: 0.4,
    action: "review",
    reason: /unsure/,
  },
  {
    name: "a low-confidence frequent invitation is reviewed, not declined",
    category: "meal_or_drinks",
    confidence: 0.5,
    context: { earlierInvitations: 9 },
    action: "review",
  },
  {
    name: "a low-confidence guess is reviewed even when an override declines",
    category: "romantic",
    confidence: 0.2,
    settings: { overrides: { romantic: "decline_firmly" } },
    action: "review",
  },
  {
    name: "a raised reviewBelow sends a 0.8 guess to review",
    category: "home_visit",
    confidence: 0.8,
    settings: { reviewBelow: 0.85 },
    action: "review",
  },

  // Calendar invitations already handled, and non-clients.
  {
    name: "an event the owner organised needs nothing",
    category: "meal_or_drinks",
    context: { ownerRole: "organizer" },
    action: "none",
    reason: /organised/,
  },
  {
    name: "an invitation the owner already answered needs nothing",
    category: "objectionable",
    context: { ownerRole: "responded" },
    action: "none",
    reason: /already responded/,
  },
  {
    name: "an invitation from someone who is not a client needs nothing",
    category: "home_visit",
    context: { client: null },
    action: "none",
    reason: /not one of your clients/,
  },
];

describe("decide", () => {
  it.each(cases)("$name", (c) => {
    const decision = run(c);
    expect(decision.action).toBe(c.action);
    expect(decision.category).toBe(c.category);
    if (c.reason !== undefined) {
      const explanations = decision.reasons.map((reason) => reason.explanation);
      expect(explanations).toContainEqual(
        typeof c.reason === "string" ? c.reason : expect.stringMatching(c.reason),
      );
    }
  });

  it("keeps the classification's reasons before the policy's", () => {
    const decision = run({ name: "", category: "meal_or_drinks", action: "accept" });
    expect(decision.reasons[0]?.rule).toBe("meal_or_drinks.test");
    expect(decision.reasons.length).toBeGreaterThan(1);
  });

  it.each(["not_invitation", "business_meeting", "family_function"] as const)(
    "never declines %s, whatever the settings and counts",
    (category) => {
      for (const action of ["decline", "decline_firmly"] as const) {
        const decision = run({
          name: "",
          category,
          settings: { overrides: { [category]: action }, frequency: { threshold: 2 } },
          context: { earlierInvitations: 10 },
          action: "none",
        });
        expect(decision.action).not.toMatch(/^decline/);
      }
    },
  );
});
