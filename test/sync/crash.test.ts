import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_STEPS, type SyncStep } from "../../functions/sync/context.ts";
import {
  addAccount,
  headersOf,
  inDays,
  invitationEvent,
  ledgerRecords,
  mail,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

/**
 * Crash injection: the step hook throws once, right after one step of processing, for one
 * invitation. The queue receives the job again (as SQS would after the visibility timeout) and
 * the retry must leave exactly one ledger record and exactly one draft, whichever step failed.
 */

/** Every step a Gmail sync passes. */
const GMAIL_STEPS: readonly SyncStep[] = SYNC_STEPS;
const CALENDAR_STEPS: SyncStep[] = [
  "recorded",
  "claimed",
  "drafted",
  "draft-recorded",
  "before-cursor",
  "cursor-saved",
];

const emailOf = (kind: string, step: string) => `${kind}-${step}@crash.example`;

let world: SyncWorld;
beforeAll(async () => {
  const users = [
    ...GMAIL_STEPS.map((step) => emailOf("gmail", step)),
    ...CALENDAR_STEPS.map((step) => emailOf("calendar", step)),
  ];
  world = await startSyncWorld({ users });
});
afterAll(async () => {
  await world?.close();
});

/** Arms a one-shot crash after `step` in syncs of `accountId`. */
function crashOnce(accountId: string, step: SyncStep): { fired: () => boolean } {
  let fired = false;
  world.hooks.afterStep = (at, detail) => {
    if (!fired && at === step && detail.accountId === accountId) {
      fired = true;
      throw new Error(`injected crash after ${step}`);
    }
  };
  return { fired: () => fired };
}

describe("a crash after each step of a Gmail sync, then a retry", () => {
  it.each(GMAIL_STEPS)("after %s: one record, one draft, in the thread", async (step) => {
    const email = emailOf("gmail", step);
    const accountId = `acct-gmail-${step}`;
    const { ledger } = await addAccount(world, { accountId, email });
    const creates = () =>
      world.emulator.calls.filter(
        (c) => c.user === email && c.method === "gmail.users.drafts.create",
      ).length;
    const crash = crashOnce(accountId, step);
    const messageId = `crash-${step}@harbourbank.example`;
    const delivered = await world.emulator.deliverMessage(
      email,
      mail({ ...TEXTS.poker, to: email, messageId }),
    );
    await world.settle();
    world.hooks.afterStep = null;

    expect(crash.fired()).toBe(true);
    expect(world.failures.some((f) => f.job.accountId === accountId)).toBe(true);
    expect(world.queue.deadLetters).toEqual([]);
    const records = await ledgerRecords(ledger);
    expect(records).toHaveLength(1);
    const drafts = world.emulator.state(email).drafts;
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.message.threadId).toBe(delivered.threadId);
    expect(headersOf(drafts[0]?.message.raw ?? "")["in-reply-to"]).toBe(`<${messageId}>`);
    expect(records[0]?.draft).toMatchObject({ state: "drafted", draftId: drafts[0]?.id });
    // A crash after drafts.create is recovered by finding that draft, not by making another.
    expect(creates()).toBe(1);
  });
});

describe("a crash after each step of a Calendar sync, then a retry", () => {
  it.each(CALENDAR_STEPS)("after %s: one record, one draft", async (step) => {
    const email = emailOf("calendar", step);
    const accountId = `acct-calendar-${step}`;
    const { ledger } = await addAccount(world, { accountId, email });
    const crash = crashOnce(accountId, step);
    await world.emulator.upsertEvent(
      email,
      invitationEvent({
        iCalUID: `crash-${step}@harbourbank.example`,
        owner: email,
        summary: TEXTS.poker.subject,
        description: TEXTS.poker.body,
        start: inDays(5),
      }),
    );
    await world.settle();
    world.hooks.afterStep = null;

    expect(crash.fired()).toBe(true);
    expect(world.queue.deadLetters).toEqual([]);
    const records = await ledgerRecords(ledger);
    expect(records).toHaveLength(1);
    const drafts = world.emulator.state(email).drafts;
    expect(drafts).toHaveLength(1);
    expect(records[0]?.draft).toMatchObject({ state: "drafted", draftId: drafts[0]?.id });
  });
});
