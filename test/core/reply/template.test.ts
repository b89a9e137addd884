import { describe, expect, it } from "vitest";
import { reviewPhrasing } from "../../../functions/core/reply/preview.ts";
import {
  fillTemplate,
  PLACEHOLDERS,
  partnerWordIn,
  unknownPlaceholders,
} from "../../../functions/core/reply/template.ts";
import type { Language } from "../../../functions/core/vocabulary.ts";

const VALUES = {
  firstName: "Jane",
  invitation: "your invitation",
  event: "“Golf”",
  day: "",
  thatTime: "that evening",
  partner: "my partner",
  owner: "Alex",
};

describe("fillTemplate", () => {
  it("replaces every documented placeholder", () => {
    const template = Object.keys(PLACEHOLDERS)
      .map((name) => `{${name}}`)
      .join(" | ");
    expect(fillTemplate(template, VALUES, "en")).toBe(
      "Jane | your invitation | “Golf” | | that evening | my partner | Alex",
    );
  });

  it("tidies the gap an empty placeholder leaves", () => {
    expect(fillTemplate("See you {day}, {firstName}.", VALUES, "en")).toBe("See you, Jane.");
    expect(fillTemplate("Thanks for {invitation} {day}.", VALUES, "en")).toBe(
      "Thanks for your invitation.",
    );
  });

  it.each<[string, Language, string]>([
    ["{partner} and I are away.", "en", "My partner and I are away."],
    ["Sorry. {partner} and I are away.", "en", "Sorry. My partner and I are away."],
    ["Sorry!\n{partner} and I are away.", "en", "Sorry!\nMy partner and I are away."],
    ["Sorry, {partner} and I are away.", "en", "Sorry, my partner and I are away."],
    ["¿{partner} y yo?", "es", "¿Mi pareja y yo?"],
    ["{partner} und ich sind verreist.", "de", "mein Partner und ich sind verreist."],
    [
      "Leider. {partner} und ich sind verreist.",
      "de",
      "Leider. Mein Partner und ich sind verreist.",
    ],
  ])("capitalises a placeholder that opens a sentence: %j", (template, language, expected) => {
    const partner = { en: "my partner", es: "mi pareja", fr: "mon conjoint", de: "mein Partner" };
    expect(fillTemplate(template, { ...VALUES, partner: partner[language] }, language)).toBe(
      expected,
    );
  });

  it("leaves an unknown placeholder visible for the owner to notice", () => {
    expect(fillTemplate("Hello {nickname}", VALUES, "en")).toBe("Hello {nickname}");
  });

  it("uses no-break spaces in French before ; : ! ? and inside « », but not inside 19:00", () => {
    const filled = fillTemplate(
      "Merci pour « Golf » ! Rendez-vous à 19:00 ; d'accord ?",
      VALUES,
      "fr",
    );
    expect(filled).toBe(
      "Merci pour «\u00a0Golf\u00a0»\u00a0! Rendez-vous à 19:00\u00a0; d'accord\u00a0?",
    );
  });
});

describe("unknownPlaceholders", () => {
  it("lists only placeholders Decorum does not fill", () => {
    expect(unknownPlaceholders("Hi {firstName}, {name} and {name} at {venue}")).toEqual([
      "{name}",
      "{venue}",
    ]);
  });
});

describe("partnerWordIn", () => {
  it.each<[string, Language, string]>([
    ["my partner", "en", "my partner"],
    ["my partner", "es", "mi pareja"],
    ["my partner", "fr", "mon conjoint"],
    ["my partner", "de", "mein Partner"],
    ["My wife", "fr", "ma femme"],
    ["my husband", "de", "mein Mann"],
    ["ma femme", "en", "my wife"],
    ["mi marido", "fr", "mon mari"],
    ["meine Familie", "es", "mi familia"],
    ["my better half", "de", "my better half"],
  ])("%j in %s is %j", (word, language, expected) => {
    expect(partnerWordIn(word, language)).toBe(expected);
  });
});

describe("reviewPhrasing", () => {
  it.each<[string, Language, string[]]>([
    ["You've invited me three times, so per our policy I decline.", "en", ["policy", "times"]],
    ["Gracias, pero según nuestra política no puedo otra vez.", "es", ["política", "otra vez"]],
    ["Merci, mais c'est la troisième invitation, règle oblige.", "fr", ["règle", "troisième"]],
    ["Danke, aber gemäß unserer Richtlinie nicht schon wieder.", "de", ["Richtlinie", "wieder"]],
    ["Thank you for {invitation}; {partner} and I are busy {thatTime}.", "en", []],
  ])("flags revealing words in %j", (phrasing, language, expected) => {
    expect(reviewPhrasing(phrasing, language).revealingWords.sort()).toEqual(expected.sort());
  });

  it("flags digits and unknown placeholders", () => {
    expect(reviewPhrasing("Thanks {name}, that is 3 in a row", "en")).toEqual({
      unknownPlaceholders: ["{name}"],
      revealingWords: [],
      hasDigits: true,
    });
  });
});
