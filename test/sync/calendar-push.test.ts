import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelTokenMatches } from "../../functions/sync/push-directory.ts";
import {
  addAccount,
  CLIENT,
  headersOf,
  inDays,
  invitationEvent,
  labelNames,
  ledgerRecords,
  mail,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

const USERS = {
  cal: "cal@morganadvisory.example",
  dedupe: "dedupe@morganadvisory.example",
  renew: "renew@morganadvisory.example",
};

let world: SyncWorld;
let ledger: Awaited<ReturnType<typeof addAccount>>["ledger"];
beforeAll(async () => {
  world = await startSyncWorld({ users: Object.values(USERS) });
  ({ ledger } = await addAccount(world, { accountId: "acct-cal", email: USERS.cal }));
});
afterAll(async () => {
  await world?.close();
});

let sequence = 0;
const uid = () => `evt${++sequence}x${Date.now()}@harbourbank.example`;
const draftsOf = (email: string) => world.emulator.state(email).drafts;

describe("a Calendar push", () => {
  it("connects with a channel whose token the route holds only as a hash", async () => {
    const account = await world.services.accounts.getAccount("acct-cal");
    const channel = world.emulator.state(USERS.cal).channels[0];
    expect(account?.calendar.channel?.id).toBe(channel?.id);
    expect(account?.calendar.syncToken).not.toBeNull();
    const route = await world.services.directory.calendarRoute(channel?.id ?? "");
    expect(route?.accountId).toBe("acct-cal");
    expect(route?.resourceId).toBe(channel?.resourceId);
    expect(channelTokenMatches(route ?? { tokenHash: "" }, channel?.token ?? "")).toBe(true);
    const items = await world.dynamo.scanAll();
    expect(JSON.stringify(items)).not.toContain(channel?.token ?? "no token");
  });

  it("drafts a decline to the organiser of an invitation the owner has not answered", async () => {
    const iCalUID = uid();
    const { push } = await world.emulator.upsertEvent(
      USERS.cal,
      invitationEvent({
        iCalUID,
        owner: USERS.cal,
        summary: TEXTS.poker.subject,
        description: TEXTS.poker.body,
        location: "Casino Gran Madrid",
        start: inDays(5),
      }),
    );
    expect(push?.status).toBe(204);
    await world.settle();
    const drafts = draftsOf(USERS.cal);
    expect(drafts).toHaveLength(1);
    const headers = headersOf(drafts[0]?.message.raw ?? "");
    expect(headers.to).toContain(CLIENT);
    expect(headers.subject).toBe("Re: Poker night");
    expect(headers["in-reply-to"]).toBeUndefined();
    const record = (await ledgerRecords(ledger)).find((r) => r.key === iCalUID);
    expect(record).toMatchObject({ action: "decline_firmly", draft: { state: "drafted" } });
    expect(record?.source).toMatch(/^calendar:/);
  });

  it.each([
    ["the owner already answered", { ownerResponse: "accepted" }],
    ["the owner organises it", { organizer: USERS.cal }],
    ["it is over", { start: inDays(-3) }],
  ])("leaves an event alone when %s", async (_name, override) => {
    const before = draftsOf(USERS.cal).length;
    const records = (await ledgerRecords(ledger)).length;
    await world.emulator.upsertEvent(
      USERS.cal,
      invitationEvent({
        iCalUID: uid(),
        owner: USERS.cal,
        summary: TEXTS.poker.subject,
        description: TEXTS.poker.body,
        start: inDays(4),
        ...override,
      }),
    );
    await world.settle();
    expect(draftsOf(USERS.cal)).toHaveLength(before);
    expect(await ledgerRecords(ledger)).toHaveLength(records);
  });

  it("does not draft again when the event changes later", async () => {
    const iCalUID = uid();
    const event = invitationEvent({
      id: `ev${sequence}x${Date.now()}`,
      iCalUID,
      owner: USERS.cal,
      summary: TEXTS.poker.subject,
      description: TEXTS.poker.body,
      start: inDays(6),
    });
    await world.emulator.upsertEvent(USERS.cal, event);
    await world.settle();
    const before = draftsOf(USERS.cal).length;
    await world.emulator.upsertEvent(USERS.cal, {
      ...event,
      location: "Somewhere else",
      sequence: 1,
    });
    await world.settle();
    expect(draftsOf(USERS.cal)).toHaveLength(before);
  });

  it("clears a syncToken Google answers 410 for, syncs in full and drafts only what is new", async () => {
    const before = draftsOf(USERS.cal).length;
    world.emulator.invalidateSyncTokens(USERS.cal);
    await world.emulator.upsertEvent(
      USERS.cal,
      invitationEvent({
        iCalUID: uid(),
        owner: USERS.cal,
        summary: "Dinner at our place",
        description: TEXTS.home.body,
        start: inDays(8),
      }),
    );
    await world.settle();
    expect(world.log.some((e) => e.event === "calendar.full_sync")).toBe(true);
    expect(draftsOf(USERS.cal)).toHaveLength(before + 1);
    const account = await world.services.accounts.getAccount("acct-cal");
    expect(account?.calendar.syncToken).not.toBeNull();
    expect(world.failures).toEqual([]);
  });
});

describe("an invitation emailed and on the calendar", () => {
  let dedupeLedger: typeof ledger;
  beforeAll(async () => {
    ({ ledger: dedupeLedger } = await addAccount(world, {
      accountId: "acct-dedupe",
      email: USERS.dedupe,
    }));
  });

  it("is one invitation with one draft, in the email's thread, when the email comes first", async () => {
    const iCalUID = uid();
    const start = inDays(9);
    const delivered = await world.emulator.deliverMessage(
      USERS.dedupe,
      mail({
        ...TEXTS.poker,
        to: USERS.dedupe,
        messageId: `invite-${iCalUID}`,
        invite: { uid: iCalUID, start, summary: "Poker night", location: "Casino Gran Madrid" },
      }),
    );
    await world.settle();
    await world.emulator.upsertEvent(
      USERS.dedupe,
      invitationEvent({
        iCalUID,
        owner: USERS.dedupe,
        summary: "Poker night",
        description: TEXTS.poker.body,
        location: "Casino Gran Madrid",
        start,
      }),
    );
    await world.settle();
    const records = (await ledgerRecords(dedupeLedger)).filter((r) => r.key === iCalUID);
    expect(records).toHaveLength(1);
    const drafts = draftsOf(USERS.dedupe).filter((d) => d.message.raw.includes("Poker night"));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.message.threadId).toBe(delivered.threadId);
  });

  it("is one invitation with one draft when the calendar copy comes first, and the email is labelled", async () => {
    const iCalUID = uid();
    const start = inDays(10);
    const before = draftsOf(USERS.dedupe).length;
    await world.emulator.upsertEvent(
      USERS.dedupe,
      invitationEvent({
        iCalUID,
        owner: USERS.dedupe,
        summary: "Poker night at the club",
        description: TEXTS.poker.body,
        start,
      }),
    );
    await world.settle();
    const delivered = await world.emulator.deliverMessage(
      USERS.dedupe,
      mail({
        subject: "Invitation: Poker night at the club",
        body: TEXTS.poker.body,
        to: USERS.dedupe,
        messageId: `invite-${iCalUID}`,
        invite: { uid: iCalUID, start, summary: "Poker night at the club" },
      }),
    );
    await world.settle();
    expect((await ledgerRecords(dedupeLedger)).filter((r) => r.key === iCalUID)).toHaveLength(1);
    expect(draftsOf(USERS.dedupe)).toHaveLength(before + 1);
    expect(labelNames(world, USERS.dedupe, delivered.id)).toContain("Decorum/Declined");
  });
});

describe("renewal", () => {
  it("renews the Gmail watch and replaces the channel with a new id, retiring the old one", async () => {
    await addAccount(world, { accountId: "acct-renew", email: USERS.renew });
    const before = await world.services.accounts.getAccount("acct-renew");
    const oldChannel = before?.calendar.channel;
    const oldToken = world.emulator.state(USERS.renew).channels[0]?.token ?? "";
    const { createWatchService } = await import("../../functions/sync/watch.ts");
    const renewing = createWatchService({
      accounts: world.services.accounts,
      directory: world.services.directory,
      googleFor: world.services.googleFor,
      topicName: "projects/decorum-test/topics/gmail",
      calendarAddress: `${world.url}/push/calendar`,
      // As if six days had passed: both are due.
      now: () => inDays(6),
    });
    const report = await renewing.renewAll();
    expect(report.failed).toEqual([]);
    expect(report.gmailRenewed).toBeGreaterThanOrEqual(1);
    expect(report.channelsRenewed).toBeGreaterThanOrEqual(1);

    const after = await world.services.accounts.getAccount("acct-renew");
    expect(after?.calendar.channel?.id).not.toBe(oldChannel?.id);
    const channels = world.emulator.state(USERS.renew).channels;
    expect(channels.map((c) => c.id)).toEqual([after?.calendar.channel?.id]);
    expect(await world.services.directory.calendarRoute(oldChannel?.id ?? "")).toBeNull();

    const stale = await fetch(`${world.url}/push/calendar`, {
      method: "POST",
      headers: {
        "x-goog-channel-id": oldChannel?.id ?? "",
        "x-goog-channel-token": oldToken,
        "x-goog-resource-state": "exists",
      },
    });
    expect(stale.status).toBe(403);
    await world.settle();
  });
});
