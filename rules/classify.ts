import { computeFacts, type Facts } from "../functions/core/facts.ts";
import type { Classification, ParsedMessage } from "../functions/core/model.ts";
import type { Settings } from "../functions/schemas/settings.ts";
import {
  type CompiledRulebook,
  compileBuiltInRulebook,
  type Evaluation,
  evaluate,
} from "./engine.ts";
import { rulebook } from "./rulebook.ts";

let builtIn: CompiledRulebook | undefined;

/**
 * The built-in rulebook, compiled once, on first use: compiling is a good part of a handler's
 * start-up, and a worker run that finds no new mail classifies nothing.
 */
export function builtInRulebook(): CompiledRulebook {
  builtIn ??= compileBuiltInRulebook(rulebook);
  return builtIn;
}

/** At most this many reasons are kept: the strongest signals explain; the rest are noise. */
const MAX_REASONS = 6;

export interface ClassifyOptions {
  /** Another rulebook (tests, the settings page's preview); the built-in one by default. */
  rulebook?: CompiledRulebook;
}

/** Everything the classification was based on, for the pipeline and for explaining. */
export interface ClassificationDetail {
  classification: Classification;
  facts: Facts;
  /** Null when no rule was evaluated (the owner's own mail). */
  evaluation: Evaluation | null;
}

const FROM_OWNER = {
  rule: "engine.from_owner",
  explanation: "Sent by you — your own mail is never triaged",
};

/** Classifies one message against the rulebook, keeping the facts and signals behind it. */
export function classifyDetailed(
  message: ParsedMessage,
  settings: Settings,
  options: ClassifyOptions = {},
): ClassificationDetail {
  const facts = computeFacts(message, { settings });
  if (facts.fromOwner) {
    return {
      classification: {
        category: "not_invitation",
        confidence: 1,
        language: facts.language,
        reasons: [FROM_OWNER],
      },
      facts,
      evaluation: null,
    };
  }
  const switches = settings.rules;
  const evaluation = evaluate(
    options.rulebook ?? builtInRulebook(),
    facts,
    // Most owners switch nothing off; then every rule is on without asking per rule.
    Object.keys(switches).length > 0 ? { enabled: (id) => switches[id] !== false } : {},
  );
  return {
    classification: {
      category: evaluation.category,
      confidence: evaluation.confidence,
      language: facts.language,
      reasons: evaluation.reasons.slice(0, MAX_REASONS),
    },
    facts,
    evaluation,
  };
}

/** Classifies one message: pure, settings passed in (rule switches, the owner's address). */
export function classify(
  message: ParsedMessage,
  settings: Settings,
  options: ClassifyOptions = {},
): Classification {
  return classifyDetailed(message, settings, options).classification;
}
