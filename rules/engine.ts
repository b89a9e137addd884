import type { Facts } from "../functions/core/facts.ts";
import type { Reason } from "../functions/core/model.ts";
import { CATEGORIES, type Category } from "../functions/core/vocabulary.ts";
import {
  type CalendarCondition,
  type EtiquetteRule,
  type FactName,
  type Phrases,
  Rulebook,
  type RuleSpec,
  type Scoring,
  type SenderCondition,
  type Supports,
} from "./schema.ts";
import { compilePhrases } from "./text.ts";

/**
 * The rulebook engine, SpamAssassin-style: every rule is a small named signal; the signals that
 * fire add their weight to a category, the strongest category wins, and the signals that fired
 * are the explanation. Pure and linear in the text: each rule is one precompiled regex scanned
 * once over the (capped) text.
 */

export interface CompiledRule {
  spec: RuleSpec;
  text: RegExp | null;
  subject: RegExp | null;
  location: RegExp | null;
  localParts: RegExp | null;
}

export interface CompiledRulebook {
  rules: readonly CompiledRule[];
  /** Rules that mark clauses dead (past tense, negation); evaluated first. */
  markers: readonly CompiledRule[];
  /** Rules that depend on clauses (text); the rest only read facts. */
  falseFriends: RegExp | null;
  scoring: Scoring;
}

function allPhrases(phrases: Phrases | undefined): string[] {
  if (!phrases) return [];
  return Object.values(phrases).flat();
}

function compileOptional(phrases: string[]): RegExp | null {
  return phrases.length > 0 ? compilePhrases(phrases) : null;
}

/** Validates a rulebook (throws with every problem listed) and compiles its regexes once. */
export function compileRulebook(input: unknown): CompiledRulebook {
  const parsed = Rulebook.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`Invalid rulebook:\n${problems.join("\n")}`);
  }
  const book = parsed.data;
  const compiled = book.rules.map(
    (spec): CompiledRule => ({
      spec,
      text: compileOptional(allPhrases(spec.text)),
      subject: compileOptional(allPhrases(spec.subject)),
      location: compileOptional(allPhrases(spec.calendar?.location)),
      localParts: compileOptional(spec.sender?.localParts ?? []),
    }),
  );
  return {
    rules: compiled.filter((rule) => rule.spec.marks === undefined),
    markers: compiled.filter((rule) => rule.spec.marks !== undefined),
    falseFriends: compileOptional(book.falseFriends.flatMap((friend) => allPhrases(friend.phrases))),
    scoring: book.scoring,
  };
}

/** One clause of the scanned text, and whether a marker made it dead. */
interface Clause {
  start: number;
  end: number;
  question: boolean;
  dead: "past" | "negated" | "answer" | null;
}

/** A hard-wrapped line is at least this long; a shorter line ends its clause ("Hi Ana,"). */
const WRAPPED_LINE = 50;
const SEPARATOR =
  /[.!?;]+(?=\s|$)|[?!¿¡;]|,|\s-+\s|\n\s*\n|\n|\s(?:but|however|instead|although|pero|aunque|sino|mais|cependant|aber|sondern|jedoch)\s/g;

function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  let lineStart = 0;
  SEPARATOR.lastIndex = 0;
  for (let match = SEPARATOR.exec(text); match !== null; match = SEPARATOR.exec(text)) {
    const separator = match[0];
    if (separator === "\n") {
      const lineLength = match.index - lineStart;
      lineStart = match.index + 1;
      // A hard-wrapped paragraph continues on the next line.
      if (lineLength >= WRAPPED_LINE) continue;
    } else if (separator.includes("\n")) {
      lineStart = match.index + separator.length;
    }
    if (match.index > start) {
      clauses.push({ start, end: match.index, question: separator.includes("?"), dead: null });
    }
    start = match.index + separator.length;
  }
  if (start < text.length) {
    clauses.push({ start, end: text.length, question: false, dead: null });
  }
  return clauses;
}

function clauseAt(clauses: readonly Clause[], offset: number): Clause | undefined {
  let low = 0;
  let high = clauses.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const clause = clauses[mid];
    if (!clause) break;
    if (offset < clause.start) high = mid - 1;
    else if (offset >= clause.end) low = mid + 1;
    else return clause;
  }
  return undefined;
}

/** Blanks false friends out (same length, so offsets hold): "third party" is no party. */
function neutralise(text: string, falseFriends: RegExp | null): string {
  if (!falseFriends) return text;
  return text.replace(falseFriends, (found) => " ".repeat(found.length));
}

export interface Signal {
  id: string;
  serves: EtiquetteRule;
  supports: Supports;
  weight: number;
  explanation: string;
  /** What made it fire: the words matched, or the fact that held. */
  evidence: string;
}

export interface Evaluation {
  category: Category;
  /** 0..1: how far the winner stands above the runner-up. */
  confidence: number;
  scores: Record<Category, number>;
  /** Every signal that fired, strongest first. */
  signals: Signal[];
  /** The signals behind the winning category, as reasons a person reads. */
  reasons: Reason[];
}

export interface EvaluateOptions {
  /** A rule switched off (settings.rules[id] === false) never fires. */
  enabled?: (id: string) => boolean;
}

/** Finds the first match of `pattern` in a live clause; returns the matched words. */
function firstLiveMatch(
  pattern: RegExp,
  text: string,
  clauses: readonly Clause[],
  allowDead: boolean,
): { found: string; clause: Clause } | null {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === "") pattern.lastIndex++;
    const clause = clauseAt(clauses, match.index);
    if (clause && (allowDead || clause.dead === null)) return { found: match[0], clause };
  }
  return null;
}

function senderHolds(condition: SenderCondition, rule: CompiledRule, facts: Facts): string | null {
  const sender = facts.sender;
  if (!sender) return null;
  const evidence: string[] = [];
  if (condition.domains) {
    const domain = condition.domains.find(
      (candidate) => sender.domain === candidate || sender.domain.endsWith(`.${candidate}`),
    );
    if (!domain) return null;
    evidence.push(`sender domain ${sender.domain}`);
  }
  if (rule.localParts) {
    rule.localParts.lastIndex = 0;
    const readable = sender.localPart.replace(/[._+-]+/g, " ");
    if (!rule.localParts.test(readable) && !rule.localParts.test(sender.localPart)) return null;
    evidence.push(`sender ${sender.address}`);
  }
  if (condition.kind) {
    if ((condition.kind === "consumer") !== sender.consumer) return null;
    evidence.push(`${condition.kind} sender`);
  }
  return evidence.join(", ");
}

function calendarHolds(condition: CalendarCondition, rule: CompiledRule, facts: Facts) {
  const calendar = facts.calendar;
  if (!calendar) return null;
  const evidence: string[] = [];
  if (condition.method) {
    if (!calendar.method || !condition.method.includes(calendar.method)) return null;
    evidence.push(`METHOD:${calendar.method}`);
  }
  if (condition.status) {
    if (!calendar.status || !condition.status.includes(calendar.status)) return null;
    evidence.push(`STATUS:${calendar.status}`);
  }
  if (condition.timing) {
    const holds = {
      evening: calendar.evening,
      weekend: calendar.weekend,
      evening_or_weekend: calendar.evening || calendar.weekend,
      business_hours: calendar.businessHours,
    }[condition.timing];
    if (!holds) return null;
    evidence.push(`starts ${condition.timing.replaceAll("_", " ")}`);
  }
  if (rule.location) {
    rule.location.lastIndex = 0;
    const found = rule.location.exec(calendar.location);
    if (!found) return null;
    evidence.push(`location "${found[0]}"`);
  }
  if (condition.minAttendees !== undefined && calendar.attendees < condition.minAttendees) {
    return null;
  }
  if (condition.maxAttendees !== undefined && calendar.attendees > condition.maxAttendees) {
    return null;
  }
  if (condition.minAttendees !== undefined || condition.maxAttendees !== undefined) {
    evidence.push(`${calendar.attendees} attendees`);
  }
  return evidence.join(", ");
}

function factHolds(name: FactName, facts: Facts, clauses: readonly Clause[]): boolean {
  switch (name) {
    case "bulk":
      return facts.bulk;
    case "automated":
      return facts.automated;
    case "fromOwner":
      return facts.fromOwner;
    case "isReply":
      return facts.isReply;
    case "isForward":
      return facts.isForward;
    case "forwardCounts":
      return facts.forwardCounts;
    case "hasEvent":
      return facts.calendar !== null;
    case "question":
      return clauses.some((clause) => clause.question && clause.dead === null);
  }
}

function ruleFires(
  rule: CompiledRule,
  facts: Facts,
  text: string,
  clauses: readonly Clause[],
): string | null {
  const { spec } = rule;
  const evidence: string[] = [];
  if (rule.text) {
    const hit = firstLiveMatch(rule.text, text, clauses, false);
    if (!hit) return null;
    evidence.push(`"${hit.found.replace(/\s+/g, " ")}"`);
  }
  if (rule.subject) {
    rule.subject.lastIndex = 0;
    const found = facts.subject ? rule.subject.exec(facts.subject) : null;
    if (!found) return null;
    evidence.push(`subject "${found[0]}"`);
  }
  if (spec.sender) {
    const held = senderHolds(spec.sender, rule, facts);
    if (held === null) return null;
    evidence.push(held);
  }
  if (spec.calendar) {
    const held = calendarHolds(spec.calendar, rule, facts);
    if (held === null) return null;
    if (held) evidence.push(held);
  }
  if (spec.facts) {
    for (const name of spec.facts) {
      if (!factHolds(name, facts, clauses)) return null;
      evidence.push(name);
    }
  }
  return evidence.join("; ");
}

function signalOf(spec: RuleSpec, evidence: string): Signal {
  return {
    id: spec.id,
    serves: spec.serves,
    supports: spec.supports,
    weight: spec.weight,
    explanation: spec.explanation,
    evidence,
  };
}

/**
 * When two categories score the same, the one with the gentler action wins: a tie must never
 * turn an ordinary message into a decline.
 */
const TIE_ORDER: readonly Category[] = [
  "not_invitation",
  "business_meeting",
  "family_function",
  "travel",
  "social_professional",
  "meal_or_drinks",
  "outing",
  "home_visit",
  "social_personal",
  "romantic",
  "objectionable",
];

const NOTHING_FIRED: Reason = {
  rule: "engine.no_invitation",
  explanation: "Nothing in it invites you to anything — no action needed",
};

/** Evaluates the rulebook against one message's facts. */
export function evaluate(
  book: CompiledRulebook,
  facts: Facts,
  options: EvaluateOptions = {},
): Evaluation {
  const enabled = options.enabled ?? (() => true);
  const text = neutralise(facts.scan, book.falseFriends);
  const clauses = splitClauses(text);
  const signals: Signal[] = [];

  for (const marker of book.markers) {
    if (!enabled(marker.spec.id) || !marker.text) continue;
    const mark = marker.spec.marks;
    if (!mark) continue;
    let first: string | null = null;
    marker.text.lastIndex = 0;
    for (let match = marker.text.exec(text); match !== null; match = marker.text.exec(text)) {
      const clause = clauseAt(clauses, match.index);
      if (clause && clause.dead === null) clause.dead = mark;
      first ??= match[0];
    }
    if (first !== null) signals.push(signalOf(marker.spec, `"${first.replace(/\s+/g, " ")}"`));
  }
  for (const rule of book.rules) {
    if (!enabled(rule.spec.id)) continue;
    const evidence = ruleFires(rule, facts, text, clauses);
    if (evidence !== null) signals.push(signalOf(rule.spec, evidence));
  }
  signals.sort((a, b) => b.weight - a.weight);
  return score(book.scoring, signals);
}

/** Categories a person is invited to (everything but ordinary mail). */
const INVITING = CATEGORIES.filter((category) => category !== "not_invitation");

function confidenceOf(margin: number, scale: number): number {
  return Math.max(0, Math.min(1, 1 - Math.exp(-margin / scale)));
}

/**
 * Turns fired signals into category scores, a winner, a confidence and reasons.
 *
 * - Within a category the strongest signal counts fully and each further one counts
 *   `corroboration` of its weight: three ways of saying "dinner" are not three dinners.
 * - Invitation forms ("would you like to", a calendar REQUEST) add up to `invitationCap` to each
 *   category that has a topic; a topic with no invitation form counts `topicWithoutInvitation`.
 * - not_invitation starts at `baseline`: mail is ordinary until something says otherwise.
 * - Confidence is the smaller of two: how clearly it is (or is not) an invitation, and how
 *   clearly the winning category beats the next invitation category.
 */
export function score(scoring: Scoring, signals: readonly Signal[]): Evaluation {
  const positive = new Map<Category, number[]>();
  const negative = new Map<Category, number>();
  let invitation = 0;
  for (const signal of signals) {
    if (signal.supports === "invitation") {
      invitation += signal.weight;
    } else if (signal.weight > 0) {
      const list = positive.get(signal.supports) ?? [];
      list.push(signal.weight);
      positive.set(signal.supports, list);
    } else {
      negative.set(signal.supports, (negative.get(signal.supports) ?? 0) + signal.weight);
    }
  }
  invitation = Math.max(0, Math.min(invitation, scoring.invitationCap));
  const strength = Math.min(1, invitation / scoring.fullInvitation);
  const factor = scoring.topicWithoutInvitation + (1 - scoring.topicWithoutInvitation) * strength;

  const topicOf = (category: Category): number => {
    const weights = (positive.get(category) ?? []).sort((a, b) => b - a);
    const [strongest = 0, ...rest] = weights;
    const corroborated = rest.reduce((sum, weight) => sum + weight * scoring.corroboration, 0);
    return strongest + corroborated + (negative.get(category) ?? 0);
  };

  const scores = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<
    Category,
    number
  >;
  scores.not_invitation = round(scoring.baseline + topicOf("not_invitation"), 100);
  for (const category of INVITING) {
    const topic = topicOf(category);
    // A category needs a topic of its own; invitation forms alone invite to nothing in particular.
    scores[category] = topic > 0 ? round(topic * factor + invitation, 100) : 0;
  }

  let winner: Category = "not_invitation";
  for (const category of TIE_ORDER) {
    if (scores[category] > scores[winner]) winner = category;
  }
  let bestInviting = 0;
  let runnerUpInviting = 0;
  for (const category of INVITING) {
    const value = scores[category];
    if (value > bestInviting) {
      runnerUpInviting = bestInviting;
      bestInviting = value;
    } else if (value > runnerUpInviting) {
      runnerUpInviting = value;
    }
  }
  let confidence: number;
  if (winner === "not_invitation") {
    confidence = confidenceOf(scores.not_invitation - bestInviting, scoring.invitationScale);
  } else {
    const asInvitation = confidenceOf(scores[winner] - scores.not_invitation, scoring.invitationScale);
    const asCategory = confidenceOf(scores[winner] - runnerUpInviting, scoring.categoryScale);
    confidence = Math.min(asInvitation, asCategory);
  }

  const behind = signals.filter(
    (signal) =>
      signal.supports === winner || (signal.supports === "invitation" && winner !== "not_invitation"),
  );
  const reasons: Reason[] = behind.map((signal) => ({
    rule: signal.id,
    explanation: signal.explanation,
  }));
  if (reasons.length === 0) reasons.push(NOTHING_FIRED);
  return { category: winner, confidence: round(confidence), scores, signals: [...signals], reasons };
}

function round(value: number, precision = 1000): number {
  return Math.round(value * precision) / precision;
}
