import { GoogleError } from "../adapters/google/errors.ts";
import type { GmailPort } from "../adapters/google/ports.ts";
import type { Action } from "../core/vocabulary.ts";

/**
 * The Gmail labels that mark the invitations Decorum handled: "Decorum" and one sub-label per
 * outcome. Gmail nests "Decorum/Declined" under "Decorum" by name, so the parent is created too;
 * a message gets only the sub-label that says what happened.
 */
export const LABELS = {
  root: "Decorum",
  declined: "Decorum/Declined",
  review: "Decorum/Review",
  accepted: "Decorum/Accepted",
  ignored: "Decorum/Ignored",
} as const;

export type LabelName = (typeof LABELS)[keyof typeof LABELS];

const ALL_LABELS: LabelName[] = Object.values(LABELS);

export function labelFor(action: Action): LabelName {
  switch (action) {
    case "decline":
    case "decline_firmly":
      return LABELS.declined;
    case "review":
      return LABELS.review;
    case "accept":
      return LABELS.accepted;
    case "ignore":
      return LABELS.ignored;
    case "none":
      return LABELS.root;
  }
}

/**
 * Label ids of one mailbox, looked up (and the missing labels created) once and then kept: a
 * warm worker labels without listing labels again. Forgotten when Gmail refuses an id (the owner
 * deleted the label), so the next use recreates it.
 */
export class LabelCache {
  #ids: Promise<Record<string, string>> | undefined;

  ids(gmail: GmailPort): Promise<Record<string, string>> {
    this.#ids ??= gmail.ensureLabels(ALL_LABELS).catch((error: unknown) => {
      this.#ids = undefined;
      throw error;
    });
    return this.#ids;
  }

  forget(): void {
    this.#ids = undefined;
  }
}

/** Puts the outcome's label on a message; adding a label it already has changes nothing. */
export async function labelMessage(
  gmail: GmailPort,
  cache: LabelCache,
  messageId: string,
  action: Action,
): Promise<void> {
  const name = labelFor(action);
  for (let attempt = 1; ; attempt++) {
    const id = (await cache.ids(gmail))[name];
    if (!id) throw new Error(`Gmail did not create the label ${name}`);
    try {
      await gmail.modifyLabels(messageId, { add: [id], remove: [] });
      return;
    } catch (error) {
      // The message was deleted meanwhile: nothing left to mark.
      if (error instanceof GoogleError && error.kind === "not_found") return;
      const stale = error instanceof GoogleError && error.kind === "bad_request" && attempt === 1;
      if (!stale) throw error;
      cache.forget();
    }
  }
}
