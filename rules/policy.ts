import type { OwnerRole } from "../functions/core/facts.ts";
import type { Classification, Decision, Reason } from "../functions/core/model.ts";
import type { Action, Category } from "../functions/core/vocabulary.ts";
import type { Settings } from "../functions/schemas/settings.ts";

/**
 * The decision policy: from a classification and what the ledger knows, the action Decorum takes.
 * Pure. Every branch adds a reason in plain words, so the owner can see why.
 *
 * Order, first match wins:
 *  1. not_invitation / business_meeting → none (an override may only pick a non-decline action).
 *  2. A calendar invitation the owner organised or already answered → none.
 *  3. A sender who is not a client → none.
 *  4. Confidence below settings.reviewBelow → review: Decorum never drafts a decline on a guess.
 *  5. settings.overrides[category] → that action (never a decline of a family function).
 *  6. The rulebook's default per category, with frequency (rule 4) and established (rule 2).
 */

/** Policy steps a person can switch off in settings.rules, like any rule. */
export const POLICY_RULES = {
  frequency: "policy.frequency",
  homeVisitUntilEstablished: "policy.home_visit_until_established",
} as const;

const NEVER_DECLINED: readonly Category[] = [
  "not_invitation",
  "business_meeting",
  "family_function",
];

export interface DecisionContext {
  settings: Settings;
  /** The client key (domain, or address for consumer mail); null when the sender is no client. */
  client: string | null;
  /**
   * Invitations from this client in the frequency categories that the ledger holds in
   * [at − windowDays, at): the earlier ones, not counting this message.
   */
  earlierInvitations: number;
  /** When correspondence with this client began (before this message), or null. */
  firstSeen: Date | null;
  /** When the invitation arrived (the message date). */
  at: Date;
  /** The owner's part in the attached calendar event, when there is one. */
  ownerRole?: OwnerRole;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

function isDecline(action: Action): boolean {
  return action === "decline" || action === "decline_firmly";
}

/** Whether rule 2's "well established" holds for this client at this date. */
export function isEstablished(context: DecisionContext): {
  established: boolean;
  reason: Reason;
} {
  const { settings, client, firstSeen, at } = context;
  if (client && settings.clients.established.includes(client)) {
    return {
      established: true,
      reason: {
        rule: "policy.established",
        explanation: "You marked this client as an established relationship — rule 2",
      },
    };
  }
  const days = settings.clients.establishedAfterDays;
  if (days > 0 && firstSeen && firstSeen.getTime() <= at.getTime() - days * DAY_MS) {
    return {
      established: true,
      reason: {
        rule: "policy.established",
        explanation: `You have corresponded with this client for over ${days} days, an established relationship — rule 2`,
      },
    };
  }
  return {
    established: false,
    reason: {
      rule: "policy.not_established",
      explanation:
        "The relationship is not yet well established — rule 2: decline the home visit warmly and suggest meeting out instead",
    },
  };
}

/** The frequency check of rule 4: is this the threshold-th (or later) invitation in the window? */
export function isFrequent(context: DecisionContext): { frequent: boolean; reason: Reason } {
  const { settings, earlierInvitations } = context;
  const { threshold, windowDays } = settings.frequency;
  const nth = earlierInvitations + 1;
  if (settings.rules[POLICY_RULES.frequency] !== false && nth >= threshold) {
    return {
      frequent: true,
      reason: {
        rule: POLICY_RULES.frequency,
        explanation: `The ${ordinal(nth)} invitation from this client within ${windowDays} days — rule 4: decline this one politely, with a soft personal reason`,
      },
    };
  }
  return {
    frequent: false,
    reason: {
      rule: POLICY_RULES.frequency,
      explanation: `The ${ordinal(nth)} invitation from this client within ${windowDays} days — not frequent`,
    },
  };
}

interface Outcome {
  action: Action;
  reasons: Reason[];
}

const GUIDANCE: Partial<Record<Category, Reason>> = {
  meal_or_drinks: {
    rule: "policy.accept",
    explanation: "An occasional invitation is fine — rule 4: accept, and stay sober",
  },
  outing: {
    rule: "policy.accept",
    explanation: "An occasional outing is fine — rule 4: accept, and keep it professional",
  },
  home_visit: {
    rule: "policy.accept",
    explanation:
      "Rule 2: accept, ideally with other business associates of this client present, not only friends and relatives",
  },
  family_function: {
    rule: "policy.family_function",
    explanation:
      "Rule 3: attend; give a generous but not extravagant gift, arrive on time, never pitch",
  },
  objectionable: {
    rule: "policy.objectionable",
    explanation:
      "Rule 4: decline firmly and gently so these invitations end; offer a professional alternative",
  },
  romantic: {
    rule: "policy.romantic",
    explanation: "When business turns romantic: decline kindly and clearly, keep it professional",
  },
  travel: {
    rule: "policy.travel",
    explanation:
      "Rule 5: go, and treat it as work from the first minute to the last — no swimwear at the pool, two drinks at most",
  },
  social_personal: {
    rule: "policy.social_personal",
    explanation:
      "Rule 1: keep clients away from your personal accounts — do not connect; suggest LinkedIn instead",
  },
  social_professional: {
    rule: "policy.social_professional",
    explanation: "Rule 1: connecting on a professional network is worthwhile — accept",
  },
};

function guidance(category: Category): Reason[] {
  const reason = GUIDANCE[category];
  return reason ? [reason] : [];
}

function frequencyOutcome(context: DecisionContext, category: Category): Outcome {
  const { frequent, reason } = isFrequent(context);
  if (frequent) return { action: "decline", reasons: [reason] };
  return { action: "accept", reasons: [...guidance(category)] };
}

function defaultOutcome(category: Category, context: DecisionContext): Outcome {
  switch (category) {
    case "not_invitation":
    case "business_meeting":
      return { action: "none", reasons: [] };
    case "meal_or_drinks":
    case "outing":
      return frequencyOutcome(context, category);
    case "home_visit": {
      const switchedOff = context.settings.rules[POLICY_RULES.homeVisitUntilEstablished] === false;
      const { established, reason } = isEstablished(context);
      if (!established && !switchedOff) return { action: "decline", reasons: [reason] };
      const outcome = frequencyOutcome(context, category);
      return established ? { ...outcome, reasons: [reason, ...outcome.reasons] } : outcome;
    }
    case "family_function":
    case "travel":
    case "social_professional":
      return { action: "accept", reasons: guidance(category) };
    case "objectionable":
    case "romantic":
      return { action: "decline_firmly", reasons: guidance(category) };
    case "social_personal":
      return { action: "ignore", reasons: guidance(category) };
  }
}

function policy(classification: Classification, context: DecisionContext): Outcome {
  const { category, confidence } = classification;
  const { settings } = context;
  const override = settings.overrides[category];

  if (category === "not_invitation" || category === "business_meeting") {
    if (override && !isDecline(override) && override !== "none") {
      return { action: override, reasons: [overrideReason(category, override)] };
    }
    return { action: "none", reasons: [] };
  }
  if (context.ownerRole === "organizer" || context.ownerRole === "responded") {
    return {
      action: "none",
      reasons: [
        {
          rule: "policy.already_answered",
          explanation:
            context.ownerRole === "organizer"
              ? "You organised this event — nothing to answer"
              : "You have already responded to this calendar invitation — nothing to answer",
        },
      ],
    };
  }
  if (context.client === null) {
    return {
      action: "none",
      reasons: [
        {
          rule: "policy.not_a_client",
          explanation: "The sender is not one of your clients — Decorum leaves it to you",
        },
      ],
    };
  }
  if (confidence < settings.reviewBelow) {
    return {
      action: "review",
      reasons: [
        {
          rule: "policy.review",
          explanation: `Decorum is unsure (confidence ${confidence.toFixed(2)} is below ${settings.reviewBelow}) — please review; nothing is drafted`,
        },
      ],
    };
  }
  if (override) {
    if (isDecline(override) && NEVER_DECLINED.includes(category)) {
      const outcome = defaultOutcome(category, context);
      return {
        action: outcome.action,
        reasons: [
          {
            rule: "policy.override_refused",
            explanation: `Your override to ${override.replace("_", " ")} ${category.replaceAll("_", " ")} invitations is not applied — rule 3: family functions are never declined`,
          },
          ...outcome.reasons,
        ],
      };
    }
    return { action: override, reasons: [overrideReason(category, override)] };
  }
  return defaultOutcome(category, context);
}

function overrideReason(category: Category, action: Action): Reason {
  return {
    rule: "policy.override",
    explanation: `Your settings say: ${action.replace("_", " ")} ${category.replaceAll("_", " ")} invitations`,
  };
}

/** Applies the decision policy to a classification. */
export function decide(classification: Classification, context: DecisionContext): Decision {
  const outcome = policy(classification, context);
  // Belt and braces: whatever the settings, these categories are never declined.
  const action =
    isDecline(outcome.action) && NEVER_DECLINED.includes(classification.category)
      ? "none"
      : outcome.action;
  return {
    category: classification.category,
    confidence: classification.confidence,
    language: classification.language,
    reasons:
      outcome.reasons.length === 0
        ? [...classification.reasons]
        : classification.reasons.concat(outcome.reasons),
    action,
    client: context.client,
  };
}
