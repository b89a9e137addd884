import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addAccount,
  CLIENT,
  headersOf,
  labelNames,
  ledgerRecords,
  mail,
  OWNER,
  type SyncWorld,
  startSyncWorld,
  TEXTS,
} from "./harness.ts";

let world: SyncWorld;
let ledger: Awaited<ReturnType<typeof addAccount>>["ledger"];
const ACCOUNT = "acct-gmail";

beforeAll(async () => {
  world = await startSyncWorld();
  ({ ledger } = await addAccount(world, { accountId: ACCOUNT }));
});
afterAll(async () => {
  await world?.close();
});

const callsOf = (method: string) => world.emulator.calls.filter((c) => c.method === method).length;
let sequence = 0;
const uniqueId = () => `m${++sequence}.${Date.now()}@harbourbank.example`;

describe("a Gmail push", () => {
  it("connects with a watch on INBOX, a cursor and the Decorum labels", async () => {
    const account = await world.services.accounts.getAccount(ACCOUNT);
    const state = world.emulator.state(OWNER);
    expect(state.watch?.topicName).toBe("projects/decorum-test/topics/gmail");
    expect(state.watch?.labelIds).toEqual(["INBOX"]);
    expect(account?.gmail.historyId).toMatch(/^\d+$/);
    expect(account?.gmail.watchExpiration).not.toBeNull();
    expect(world.failures).toEqual([]);
  });

  it("leads to one reply draft in the invitation's thread, threaded by Message-ID, and a label", async () => {
    const messageId = uniqueId();
    const gets = callsOf("gmail.users.messages.get");
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, messageId }),
    );
    expect(delivered.push?.status).toBe(204);
    await world.settle();

    const drafts = world.emulator.state(OWNER).drafts;
    const ours = drafts.filter((d) => d.message.threadId === delivered.threadId);
    expect(ours).toHaveLength(1);
    const headers = headersOf(ours[0]?.message.raw ?? "");
    expect(headers["in-reply-to"]).toBe(`<${messageId}>`);
    expect(headers.references).toContain(`<${messageId}>`);
    expect(headers.to).toContain(CLIENT);
    expect(headers.subject).toBe("Re: Poker night");
    expect(labelNames(world, OWNER, delivered.id)).toContain("Decorum/Declined");
    expect(callsOf("gmail.users.messages.get") - gets).toBe(1);

    const record = (await ledgerRecords(ledger)).find((r) => r.messageId === messageId);
    expect(record?.action).toBe("decline_firmly");
    expect(record?.draft).toMatchObject({ state: "drafted", draftId: ours[0]?.id });
    expect(record?.gmail).toEqual({ messageId: delivered.id, threadId: delivered.threadId });
  });

  it("creates every Decorum label once", () => {
    const names = world.emulator.state(OWNER).labels.map((l) => l.name);
    for (const name of [
      "Decorum",
      "Decorum/Declined",
      "Decorum/Review",
      "Decorum/Accepted",
      "Decorum/Ignored",
    ]) {
      expect(names.filter((n) => n === name)).toHaveLength(1);
    }
  });

  it("labels an accepted invitation and drafts nothing for it", async () => {
    const drafts = world.emulator.state(OWNER).drafts.length;
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({
        subject: "Charity gala",
        body: "You are invited to our annual charity gala on 12 March.",
        messageId: uniqueId(),
      }),
    );
    await world.settle();
    expect(labelNames(world, OWNER, delivered.id)).toContain("Decorum/Accepted");
    expect(world.emulator.state(OWNER).drafts).toHaveLength(drafts);
  });

  it("records nothing for a business meeting and leaves it unlabelled", async () => {
    const before = (await ledgerRecords(ledger)).length;
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.meeting, messageId: uniqueId() }),
    );
    await world.settle();
    expect(await ledgerRecords(ledger)).toHaveLength(before);
    expect(labelNames(world, OWNER, delivered.id).filter((n) => n.startsWith("Decorum"))).toEqual(
      [],
    );
  });

  it.each([
    ["the owner's own mail", { from: OWNER, fromName: "Alex Morgan" }, "own_mail"],
    [
      "Decorum's summary",
      { headers: { "X-Decorum-Summary": "2026-W10" }, from: "robot@elsewhere.example" },
      "summary",
    ],
  ])("never triages %s", async (_name, override, why) => {
    const before = (await ledgerRecords(ledger)).length;
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, messageId: uniqueId(), ...override }),
    );
    await world.settle();
    const event = world.processed.find((p) => p.source === `gmail:${delivered.id}`);
    expect(event?.outcome).toEqual({ kind: "skipped", why });
    expect(await ledgerRecords(ledger)).toHaveLength(before);
  });

  it("never fetches sent mail or drafts, even sent to the owner", async () => {
    const gets = callsOf("gmail.users.messages.get");
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, messageId: uniqueId(), from: OWNER }),
      { labelIds: ["SENT", "INBOX"] },
    );
    await world.settle();
    expect(callsOf("gmail.users.messages.get")).toBe(gets);
    expect(world.processed.some((p) => p.source === `gmail:${delivered.id}`)).toBe(false);
  });

  it("answers a duplicate push without fetching or drafting again", async () => {
    const messageId = uniqueId();
    await world.emulator.deliverMessage(OWNER, mail({ ...TEXTS.home, messageId }));
    await world.settle();
    const record = world.emulator.pushes.filter((p) => p.kind === "gmail").at(-1);
    const drafts = world.emulator.state(OWNER).drafts.length;
    const calls = world.emulator.calls.length;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(record?.url ?? "", {
        method: "POST",
        headers: record?.headers ?? {},
        body: record?.body ?? "",
      });
      expect(response.status).toBe(204);
    }
    await world.settle();
    expect(world.emulator.state(OWNER).drafts).toHaveLength(drafts);
    expect(world.emulator.calls.length).toBe(calls);
    expect(world.outcomes.slice(-3).map((o) => o.outcome)).toEqual([
      { status: "skipped", reason: "up_to_date" },
      { status: "skipped", reason: "up_to_date" },
      { status: "skipped", reason: "up_to_date" },
    ]);
  });

  it("resyncs recent mail with messages.list when the historyId is stale, and leaves no gap", async () => {
    const lists = callsOf("gmail.users.messages.list");
    const before = world.emulator.state(OWNER).drafts.length;
    // A message arrives unseen (its push lost), then Gmail forgets the history behind it.
    world.emulator.setPushEndpoint(null);
    const missed = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, subject: "Poker, the missed one", messageId: uniqueId() }),
    );
    world.emulator.expireHistory(OWNER);
    world.emulator.setPushEndpoint(`${world.url}/push/gmail`);
    const delivered = await world.emulator.deliverMessage(
      OWNER,
      mail({ ...TEXTS.poker, subject: "Poker again", messageId: uniqueId() }),
    );
    await world.settle();

    expect(callsOf("gmail.users.messages.list")).toBeGreaterThan(lists);
    expect(world.log.some((e) => e.event === "gmail.resync" && e.reason === "cursor_expired")).toBe(
      true,
    );
    const drafts = world.emulator.state(OWNER).drafts;
    // Both new invitations got a draft; the earlier ones were recognised by the ledger.
    expect(drafts).toHaveLength(before + 2);
    for (const message of [missed, delivered]) {
      expect(drafts.filter((d) => d.message.threadId === message.threadId)).toHaveLength(1);
    }
    const account = await world.services.accounts.getAccount(ACCOUNT);
    expect(BigInt(account?.gmail.historyId ?? "0")).toBeGreaterThanOrEqual(
      BigInt(delivered.historyId),
    );
    expect(world.failures).toEqual([]);
  });
});
