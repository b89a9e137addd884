import { describe, expect, it } from "vitest";
import type { ParsedMessage } from "../../functions/core/model.ts";
import type { Category, Language } from "../../functions/core/vocabulary.ts";
import { DEFAULT_SETTINGS, parseSettings } from "../../functions/schemas/settings.ts";
import { classify, classifyDetailed } from "../../rules/classify.ts";
import { BASE_EVENT, emailWith } from "./message.ts";

interface Case {
  text: string;
  subject?: string;
  category: Category;
  language?: Language;
}

const positives: Case[] = [
  { text: "Would you like to grab dinner on Friday?", category: "meal_or_drinks" },
  { text: "Drinks after work Thursday? My treat.", category: "meal_or_drinks" },
  { text: "¿Te apetece tomar un café el lunes?", category: "meal_or_drinks", language: "es" },
  { text: "Ça te dirait un déjeuner jeudi ?", category: "meal_or_drinks", language: "fr" },
  {
    text: "Hättest du Lust auf ein Abendessen am Freitag?",
    category: "meal_or_drinks",
    language: "de",
  },
  { text: "I have box seats for the game on Sunday — want to come?", category: "outing" },
  { text: "Join us at our holiday party on December 12!", category: "outing" },
  {
    text: "¿Te vienes al partido del domingo? Tengo entradas.",
    category: "outing",
    language: "es",
  },
  { text: "Une partie de golf samedi, ça vous tente ?", category: "outing", language: "fr" },
  { text: "Kommst du zu unserer Weihnachtsfeier?", category: "outing", language: "de" },
  {
    text: "Would you like to come over for a barbecue at our place on Saturday?",
    category: "home_visit",
  },
  { text: "¿Vienes a cenar a casa el sábado?", category: "home_visit", language: "es" },
  { text: "Un dîner chez nous samedi soir ?", category: "home_visit", language: "fr" },
  {
    text: "Wir grillen am Samstag bei uns zu Hause — komm doch vorbei!",
    category: "home_visit",
    language: "de",
  },
  {
    text: "We'd be honoured if you came to our daughter's wedding in June.",
    category: "family_function",
  },
  {
    text: "Our son's bar mitzvah is on the 14th and we hope you can join us.",
    category: "family_function",
  },
  {
    text: "Nos casamos en mayo y nos encantaría que vinieras a la boda.",
    category: "family_function",
    language: "es",
  },
  {
    text: "Nous serions ravis de vous voir au baptême de notre fils.",
    category: "family_function",
    language: "fr",
  },
  {
    text: "Wir laden Sie herzlich zur Konfirmation unserer Tochter ein.",
    category: "family_function",
    language: "de",
  },
  { text: "Poker night at my place Friday — you in?", category: "objectionable" },
  { text: "After dinner we're hitting a strip club, you should come.", category: "objectionable" },
  { text: "¿Vamos al casino el sábado por la noche?", category: "objectionable", language: "es" },
  { text: "Would you go out with me sometime? On a date, I mean.", category: "romantic" },
  { text: "Me gustas mucho. ¿Quieres salir conmigo?", category: "romantic", language: "es" },
  { text: "Join us at the fintech conference in Lisbon next month?", category: "travel" },
  { text: "Kommen Sie mit auf die Geschäftsreise nach Wien?", category: "travel", language: "de" },
  { text: "Add me on Facebook so you can see the holiday photos!", category: "social_personal" },
  {
    text: "I'd like to add you to my professional network on LinkedIn.",
    category: "social_professional",
  },
  {
    text: "Can we set up a meeting on Tuesday to discuss the proposal?",
    category: "business_meeting",
  },
];

// Hard negatives: these mention invitations without making one.
const negatives: Case[] = [
  {
    text: "Thanks for having me at the wedding last week, it was lovely.",
    category: "not_invitation",
  },
  { text: "Sorry, I can't make drinks tonight.", category: "not_invitation" },
  { text: "Sorry to cancel our lunch — something came up.", category: "not_invitation" },
  { text: "Dinner last night was wonderful, thank you again.", category: "not_invitation" },
  {
    text: "Please note the indemnity applies to any party to the contract.",
    category: "not_invitation",
  },
  { text: "We will not share your data with any third party.", category: "not_invitation" },
  {
    text: "Our happy hour pricing runs from 4 to 6pm for all customers.",
    category: "not_invitation",
  },
  { text: "I'll send the conference call details shortly.", category: "not_invitation" },
  { text: "Please update the link on our home page.", category: "not_invitation" },
  { text: "Muchas gracias por la cena de anoche, lo pasamos genial.", category: "not_invitation" },
  { text: "Merci pour le dîner d'hier, c'était parfait.", category: "not_invitation" },
  { text: "Leider kann ich heute Abend nicht zum Essen kommen.", category: "not_invitation" },
  {
    text: "Sounds great, see you there!",
    subject: "Re: Dinner Friday?",
    category: "not_invitation",
  },
  { text: "Attached is the invoice for March.", category: "not_invitation" },
];

describe("classify", () => {
  it.each(positives)("classifies '$text' as $category", ({ text, subject, category, language }) => {
    const result = classify(emailWith(text, { subject: subject ?? "" }), DEFAULT_SETTINGS);
    expect(result.category).toBe(category);
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.reviewBelow);
    if (language) expect(result.language).toBe(language);
  });

  it.each(negatives)("does not read '$text' as an invitation", ({ text, subject, category }) => {
    expect(classify(emailWith(text, { subject: subject ?? "" }), DEFAULT_SETTINGS).category).toBe(
      category,
    );
  });

  it("explains itself with the rules that fired", () => {
    const result = classify(
      emailWith("Poker night at my place Friday — you in?"),
      DEFAULT_SETTINGS,
    );
    expect(result.reasons[0]).toEqual({
      rule: "objectionable.poker",
      explanation:
        "Invitation to a poker game — rule 4: decline firmly and gently, so these invitations end",
    });
  });

  it("ignores an invitation that is only in the quoted history", () => {
    const reply = emailWith("Thanks, I'll forward the signed copy tomorrow.", {
      subject: "Re: Dinner at our place?",
      text: "Thanks, I'll forward the signed copy tomorrow.\n\n> Dinner at our place Saturday?",
      quotedText: "Dinner at our place Saturday?",
    });
    expect(classify(reply, DEFAULT_SETTINGS).category).toBe("not_invitation");
  });

  it("reads a forward passed on by an assistant as the invitation", () => {
    const forward = emailWith("FYI — see below from Mr. Lee.", {
      subject: "Fwd: Poker night",
      forwarded: true,
      quotedText: "Poker night at my place Friday, you in?",
    });
    const detail = classifyDetailed(forward, DEFAULT_SETTINGS);
    expect(detail.facts.forwardCounts).toBe(true);
    expect(detail.classification.category).toBe("objectionable");
  });

  it("reads a forward with a long note of its own as that note", () => {
    const note = Array.from(
      { length: 12 },
      () => "Here is the revised budget for the project.",
    ).join(" ");
    const forward = emailWith(note, {
      subject: "Fwd: Poker night",
      forwarded: true,
      quotedText: "Poker night at my place Friday, you in?",
    });
    const detail = classifyDetailed(forward, DEFAULT_SETTINGS);
    expect(detail.facts.forwardCounts).toBe(false);
    expect(detail.classification.category).not.toBe("objectionable");
  });

  it("reads a personal social network's notification as social_personal despite bulk headers", () => {
    const notification = emailWith("Ana Ruiz sent you a friend request.", {
      from: { address: "notification@facebookmail.com", name: "Facebook" },
      headers: { "list-unsubscribe": "<https://facebook.com/unsub>" },
    });
    expect(classify(notification, DEFAULT_SETTINGS).category).toBe("social_personal");
  });

  it("reads a newsletter's gala announcement as not an invitation", () => {
    const newsletter = emailWith("Join us at our annual gala! Tickets on sale now. Unsubscribe.", {
      from: { address: "news@client.example", name: "Client News" },
      headers: { "list-unsubscribe": "<mailto:unsub@client.example>", precedence: "bulk" },
    });
    expect(classify(newsletter, DEFAULT_SETTINGS).category).toBe("not_invitation");
  });

  it.each([
    [{ localHour: 10, localWeekday: 2, summary: "Project review" }, "business_meeting"],
    [{ localHour: 19, localWeekday: 5, summary: "Dinner" }, "meal_or_drinks"],
    [
      { localHour: 19, localWeekday: 6, summary: "Get-together", location: "Our house" },
      "home_visit",
    ],
    [
      { localHour: 20, localWeekday: 5, summary: "Night out", location: "Bellagio Casino" },
      "objectionable",
    ],
    [{ method: "CANCEL", summary: "Dinner" }, "not_invitation"],
  ] as const)("classifies the calendar invitation %o as %s", (event, category) => {
    const message: ParsedMessage = emailWith("", {
      kind: "calendar",
      events: [{ ...BASE_EVENT, ...event }],
    });
    expect(classify(message, DEFAULT_SETTINGS).category).toBe(category);
  });

  it("does not triage the owner's own mail", () => {
    const settings = parseSettings({ owner: { email: "alex@firm.example" } });
    const own = emailWith("Dinner at my place Friday?", {
      from: { address: "alex@firm.example", name: "Alex" },
    });
    const result = classify(own, settings);
    expect(result.category).toBe("not_invitation");
    expect(result.reasons[0]?.explanation).toMatch(/own mail/);
  });

  it("lets a person switch a rule off", () => {
    const message = emailWith("Poker night at my place Friday — you in?");
    const settings = parseSettings({ rules: { "objectionable.poker": false } });
    expect(classify(message, settings).category).toBe("home_visit");
  });
});
