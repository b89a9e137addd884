export {
  builtInRulebook,
  type ClassificationDetail,
  type ClassifyOptions,
  classify,
  classifyDetailed,
} from "./classify.ts";
export {
  type CompiledRule,
  type CompiledRulebook,
  compileRulebook,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  type Signal,
  score,
} from "./engine.ts";
export {
  type DecisionContext,
  decide,
  isEstablished,
  isFrequent,
  POLICY_RULES,
} from "./policy.ts";
export { falseFriends, rulebook, scoring } from "./rulebook.ts";
export {
  EtiquetteRule,
  Example,
  FalseFriend,
  Rulebook,
  type RuleInput,
  RuleSpec,
  Scoring,
  Supports,
} from "./schema.ts";
export { compilePhrase, fold, PhraseError, PhraseSet, phraseProblem, tokenize } from "./text.ts";
