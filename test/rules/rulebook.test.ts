import { describe, expect, it } from "vitest";
import { computeFacts } from "../../functions/core/facts.ts";
import { DEFAULT_SETTINGS } from "../../functions/schemas/settings.ts";
import { builtInRulebook } from "../../rules/classify.ts";
import { compileBuiltInRulebook, compileRulebook, evaluate } from "../../rules/engine.ts";
import { rulebook } from "../../rules/rulebook.ts";
import { type Example, RuleSpec } from "../../rules/schema.ts";
import { messageFromExample } from "./message.ts";

function firedIds(example: Example, enabled?: (id: string) => boolean): string[] {
  const facts = computeFacts(messageFromExample(example), { settings: DEFAULT_SETTINGS });
  return evaluate(builtInRulebook(), facts, enabled ? { enabled } : {}).signals.map(
    (signal) => signal.id,
  );
}

const specs = rulebook.rules.map((rule) => RuleSpec.parse(rule));
const examples = specs.flatMap((spec) =>
  spec.examples.map((example) => ({ id: spec.id, example, label: JSON.stringify(example) })),
);
const counterExamples = specs.flatMap((spec) =>
  spec.counterExamples.map((example) => ({ id: spec.id, example, label: JSON.stringify(example) })),
);

describe("the rulebook", () => {
  it("validates and compiles", () => {
    expect(builtInRulebook().rules.length).toBe(rulebook.rules.length);
  });

  it("gives every rule an explanation that names what it serves", () => {
    for (const spec of specs) {
      if (spec.serves === "—" || spec.supports === "invitation") continue;
      expect(spec.explanation, spec.id).toMatch(/rule [1-5]|romantic|social|professional/i);
    }
  });

  it.each(examples)("$id fires on its worked example $label", ({ id, example }) => {
    expect(firedIds(example)).toContain(id);
  });

  it.each(counterExamples)("$id does not fire on the near miss $label", ({ id, example }) => {
    expect(firedIds(example)).not.toContain(id);
  });

  it("never fires a rule switched off", () => {
    const example = "Poker night at my place Friday — you in?";
    expect(firedIds(example)).toContain("objectionable.poker");
    expect(firedIds(example, (id) => id !== "objectionable.poker")).not.toContain(
      "objectionable.poker",
    );
  });
});

describe("compileRulebook", () => {
  const rule = {
    id: "meal_or_drinks.tea",
    serves: 4,
    supports: "meal_or_drinks",
    weight: 1,
    explanation: "Invitation to tea — rule 4",
    text: { en: ["tea"] },
    examples: ["Tea?"],
  };
  const book = { rules: [rule], falseFriends: [], scoring: rulebook.scoring };

  it("holds the built-in rulebook to the schema, which its start-up compile skips", () => {
    const checked = compileRulebook(rulebook);
    const unchecked = compileBuiltInRulebook(rulebook);
    expect(unchecked.rules.map((compiled) => compiled.spec)).toEqual(
      checked.rules.map((compiled) => compiled.spec),
    );
    expect(unchecked.scoring).toEqual(checked.scoring);
  });

  it("accepts a small valid rulebook", () => {
    expect(compileRulebook(book).rules).toHaveLength(1);
  });

  it.each([
    ["duplicate ids", { ...book, rules: [rule, rule] }, /unique/],
    ["a rule without conditions", { ...book, rules: [{ ...rule, text: undefined }] }, /condition/],
    ["a rule without examples", { ...book, rules: [{ ...rule, examples: [] }] }, /examples/],
    ["an unknown category", { ...book, rules: [{ ...rule, supports: "picnic" }] }, /supports/],
    ["a zero weight", { ...book, rules: [{ ...rule, weight: 0 }] }, /weight/],
    ["an empty phrase list", { ...book, rules: [{ ...rule, text: {} }] }, /phrases/],
  ])("rejects %s, naming the problem", (_name, input, message) => {
    expect(() => compileRulebook(input)).toThrow(message);
  });
});
