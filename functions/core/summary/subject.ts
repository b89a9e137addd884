import { plural } from "./labels.ts";
import type { SummaryModel } from "./model.ts";

/**
 * The subject: numbers only, never text from mail, so nothing a sender wrote reaches a header.
 * "Decorum — your week: 7 invitations, 3 drafts waiting".
 */
export function summarySubject(model: SummaryModel): string {
  const { numbers, attention } = model;
  if (model.empty) return "Decorum — your week: no invitations";
  const parts = [plural(numbers.invitations, "invitation")];
  if (numbers.draftsWaiting) parts.push(`${plural(numbers.draftsWaiting, "draft")} waiting`);
  const review = attention.review.items.length + attention.review.more;
  if (review > 0) parts.push(`${review} to review`);
  return `Decorum — your week: ${parts.join(", ")}`;
}
