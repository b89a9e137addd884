import { markers, ordinary } from "./book/context.ts";
import { falseFriends } from "./book/false-friends.ts";
import { invitation } from "./book/invitation.ts";
import { objectionable, romantic, travel } from "./book/personal.ts";
import { family, home, meal, outing, outingVenue } from "./book/social-events.ts";
import { business, social } from "./book/work-and-social.ts";
import type { RulebookInput } from "./schema.ts";

/**
 * Decorum's rulebook as data: the rules live in rules/book/, one file per part of the etiquette,
 * each entry a small named signal a person can read and edit. When a rule's conditions hold it
 * adds its weight to a category (or, for "invitation" signals, to whatever invitation topic is
 * found); the strongest category wins and the signals that fired become the explanation.
 *
 * Phrase syntax: see rules/text.ts. Every rule lists worked examples that must fire it — the
 * tests check them all. Weights follow the precedence a person applies when several fit:
 *   7     romance ("I'd love to cook for you" is romantic, wherever it happens)
 *   6     objectionable (poker at a client's home is objectionable)
 *   4.5–5 family functions (a confirmation with lunch at the house is a family function)
 *   4     home visits (a dinner at their place is a home visit)
 *   3     travel, and the social networks
 *   2–2.5 outings, then meals and drinks (golf with lunch after is golf)
 *   1–2   invitation forms, business vocabulary, tense, negation and mass-mail markers
 *   0.5   weak cues (a question to the reader, a time named)
 */

export { falseFriends };

export const scoring = {
  baseline: 1,
  corroboration: 0.5,
  topicWithoutInvitation: 0.6,
  fullInvitation: 1.5,
  invitationCap: 2.5,
  invitationScale: 1.2,
  categoryScale: 0.6,
};

/** The whole rulebook, in the order a person reads it. */
export const rulebook: RulebookInput = {
  rules: [
    ...invitation,
    ...markers,
    ...meal,
    ...outing,
    ...outingVenue,
    ...home,
    ...family,
    ...objectionable,
    ...romantic,
    ...travel,
    ...social,
    ...business,
    ...ordinary,
  ],
  falseFriends,
  scoring,
};
