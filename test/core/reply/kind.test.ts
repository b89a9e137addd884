import { describe, expect, it } from "vitest";
import { replyKindFor } from "../../../functions/core/reply/compose.ts";
import {
  ACTIONS,
  type Action,
  CATEGORIES,
  type Category,
} from "../../../functions/core/vocabulary.ts";

describe("replyKindFor", () => {
  it.each<[Category, Action, string]>([
    ["meal_or_drinks", "decline", "frequency"],
    ["outing", "decline", "frequency"],
    ["home_visit", "decline", "home_visit"],
    ["objectionable", "decline_firmly", "objectionable"],
    ["romantic", "decline_firmly", "romantic"],
    // Owner overrides can pair a category with a decline it has no wording of its own for.
    ["objectionable", "decline", "objectionable"],
    ["romantic", "decline", "romantic"],
    ["home_visit", "decline_firmly", "home_visit"],
    ["meal_or_drinks", "decline_firmly", "objectionable"],
    ["outing", "decline_firmly", "objectionable"],
    ["family_function", "decline", "frequency"],
    ["travel", "decline", "frequency"],
    ["business_meeting", "decline", "frequency"],
    ["social_personal", "decline_firmly", "objectionable"],
    ["travel", "decline_firmly", "objectionable"],
  ])("%s + %s → %s", (category, action, kind) => {
    expect(replyKindFor(category, action)).toBe(kind);
  });

  const quiet = ACTIONS.filter((action) => action !== "decline" && action !== "decline_firmly");
  it.each(CATEGORIES.flatMap((category) => quiet.map((action) => [category, action] as const)))(
    "%s + %s drafts nothing",
    (category, action) => {
      expect(replyKindFor(category, action)).toBeNull();
    },
  );
});
