import type { Action, Category } from "../vocabulary.ts";
import { displayText } from "./html.ts";

/** How the summary names each category, for people. */
export const CATEGORY_LABELS: Record<Category, string> = {
  not_invitation: "Not invitations",
  business_meeting: "Business meetings",
  meal_or_drinks: "Meals and drinks",
  outing: "Outings",
  home_visit: "Home visits",
  family_function: "Family functions",
  objectionable: "Objectionable",
  romantic: "Romantic",
  travel: "Travel",
  social_personal: "Personal social networks",
  social_professional: "Professional networks",
};

/** What Decorum did, in the owner's words. */
export const ACTION_LABELS: Record<Action, string> = {
  none: "No action",
  accept: "Accepted",
  decline: "Declined politely",
  decline_firmly: "Declined firmly",
  ignore: "Ignored",
  review: "Left for you",
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Ana Ruiz <ana@client.example>", or whichever half exists, as display text (not escaped). */
export function senderText(name: string, address: string): string {
  const cleanName = displayText(name, 60);
  const cleanAddress = displayText(address, 80);
  if (cleanName && cleanAddress) return `${cleanName} <${cleanAddress}>`;
  return cleanName || cleanAddress || "unknown sender";
}
