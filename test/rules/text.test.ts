import { describe, expect, it } from "vitest";
import { compilePhrase, fold, PhraseSet, phraseProblem, tokenize } from "../../rules/text.ts";

function matches(phrase: string, text: string): string[] {
  const set = new PhraseSet<string>();
  set.add(phrase, "rule");
  const tokens = tokenize(fold(text));
  return set.matches(tokens).map((match) => tokens.words.slice(match.start, match.end).join(" "));
}

describe("fold", () => {
  it.each([
    ["Déjeuner à l’hôtel", "dejeuner a l'hotel"],
    ["Straße — Grüße", "strasse - grusse"],
    ["¿CENAMOS?", "¿cenamos?"],
    ["plain ascii", "plain ascii"],
  ])("folds %s to %s", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });
});

describe("tokenize", () => {
  it("splits words at apostrophes, hyphens and dots, and keeps ? ! . as tokens", () => {
    expect(tokenize(fold("Let's grab drinks at zoom.us — you in?")).words).toEqual([
      "let",
      "s",
      "grab",
      "drinks",
      "at",
      "zoom",
      ".",
      "us",
      "you",
      "in",
      "?",
    ]);
  });

  it("records where each token sits", () => {
    const tokens = tokenize("hi there");
    expect(tokens.starts).toEqual([0, 3]);
    expect(tokens.ends).toEqual([2, 8]);
  });
});

describe("the phrase language", () => {
  it.each([
    ["would you like to", "Would you like to come?", ["would you like to"]],
    ["invit*", "You are invited", ["invited"]],
    ["*feier", "Unsere Weihnachtsfeier", ["weihnachtsfeier"]],
    ["#pm", "See you at 7pm", ["7pm"]],
    ["(this|next) friday", "next Friday works", ["next friday"]],
    ["kann [leider] nicht", "ich kann nicht", ["kann nicht"]],
    ["kann [leider] nicht", "ich kann leider nicht", ["kann leider nicht"]],
    ["kann ... nicht", "ich kann am Freitag leider nicht", ["kann am freitag leider nicht"]],
    ["you in ?", "Poker Friday, you in?", ["you in ?"]],
    ["let s go", "Let’s go!", ["let s go"]],
    ["/\\d+ elm st/", "14 Elm St", ["14 elm st"]],
  ])("%s matches in %s", (phrase, text, expected) => {
    expect(matches(phrase, text)).toEqual(expected);
  });

  it.each([
    ["bar", "a barbecue"],
    ["party", "third-partying"],
    ["kann ... nicht", "ich kann. Wirklich nicht"],
    ["you in ?", "are you in the office"],
  ])("%s does not match in %s", (phrase, text) => {
    expect(matches(phrase, text)).toEqual([]);
  });

  it.each([
    ["(es-tu|etes-vous) libre", /exactly one word/],
    ["[maybe] lunch", /start with a required word/],
    ["(unclosed lunch", /unbalanced/],
    ["/(?:broken/", /not a valid regular expression/],
    ["/a*/", /matches empty text/],
    ["/half", /starts or ends with "\/"/],
  ])("rejects %s, saying why", (phrase, message) => {
    expect(phraseProblem(phrase)).toMatch(message);
    expect(() => compilePhrase(phrase)).toThrow(message);
  });
});
