import { builtInRulebook } from "../../rules/classify.ts";
import { POLICY_RULES } from "../../rules/policy.ts";
import type { EtiquetteRule } from "../../rules/schema.ts";
import type { Category } from "../core/vocabulary.ts";

/** One switch on the settings page: a rulebook signal or a policy step, by its rule id. */
export interface RuleSwitch {
  id: string;
  /** What it notices or does, in the rulebook's own words. */
  explanation: string;
  /** The etiquette rule it serves, as the settings page cites it. */
  serves: string;
  group: SwitchGroup;
}

export type SwitchGroup = Category | "invitation" | "context" | "policy";

function cite(serves: EtiquetteRule): string {
  if (serves === "—") return "helps tell invitations apart";
  if (serves === "romance") return "serves “when business turns romantic”";
  return `serves rule ${serves}`;
}

const POLICY_SWITCHES: readonly RuleSwitch[] = [
  {
    id: POLICY_RULES.frequency,
    explanation:
      "Declines the n-th meal, drink or outing invitation from one client within the window",
    serves: "serves rule 4",
    group: "policy",
  },
  {
    id: POLICY_RULES.homeVisitUntilEstablished,
    explanation: "Declines home visits until the relationship is established",
    serves: "serves rule 2",
    group: "policy",
  },
];

/**
 * Every rule id settings.rules can switch off, read from the compiled rulebook (markers included)
 * and the policy: the settings page never lists an id the engine does not know.
 */
export const RULE_SWITCHES: readonly RuleSwitch[] = [
  ...POLICY_SWITCHES,
  ...builtInRulebook().rules.map(
    ({ spec }): RuleSwitch => ({
      id: spec.id,
      explanation: spec.explanation,
      serves: cite(spec.serves),
      group: spec.marks !== undefined ? "context" : spec.supports,
    }),
  ),
];

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULE_SWITCHES.map((rule) => rule.id));
