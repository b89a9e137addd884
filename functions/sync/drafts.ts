import { POLICY_RULES } from "../../rules/policy.ts";
import { GoogleError } from "../adapters/google/errors.ts";
import type { CreatedDraft, DraftRef, GmailPort } from "../adapters/google/ports.ts";
import type { DraftState, LedgerRecord } from "../core/ledger.ts";
import type { Draft, ParsedMessage } from "../core/model.ts";
import { parseEmail } from "../core/parse/email.ts";
import { composeReply, ReplyError, replyKindFor } from "../core/reply/index.ts";
import { stableHash } from "../core/triage.ts";
import { FREQUENCY_CATEGORIES } from "../core/vocabulary.ts";
import type { Settings } from "../schemas/settings.ts";
import type { DraftLedger, DraftStatus, SyncStep } from "./context.ts";

/**
 * At most one reply draft per invitation, whatever crashes and retries happen. The ledger record
 * carries the draft's state and every move is a conditional write:
 *
 *   decided ──claimDraft──▶ drafting ──drafts.create──▶ (draft exists) ──▶ drafted
 *
 * - "decided": nobody has begun; exactly one caller wins the claim.
 * - "drafting": drafts.create may or may not have happened (a crash, a timeout, a reset socket
 *   after Gmail acted). The sync holding the account's lease is the only one that can see this
 *   state while nobody works on it, so it looks in Gmail for a draft in the invitation's thread
 *   replying to the invitation's Message-ID (for a Calendar-only invitation, with no thread or
 *   Message-ID: a draft to the same recipient with the same subject) and adopts it, or creates
 *   one.
 * - "drafted": done; never touched again.
 */

export interface EnsureDraftInput {
  ledger: DraftLedger;
  gmail: GmailPort;
  key: string;
  state: DraftState;
  /** The invitation's Gmail thread; null for a Calendar-only invitation (a new thread). */
  threadId: string | null;
  /** The reply; composed again on a retry, when the first one was never stored. */
  compose: () => Promise<Draft | null>;
  dryRun: boolean;
  now: () => Date;
  step: (step: SyncStep) => Promise<void>;
}

export interface DraftResult {
  status: DraftStatus;
  draftId?: string;
}

/** How many drafts a Calendar-only recovery opens at most (newest first) looking for its own. */
const MAX_UNTHREADED_CANDIDATES = 50;

export async function ensureDraft(input: EnsureDraftInput): Promise<DraftResult> {
  const { ledger, key } = input;
  let state = input.state;
  // A lost claim means the state moved under us: read it once more and follow it.
  for (let round = 0; round < 3; round++) {
    switch (state.state) {
      case "none":
        return { status: "none" };
      case "drafted":
        return { status: "already", draftId: state.draftId };
      case "decided": {
        if (input.dryRun) return { status: "dry_run" };
        if (!(await ledger.claimDraft(key))) {
          state = (await ledger.lookup(key, null)).existing?.draft ?? { state: "none" };
          continue;
        }
        await input.step("claimed");
        const draft = await input.compose();
        if (!draft) return giveUp(input);
        return create(input, draft);
      }
      case "drafting": {
        const draft = await input.compose();
        if (!draft) return giveUp(input);
        const found = await findOwnDraft(input.gmail, input.threadId, draft);
        if (found) {
          await record(input, {
            draftId: found.id,
            messageId: found.messageId,
            threadId: found.threadId,
          });
          return { status: "found", draftId: found.id };
        }
        return create(input, draft);
      }
    }
  }
  return { status: "none" };
}

async function create(input: EnsureDraftInput, draft: Draft): Promise<DraftResult> {
  const created = await input.gmail.createDraft({
    ...(input.threadId ? { threadId: input.threadId } : {}),
    raw: draft.raw,
  });
  await input.step("drafted");
  await record(input, created);
  return { status: "created", draftId: created.draftId };
}

async function record(input: EnsureDraftInput, created: CreatedDraft): Promise<void> {
  await input.ledger.setDraftState(input.key, {
    state: "drafted",
    draftId: created.draftId,
    threadId: created.threadId,
    at: input.now().toISOString(),
  });
  await input.step("draft-recorded");
}

/** The reply can no longer be written (the settings changed so nobody is left to answer). */
async function giveUp(input: EnsureDraftInput): Promise<DraftResult> {
  await input.ledger.setDraftState(input.key, { state: "none" });
  return { status: "impossible" };
}

/**
 * A draft Decorum created earlier for this reply, if Gmail has one: in the thread, answering
 * the same Message-ID; or, without a thread, to the same recipient under the same subject.
 */
export async function findOwnDraft(
  gmail: GmailPort,
  threadId: string | null,
  draft: Pick<Draft, "to" | "subject" | "inReplyTo">,
): Promise<DraftRef | null> {
  const drafts = await gmail.listDrafts();
  const candidates = threadId
    ? drafts.filter((candidate) => candidate.threadId === threadId)
    : drafts.slice(0, MAX_UNTHREADED_CANDIDATES);
  for (const candidate of candidates) {
    let raw: Uint8Array;
    try {
      raw = (await gmail.getRawMessage(candidate.messageId)).raw;
    } catch (error) {
      if (error instanceof GoogleError && error.kind === "not_found") continue;
      throw error;
    }
    const parsed = await parseEmail(raw, `draft:${candidate.id}`);
    if (matches(parsed, draft)) return candidate;
  }
  return null;
}

function matches(
  parsed: ParsedMessage,
  draft: Pick<Draft, "to" | "subject" | "inReplyTo">,
): boolean {
  if (draft.inReplyTo) return parsed.inReplyTo === draft.inReplyTo;
  return (
    parsed.inReplyTo === null &&
    parsed.to.some((box) => box.address === draft.to.toLowerCase()) &&
    parsed.subject === draft.subject
  );
}

/**
 * The reply for a recorded invitation, written again the way triage first wrote it (same kind,
 * language and phrasing choice), for a retry that finds the draft decided or drafting.
 */
export async function recomposeDraft(input: {
  record: LedgerRecord;
  message: ParsedMessage;
  settings: Settings;
  ledger: DraftLedger;
  now: Date;
}): Promise<Draft | null> {
  const { record, message, settings, ledger, now } = input;
  const kind = replyKindFor(record.category, record.action);
  if (!kind) return null;
  let variant = stableHash(record.key);
  const frequency = record.reasons.some((reason) => reason.rule === POLICY_RULES.frequency);
  if (frequency && record.client) {
    const at = new Date(record.receivedAt);
    const windowMs = settings.frequency.windowDays * 24 * 60 * 60 * 1000;
    const earlier = await ledger.countInvitations(record.client, {
      from: new Date(at.getTime() - windowMs),
      to: at,
      categories: FREQUENCY_CATEGORIES,
    });
    variant = stableHash(record.client) + earlier;
  }
  try {
    return await composeReply({ message, kind, language: record.language, settings, variant, now });
  } catch (error) {
    if (error instanceof ReplyError) return null;
    throw error;
  }
}
