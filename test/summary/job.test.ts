import PostalMime from "postal-mime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LedgerRecord } from "../../functions/core/ledger.ts";
import { runSummaryJob } from "../../functions/summary/job.ts";
import { fullWeek, HOSTILE, record } from "../core/summary/seed.ts";
import { addAccount, createDraft, jobDeps, OWNER, startWorld, type World } from "./harness.ts";

const MONDAY_0800_BST = new Date("2025-03-31T07:00:00.000Z");

let world: World;
let seq = 0;
const nextId = () => `acct-${++seq}`;

beforeAll(async () => {
  world = await startWorld([OWNER, "sam@otherfirm.example", "kim@ny.example"]);
});
afterAll(async () => {
  await world.close();
});
afterEach(() => {
  world.emulator.faults.clear();
  world.clock.now = MONDAY_0800_BST;
});

const sentTo = (email: string) => world.emulator.state(email).sent;

/** A fresh table per test keeps accounts and markers of one test out of the next. */
const freshTable = () => world.freshTable();

describe("the weekly summary job over DynamoDB and Gmail", () => {
  it("sends one summary when two runs race, and none on the retry an hour later", async () => {
    await freshTable();
    const before = sentTo(OWNER).length;
    const accountId = nextId();
    const week = fullWeek();
    const draftIds = [
      await createDraft(world, OWNER, "Re: Poker"),
      await createDraft(world, OWNER, "Re: Dinner"),
    ];
    // Point the seeded drafts at the real ones, so "still in Gmail" is checked against Gmail.
    const records = week.records.map((r) =>
      r.draft.state === "drafted" && r.draft.draftId !== "d-golf"
        ? { ...r, draft: { ...r.draft, draftId: draftIds.shift() ?? "missing" } }
        : r,
    );
    await addAccount(world, { accountId, records });

    const [first, second] = await Promise.all([
      runSummaryJob(jobDeps(world)),
      runSummaryJob(jobDeps(world)),
    ]);
    const outcomes = [...first.outcomes, ...second.outcomes].map((o) => o.outcome).sort();
    expect(outcomes).toEqual(["lost_race", "sent"].sort());
    expect(sentTo(OWNER).length).toBe(before + 1);

    world.clock.now = new Date("2025-03-31T08:00:00.000Z");
    const retry = await runSummaryJob(jobDeps(world));
    expect(retry.outcomes.map((o) => o.outcome)).toEqual(["already_done"]);
    expect(sentTo(OWNER).length).toBe(before + 1);
    expect((await world.markers.get(accountId, "2025-W14"))?.status).toBe("sent");
  });

  it("sends a message that parses as multipart/alternative with both parts", async () => {
    const last = sentTo(OWNER).at(-1);
    expect(last).toBeDefined();
    const raw = last?.raw ?? "";
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(
      "Decorum — your week: 8 invitations, 2 drafts waiting, 1 to review",
    );
    expect(parsed.from?.address).toBe(OWNER);
    expect(parsed.to?.map((to) => to.address)).toEqual([OWNER]);
    expect(parsed.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-generated");
    expect(parsed.headers.find((h) => h.key === "content-type")?.value).toMatch(
      /^multipart\/alternative;/,
    );
    expect(parsed.text).toContain("Mon 24 Mar – Sun 30 Mar 2025");
    expect(parsed.text).toContain("Emma & Leo's wedding");
    expect(parsed.html).toContain("Emma &amp; Leo&#39;s wedding");
    expect(parsed.html).toMatch(/^<!DOCTYPE html>/);
    // Non-ASCII text (— · █) must travel in a transfer encoding, with a declared charset.
    const parts = raw.split(/\r\n--[^\r\n]+\r\n/).slice(1, 3);
    expect(
      parts.map((part) => /Content-Type: (text\/\w+); charset=utf-8/i.exec(part)?.[1]),
    ).toEqual(["text/plain", "text/html"]);
    for (const part of parts) {
      expect(part).toMatch(/Content-Transfer-Encoding: (quoted-printable|base64)/i);
    }
    // The subject's em dash is an RFC 2047 encoded word, not raw UTF-8.
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[QB]\?/im);
  });

  it("shows hostile sender text as text in the sent message", async () => {
    await freshTable();
    world.clock.now = MONDAY_0800_BST;
    const email = "sam@otherfirm.example";
    const hostile: LedgerRecord[] = [
      record({
        from: { address: "a@x.example", name: HOSTILE.scriptName },
        subject: HOSTILE.encodedWordSubject,
        action: "review",
      }),
      record({
        from: { address: "b@x.example", name: HOSTILE.encodedWordName },
        subject: HOSTILE.attributeSubject,
        action: "review",
      }),
    ];
    await addAccount(world, { accountId: nextId(), email, records: hostile });
    await runSummaryJob(jobDeps(world));
    const parsed = await PostalMime.parse(sentTo(email).at(-1)?.raw ?? "");
    expect(parsed.text).toContain(HOSTILE.scriptName);
    expect(parsed.text).toContain(HOSTILE.encodedWordName);
    expect(parsed.text).toContain(HOSTILE.encodedWordSubject);
    expect(parsed.html).not.toMatch(/<script|<img/i);
    expect(parsed.html).toContain("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
    expect(parsed.html).toContain(HOSTILE.encodedWordName);
  });

  it.each([
    ["an hour before the slot", "2025-03-31T06:00:00.000Z", 0],
    ["at the slot (08:00 BST)", "2025-03-31T07:00:00.000Z", 1],
    ["on Tuesday", "2025-04-01T07:00:00.000Z", 0],
  ])("sends %s only when due in the owner's zone", async (_label, now, expected) => {
    await freshTable();
    world.clock.now = new Date(now);
    const email = "kim@ny.example";
    const before = sentTo(email).length;
    await addAccount(world, {
      accountId: nextId(),
      email,
      records: [record({ receivedAt: "2025-03-26T12:00:00.000Z" })],
    });
    await runSummaryJob(jobDeps(world));
    expect(sentTo(email).length - before).toBe(expected);
  });

  it("follows New York's clock across the November change", async () => {
    await freshTable();
    const email = "kim@ny.example";
    const settings = { timeZone: "America/New_York", summary: { weekday: 1, hour: 8 } };
    await addAccount(world, {
      accountId: nextId(),
      email,
      settings,
      records: [record({ receivedAt: "2025-10-29T12:00:00.000Z" })],
    });
    const before = sentTo(email).length;
    // Monday 3 Nov 2025 08:00 EST is 13:00 UTC (it was 12:00 UTC the week before, in EDT).
    world.clock.now = new Date("2025-11-03T12:00:00.000Z");
    await runSummaryJob(jobDeps(world));
    expect(sentTo(email).length).toBe(before);
    world.clock.now = new Date("2025-11-03T13:00:00.000Z");
    const run = await runSummaryJob(jobDeps(world));
    expect(run.outcomes.map((o) => [o.outcome, o.week])).toEqual([["sent", "2025-W45"]]);
    expect(sentTo(email).length).toBe(before + 1);
  });

  it.each([
    [false, "skipped_empty", 0],
    [true, "sent", 1],
  ])(
    "on an empty week with sendWhenEmpty %s, records %s",
    async (sendWhenEmpty, outcome, sends) => {
      await freshTable();
      const accountId = nextId();
      const before = sentTo(OWNER).length;
      await addAccount(world, {
        accountId,
        settings: { timeZone: "Europe/London", summary: { sendWhenEmpty } },
      });
      const run = await runSummaryJob(jobDeps(world));
      expect(run.outcomes.map((o) => o.outcome)).toEqual([outcome]);
      expect(sentTo(OWNER).length - before).toBe(sends);
      expect((await world.markers.get(accountId, "2025-W14"))?.status).toBe(outcome);
      if (sends) {
        const parsed = await PostalMime.parse(sentTo(OWNER).at(-1)?.raw ?? "");
        expect(parsed.subject).toBe("Decorum — your week: no invitations");
        expect(parsed.text).toContain("A quiet week");
      }
    },
  );

  it("gives the week back when Gmail refuses without sending, and sends on the next tick", async () => {
    await freshTable();
    const accountId = nextId();
    await addAccount(world, { accountId, records: [record({})] });
    const before = sentTo(OWNER).length;
    world.emulator.faults.add({ method: "gmail.users.messages.send", status: 503 });
    const failed = await runSummaryJob(jobDeps(world));
    expect(failed.outcomes).toMatchObject([{ outcome: "failed", willRetry: true }]);
    expect(await world.markers.get(accountId, "2025-W14")).toBeNull();
    world.emulator.faults.clear();
    world.clock.now = new Date("2025-03-31T08:00:00.000Z");
    const retried = await runSummaryJob(jobDeps(world));
    expect(retried.outcomes.map((o) => o.outcome)).toEqual(["sent"]);
    expect(sentTo(OWNER).length).toBe(before + 1);
  });

  it("never sends again after an ambiguous failure (the mail may have gone)", async () => {
    await freshTable();
    const accountId = nextId();
    await addAccount(world, { accountId, records: [record({})] });
    world.emulator.faults.add({ method: "gmail.users.messages.send", drop: true });
    const failed = await runSummaryJob(jobDeps(world));
    expect(failed.outcomes).toMatchObject([{ outcome: "failed", willRetry: false }]);
    expect((await world.markers.get(accountId, "2025-W14"))?.status).toBe("failed");
    world.emulator.faults.clear();
    world.clock.now = new Date("2025-03-31T08:00:00.000Z");
    const later = await runSummaryJob(jobDeps(world));
    expect(later.outcomes.map((o) => o.outcome)).toEqual(["already_done"]);
  });

  it.each([["paused", { timeZone: "Europe/London", paused: true }, "paused"]])(
    "skips a %s account",
    async (_label, settings, outcome) => {
      await freshTable();
      await addAccount(world, { accountId: nextId(), settings, records: [record({})] });
      const run = await runSummaryJob(jobDeps(world));
      expect(run.outcomes.map((o) => o.outcome)).toEqual([outcome]);
    },
  );

  it("skips a disconnected account without calling Google", async () => {
    await freshTable();
    const accountId = nextId();
    await addAccount(world, { accountId, records: [record({})] });
    await world.accounts.setConnection(accountId, {
      state: "disconnected",
      reason: "invalid_grant",
    });
    const calls = world.emulator.calls.length;
    const run = await runSummaryJob(jobDeps(world));
    expect(run.outcomes.map((o) => o.outcome)).toEqual(["disconnected"]);
    expect(world.emulator.calls.length).toBe(calls);
  });

  it("stops starting accounts when time runs short and hands on where to resume", async () => {
    await freshTable();
    const ids = [nextId(), nextId(), nextId()];
    const emails = [OWNER, "sam@otherfirm.example", "kim@ny.example"];
    for (const [i, accountId] of ids.entries()) {
      await addAccount(world, { accountId, email: emails[i], records: [record({})] });
    }
    // Enough time for one page of one account, then not.
    let budget = 3;
    const handedOn: Array<string | null> = [];
    const deps = jobDeps(world, {
      remainingMs: () => (budget-- > 0 ? 600_000 : 1_000),
      continueWith: async (cursor) => {
        handedOn.push(cursor);
      },
    });
    const first = await runSummaryJob(deps, { pageSize: 1 });
    expect(first.finished).toBe(false);
    expect(first.outcomes.map((o) => o.outcome)).toEqual(["sent"]);
    expect(handedOn).toHaveLength(1);
    expect(handedOn[0]).toBe(first.resumeCursor);

    // The continuation picks up where the first stopped and finishes the rest.
    const rest = await runSummaryJob(jobDeps(world), {
      pageSize: 1,
      ...(first.resumeCursor ? { cursor: first.resumeCursor } : {}),
    });
    expect(rest.finished).toBe(true);
    const all = [...first.outcomes, ...rest.outcomes];
    expect(
      all
        .filter((o) => o.outcome === "sent")
        .map((o) => o.accountId)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
