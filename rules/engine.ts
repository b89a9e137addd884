import type { Facts } from "../functions/core/facts.ts";
import type { Reason } from "../functions/core/model.ts";
import { CATEGORIES, type Category } from "../functions/core/vocabulary.ts";
import {
  type CalendarCondition,
  type EtiquetteRule,
  type FactName,
  type Phrases,
  Rulebook,
  type RulebookInput,
  type RuleSpec,
  type Scoring,
  type Supports,
} from "./schema.ts";
import { type PhraseMatch, PhraseSet, spanText, type Tokens, tokenize } from "./text.ts";

/**
 * The rulebook engine, SpamAssassin-style: every rule is a small named signal; the signals that
 * fire add their weight to a category, the strongest category wins, and the signals that fired
 * are the explanation. Pure and linear in the text: the text is tokenised once and every phrase
 * of every rule is looked up from one index (see rules/text.ts).
 */

export interface CompiledRule {
  spec: RuleSpec;
  /** Position in `rules`: the owner id of this rule's phrases in the phrase sets. */
  index: number;
}

/** Who owns a phrase of the text index: a rule, or a false friend to blank out. */
type TextOwner = number | "false_friend";

export interface CompiledRulebook {
  rules: readonly CompiledRule[];
  /** Text phrases of every rule, and the false friends, in one index. */
  text: PhraseSet<TextOwner>;
  subject: PhraseSet<number>;
  location: PhraseSet<number>;
  localParts: PhraseSet<number>;
  scoring: Scoring;
  /** Every rule switched on: the common case, computed once. */
  allOn: readonly boolean[];
}

function allPhrases(phrases: Phrases | undefined): string[] {
  if (!phrases) return [];
  return Object.values(phrases).flat();
}

/** Validates a rulebook (throws with every problem listed) and indexes its phrases once. */
export function compileRulebook(input: unknown): CompiledRulebook {
  const parsed = Rulebook.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`Invalid rulebook:\n${problems.join("\n")}`);
  }
  return indexRulebook(parsed.data);
}

/**
 * Indexes the built-in rulebook without validating it again: the tests hold it to the schema, and
 * the check would cost every cold start of the worker about 20 ms.
 */
export function compileBuiltInRulebook(book: RulebookInput): CompiledRulebook {
  return indexRulebook({
    ...book,
    rules: book.rules.map((rule) => ({ ...rule, counterExamples: rule.counterExamples ?? [] })),
  });
}

function indexRulebook(book: Rulebook): CompiledRulebook {
  const text = new PhraseSet<TextOwner>();
  const subject = new PhraseSet<number>();
  const location = new PhraseSet<number>();
  const localParts = new PhraseSet<number>();
  const rules = book.rules.map((spec, index): CompiledRule => {
    for (const phrase of allPhrases(spec.text)) text.add(phrase, index);
    for (const phrase of allPhrases(spec.subject)) subject.add(phrase, index);
    for (const phrase of allPhrases(spec.calendar?.location)) location.add(phrase, index);
    for (const phrase of spec.sender?.localParts ?? []) localParts.add(phrase, index);
    return { spec, index };
  });
  for (const friend of book.falseFriends) {
    for (const phrase of allPhrases(friend.phrases)) text.add(phrase, "false_friend");
  }
  const allOn = rules.map(() => true);
  return { rules, text, subject, location, localParts, scoring: book.scoring, allOn };
}

type Mark = "past" | "negated" | "answer";

/** One clause of the scanned text, and whether a marker made it dead. */
interface Clause {
  question: boolean;
  /** Speaks to the reader: "you", "te", "vous", "Sie", "du". */
  you: boolean;
  dead: Mark | null;
}

const YOU = new Set([
  "you",
  "your",
  "te",
  "tu",
  "ti",
  "usted",
  "os",
  "vosotros",
  "vous",
  "toi",
  "t",
  "du",
  "dich",
  "dir",
  "sie",
  "ihnen",
  "ihr",
  "euch",
]);

function newClause(): Clause {
  return { question: false, you: false, dead: null };
}

/** A hard-wrapped line is at least this long; a shorter line ends its clause ("Hi Ana,"). */
const WRAPPED_LINE = 50;
const CONJUNCTIONS = new Set([
  "but",
  "however",
  "instead",
  "although",
  "pero",
  "aunque",
  "sino",
  "mais",
  "cependant",
  "aber",
  "sondern",
  "jedoch",
]);
/** Whether a char code ends a clause wherever it stands between two words: ; , : " ( ) [ ] ¿ ¡ */
function isBreakCode(code: number): boolean {
  switch (code) {
    case 59:
    case 44:
    case 58:
    case 34:
    case 40:
    case 41:
    case 91:
    case 93:
    case 0xbf:
    case 0xa1:
      return true;
    default:
      return false;
  }
}

/**
 * Whether the characters between two words end a clause: a break character, a dash between
 * spaces, a blank line, or the end of a short (not hard-wrapped) line. Also moves `gap.line` to
 * where the current line starts. (A result object reused across calls: this runs per token.)
 */
function gapBreaks(text: string, from: number, to: number, gap: { line: number }): boolean {
  let breaks = false;
  let newlines = 0;
  let line = gap.line;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) continue;
    if (code === 10) {
      // A hard-wrapped paragraph continues on the next line; a short line ends its clause.
      if (newlines === 0 && i - line < WRAPPED_LINE) breaks = true;
      if (++newlines > 1) breaks = true;
      line = i + 1;
    } else if (isBreakCode(code)) {
      breaks = true;
    } else if (code === 45 && i > from && i + 1 < to && text.charCodeAt(i - 1) === 32) {
      breaks = true;
    }
  }
  gap.line = line;
  return breaks;
}

/** Assigns every token to a clause: clauses end at . ? ! ; , line breaks and "but". */
function splitClauses(tokens: Tokens): { clauses: Clause[]; clauseOf: number[] } {
  const { words, starts, ends, text } = tokens;
  // A plain array: allocating a typed array per message costs more than the whole loop.
  const clauseOf: number[] = [];
  let current = newClause();
  const clauses: Clause[] = [current];
  const gap = { line: 0 };
  let previousEnd = 0;
  let open = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const start = starts[i] ?? 0;
    const breaks = gapBreaks(text, previousEnd, start, gap);
    if (open && (breaks || CONJUNCTIONS.has(word))) {
      current = newClause();
      clauses.push(current);
      open = false;
    }
    clauseOf.push(clauses.length - 1);
    if (YOU.has(word)) current.you = true;
    previousEnd = ends[i] ?? start;
    if (word === "?" || word === "!" || word === ".") {
      if (word === "?") current.question = true;
      // "." ends a sentence only before whitespace ("zoom.us" and "p.m." go on).
      const next = text.charAt(previousEnd);
      if (word !== "." || next === "" || next === " " || next === "\n" || next === "\t") {
        if (open || word === "?") {
          current = newClause();
          clauses.push(current);
        }
        open = false;
        continue;
      }
    }
    open = true;
  }
  return { clauses, clauseOf };
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
  /** 0..1: how clearly the winner stands above the alternatives. */
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

/** The first match per owner, as evidence text. */
function firstByRule(tokens: Tokens, found: readonly PhraseMatch<number>[]): Map<number, string> {
  const first = new Map<number, string>();
  for (const match of found) {
    if (!first.has(match.owner)) first.set(match.owner, spanText(tokens, match.start, match.end));
  }
  return first;
}

const NO_MATCHES: ReadonlyMap<number, string> = new Map();

/** The first match per rule of a short field (subject, location, sender's local part). */
function firstOfEach(phrases: PhraseSet<number>, field: string): ReadonlyMap<number, string> {
  if (phrases.size === 0 || field === "") return NO_MATCHES;
  const tokens = tokenize(field);
  return firstByRule(tokens, phrases.matches(tokens));
}

function senderHolds(rule: CompiledRule, facts: Facts, localParts: ReadonlyMap<number, string>) {
  const condition = rule.spec.sender;
  const sender = facts.sender;
  if (!condition || !sender) return null;
  const evidence: string[] = [];
  if (condition.domains) {
    const domain = condition.domains.find(
      (candidate) => sender.domain === candidate || sender.domain.endsWith(`.${candidate}`),
    );
    if (!domain) return null;
    evidence.push(`sender domain ${sender.domain}`);
  }
  if (condition.localParts) {
    if (!localParts.has(rule.index)) return null;
    evidence.push(`sender ${sender.address}`);
  }
  if (condition.kind) {
    if ((condition.kind === "consumer") !== sender.consumer) return null;
    evidence.push(`${condition.kind} sender`);
  }
  return evidence.join(", ");
}

function calendarHolds(
  condition: CalendarCondition,
  rule: CompiledRule,
  facts: Facts,
  locations: ReadonlyMap<number, string>,
): string | null {
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
  if (condition.location) {
    const found = locations.get(rule.index);
    if (found === undefined) return null;
    evidence.push(`location "${found}"`);
  }
  if (condition.organizer) {
    if (calendar.organizer !== condition.organizer) return null;
    evidence.push(
      `organised by ${condition.organizer === "other" ? "someone else" : condition.organizer}`,
    );
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
      return clauses.some((clause) => clause.question && clause.you && clause.dead === null);
    case "hearts":
      return facts.hearts;
  }
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
 * turn an ordinary message into a decline. (Accepting a meal and taking no action on a meeting are
 * equally gentle; a meal is listed first because a meal named in a meeting request is the ask.)
 */
const TIE_ORDER: readonly Category[] = [
  "not_invitation",
  "family_function",
  "travel",
  "social_professional",
  "meal_or_drinks",
  "outing",
  "business_meeting",
  "home_visit",
  "social_personal",
  "romantic",
  "objectionable",
];

const NOTHING_FIRED: Reason = {
  rule: "engine.no_invitation",
  explanation: "Nothing in it invites you to anything — no action needed",
};

/** The tokens false friends cover (true), or null when no false friend matched. */
function blankedWords(found: readonly PhraseMatch<TextOwner>[]): boolean[] | null {
  let blanked: boolean[] | null = null;
  for (const match of found) {
    if (match.owner !== "false_friend") continue;
    blanked ??= [];
    for (let i = match.start; i < match.end; i++) blanked[i] = true;
  }
  return blanked;
}

function isUsable(match: PhraseMatch<TextOwner>, blanked: readonly boolean[]): boolean {
  for (let i = match.start; i < match.end; i++) if (blanked[i] === true) return false;
  return true;
}

/** Evaluates the rulebook against one message's facts. */
export function evaluate(
  book: CompiledRulebook,
  facts: Facts,
  options: EvaluateOptions = {},
): Evaluation {
  const on = options.enabled
    ? book.rules.map((rule) => options.enabled?.(rule.spec.id) !== false)
    : book.allOn;
  const tokens = facts.tokens;
  const { clauses, clauseOf } = splitClauses(tokens);
  const found = book.text.matches(tokens);

  // False friends blank their words out for every rule: "third party" is no party.
  const blanked = blankedWords(found);
  const usable = (match: PhraseMatch<TextOwner>) => blanked === null || isUsable(match, blanked);

  // Markers first: a clause about the past, a refusal or an answer invites no one.
  const textEvidence = new Map<number, string>();
  for (const match of found) {
    const owner = match.owner;
    if (owner === "false_friend" || !on[owner] || !usable(match)) continue;
    const mark = book.rules[owner]?.spec.marks;
    if (!mark) continue;
    const clause = clauses[clauseOf[match.start] ?? 0];
    if (clause && clause.dead === null) clause.dead = mark;
    if (!textEvidence.has(owner)) textEvidence.set(owner, spanText(tokens, match.start, match.end));
  }
  for (const match of found) {
    const owner = match.owner;
    if (owner === "false_friend" || !on[owner] || textEvidence.has(owner)) continue;
    if (book.rules[owner]?.spec.marks || !usable(match)) continue;
    if (clauses[clauseOf[match.start] ?? 0]?.dead) continue;
    textEvidence.set(owner, spanText(tokens, match.start, match.end));
  }

  const subjects = firstOfEach(book.subject, facts.subject);
  const locations = firstOfEach(book.location, facts.calendar?.location ?? "");
  const localParts = firstOfEach(book.localParts, facts.sender?.localPart ?? "");

  const signals: Signal[] = [];
  for (const rule of book.rules) {
    if (!on[rule.index]) continue;
    const { spec } = rule;
    // Most rules need words the message does not have: those are ruled out before any work.
    const text = spec.text ? textEvidence.get(rule.index) : undefined;
    if (spec.text && text === undefined) continue;
    const subject = spec.subject ? subjects.get(rule.index) : undefined;
    if (spec.subject && subject === undefined) continue;
    const evidence: string[] = [];
    if (text !== undefined) evidence.push(`"${text}"`);
    if (subject !== undefined) evidence.push(`subject "${subject}"`);
    if (spec.sender) {
      const held = senderHolds(rule, facts, localParts);
      if (held === null) continue;
      evidence.push(held);
    }
    if (spec.calendar) {
      const held = calendarHolds(spec.calendar, rule, facts, locations);
      if (held === null) continue;
      if (held) evidence.push(held);
    }
    if (spec.facts) {
      if (!spec.facts.every((name) => factHolds(name, facts, clauses))) continue;
      evidence.push(...spec.facts);
    }
    signals.push(signalOf(spec, evidence.join("; ")));
  }
  return score(book.scoring, signals);
}

/** Every category at zero (a literal per call: copying a shared object is slower). */
function zeroScores(): Record<Category, number> {
  return {
    not_invitation: 0,
    business_meeting: 0,
    meal_or_drinks: 0,
    outing: 0,
    home_visit: 0,
    family_function: 0,
    objectionable: 0,
    romantic: 0,
    travel: 0,
    social_personal: 0,
    social_professional: 0,
  };
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
  // Signals come strongest first (evaluate sorts them), so the first positive weight seen in a
  // category is its strongest; the sort here keeps score() right for any caller.
  const ordered = [...signals].sort((a, b) => b.weight - a.weight);
  const topic: Record<Category, number> = zeroScores();
  const seen = new Set<Category>();
  let invitation = 0;
  for (const signal of ordered) {
    const category = signal.supports;
    if (category === "invitation") {
      invitation += signal.weight;
    } else if (signal.weight <= 0) {
      topic[category] += signal.weight;
    } else if (!seen.has(category)) {
      seen.add(category);
      topic[category] += signal.weight;
    } else {
      topic[category] += signal.weight * scoring.corroboration;
    }
  }
  invitation = Math.max(0, Math.min(invitation, scoring.invitationCap));
  const strength = Math.min(1, invitation / scoring.fullInvitation);
  const factor = scoring.topicWithoutInvitation + (1 - scoring.topicWithoutInvitation) * strength;

  const scores: Record<Category, number> = zeroScores();
  scores.not_invitation = round(scoring.baseline + topic.not_invitation, 100);
  for (const category of INVITING) {
    const value = topic[category];
    // A category needs a topic of its own; invitation forms alone invite to nothing in particular.
    scores[category] = value > 0 ? round(value * factor + invitation, 100) : 0;
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
    const asInvitation = confidenceOf(
      scores[winner] - scores.not_invitation,
      scoring.invitationScale,
    );
    const asCategory = confidenceOf(scores[winner] - runnerUpInviting, scoring.categoryScale);
    confidence = Math.min(asInvitation, asCategory);
  }

  const behind = ordered.filter(
    (signal) =>
      signal.supports === winner ||
      (signal.supports === "invitation" && winner !== "not_invitation"),
  );
  const reasons: Reason[] = behind.map(reasonOf);
  if (reasons.length === 0) reasons.push(NOTHING_FIRED);
  return { category: winner, confidence: round(confidence), scores, signals: ordered, reasons };
}

// A rule explains itself in the same words every time: one Reason per rule, shared like
// NOTHING_FIRED, rather than one per message (a batch holds thousands).
const reasons = new Map<string, Reason>();

function reasonOf(signal: Signal): Reason {
  const known = reasons.get(signal.id);
  if (known?.explanation === signal.explanation) return known;
  const reason = { rule: signal.id, explanation: signal.explanation };
  if (reasons.size >= 4096) reasons.clear();
  reasons.set(signal.id, reason);
  return reason;
}

function round(value: number, precision = 1000): number {
  return Math.round(value * precision) / precision;
}
