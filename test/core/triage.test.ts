import { describe, expect, it } from "vitest";
import {
  type CountWindow,
  type DraftState,
  type Ledger,
  type LedgerRecord,
  MemoryLedger,
} from "../../functions/core/ledger.ts";
import type { ParsedMessage } from "../../functions/core/model.ts";
import type { ParseFailure } from "../../functions/core/parse/index.ts";
import {
  heldCopy,
  invitationKey,
  prepareTriage,
  settleTriage,
  stableHash,
  type TriageResult,
  triageBatch,
  triageMessage,
} from "../../functions/core/triage.ts";
import { parseSettings, type SettingsInput } from "../../functions/schemas/settings.ts";
import { BASE_EVENT, emailWith } from "../rules/message.ts";

const NOW = new Date("2026-04-01T12:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const OWNER = "alex@firm.example";

function settings(input: SettingsInput = {}) {
  return parseSettings({ owner: { name: "Alex Morgan", email: OWNER }, ...input });
}

/** A ledger that notes which operations the pipeline called, around the in-memory one. */
class RecordingLedger implements Ledger {
  readonly inner = new MemoryLedger();
  readonly calls: string[] = [];
  async lookup(key: string, client: string | null) {
    this.calls.push("lookup");
    return this.inner.lookup(key, client);
  }
  async countInvitations(client: string, window: CountWindow) {
    this.calls.push("countInvitations");
    return this.inner.countInvitations(client, window);
  }
  async record(record: LedgerRecord) {
    this.calls.push("record");
    return this.inner.record(record);
  }
  async noteCorrespondence(client: string, at: Date) {
    this.calls.push("noteCorrespondence");
    return this.inner.noteCorrespondence(client, at);
  }
  async setDraftState(key: string, draft: DraftState) {
    this.calls.push("setDraftState");
    return this.inner.setDraftState(key, draft);
  }
}

function drinks(id: string, date: Date, overrides: Partial<ParsedMessage> = {}): ParsedMessage {
  return emailWith("Hi Alex, would you like to grab drinks after work on Thursday? Ana", {
    messageId: `${id}@client.example`,
    source: `${id}.eml`,
    subject: "Drinks Thursday?",
    date: date.toISOString(),
    ...overrides,
  });
}

async function collect(iterable: AsyncIterable<TriageResult | ParseFailure>) {
  const out: (TriageResult | ParseFailure)[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function results(items: (TriageResult | ParseFailure)[]): TriageResult[] {
  return items.filter((item): item is TriageResult => "category" in item);
}

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe("triageMessage", () => {
  it("records a first invitation as new and accepts it, with the message's identity", async () => {
    const ledger = new MemoryLedger();
    const message = drinks("m1", new Date("2026-03-02T09:00:00Z"));
    const result = await triageMessage(message, { settings: settings(), ledger, now: NOW });
    expect(result).toMatchObject({
      source: "m1.eml",
      messageId: "m1@client.example",
      from: "ana@client.example",
      client: "client.example",
      subject: "Drinks Thursday?",
      date: "2026-03-02T09:00:00.000Z",
      category: "meal_or_drinks",
      action: "accept",
      language: "en",
      draft: null,
      recorded: "new",
      key: "m1@client.example",
    });
    expect(result.reasons.map((reason) => reason.rule)).toContain("meal_or_drinks.meal");
    const [record] = ledger.records();
    expect(record).toMatchObject({ key: "m1@client.example", draft: { state: "none" } });
  });

  it("is idempotent: the same message twice records once and returns the existing decision", async () => {
    const ledger = new MemoryLedger();
    const deps = { settings: settings(), ledger, now: NOW };
    const message = emailWith("There's a poker game at my place Friday night, you in?", {
      subject: "Poker Friday",
    });
    const first = await triageMessage(message, deps);
    const second = await triageMessage(message, deps);
    expect(first).toMatchObject({ recorded: "new", action: "decline_firmly" });
    expect(first.draft?.body).toBeTruthy();
    expect(second).toMatchObject({
      recorded: "existing",
      category: first.category,
      action: first.action,
      confidence: first.confidence,
      reasons: first.reasons,
      draft: null,
    });
    expect(ledger.records()).toHaveLength(1);
  });

  it("counts an email and its calendar copy with the same UID once", async () => {
    const ledger = new MemoryLedger();
    const deps = { settings: settings(), ledger, now: NOW };
    const event = { ...BASE_EVENT, uid: "golf-1@client.example", summary: "Golf at Pine Hills" };
    const email = emailWith("Golf on Saturday? I have a tee time for two.", {
      messageId: "golf-mail@client.example",
      subject: "Golf Saturday",
      events: [event],
    });
    const calendarCopy = emailWith("", {
      kind: "calendar",
      source: "golf.ics",
      messageId: null,
      subject: "",
      events: [event],
    });
    const first = await triageMessage(email, deps);
    const second = await triageMessage(calendarCopy, deps);
    expect(first).toMatchObject({ category: "outing", recorded: "new", key: event.uid });
    expect(second).toMatchObject({ recorded: "existing", key: event.uid });
    const counted = await ledger.countInvitations("client.example", {
      from: new Date(0),
      to: NOW,
      categories: ["outing"],
    });
    expect(counted).toBe(1);
  });

  it("makes exactly one ledger call for mail that is not an invitation", async () => {
    const ledger = new RecordingLedger();
    const message = emailWith("Please find the signed contract attached.", {
      subject: "Signed contract",
    });
    const result = await triageMessage(message, { settings: settings(), ledger, now: NOW });
    expect(result).toMatchObject({
      category: "not_invitation",
      action: "none",
      recorded: "not_recorded",
      key: null,
    });
    expect(ledger.calls).toEqual(["noteCorrespondence"]);
    expect((await ledger.inner.lookup("x", "client.example")).firstSeen).toEqual(
      new Date(message.date ?? ""),
    );
  });

  it("does not triage the owner's own mail", async () => {
    const ledger = new MemoryLedger();
    const message = emailWith("Dinner Friday at my place?", {
      from: { address: OWNER, name: "Alex Morgan" },
    });
    const result = await triageMessage(message, { settings: settings(), ledger, now: NOW });
    expect(result).toMatchObject({ category: "not_invitation", action: "none", client: null });
    expect(result.reasons[0]?.explanation).toMatch(/your own mail/);
  });

  it.each(["ACCEPTED", "DECLINED", "TENTATIVE"] as const)(
    "keeps the category but takes no action when the owner already answered (%s)",
    async (partstat) => {
      const event = {
        ...BASE_EVENT,
        summary: "Dinner at Nobu",
        attendees: [{ address: OWNER, name: "Alex", partstat }],
      };
      const message = emailWith("", { kind: "calendar", events: [event], messageId: null });
      const result = await triageMessage(message, {
        settings: settings(),
        ledger: new MemoryLedger(),
        now: NOW,
      });
      expect(result).toMatchObject({ category: "meal_or_drinks", action: "none", draft: null });
      expect(result.reasons.map((reason) => reason.rule)).toContain("policy.already_answered");
    },
  );

  it("takes no action on an event the owner organised", async () => {
    const event = {
      ...BASE_EVENT,
      summary: "Dinner with the Acme team",
      organizer: { address: OWNER, name: "Alex" },
    };
    const message = emailWith("", {
      kind: "calendar",
      events: [event],
      from: { address: "ana@client.example", name: "Ana" },
    });
    const result = await triageMessage(message, {
      settings: settings(),
      ledger: new MemoryLedger(),
      now: NOW,
    });
    expect(result.action).toBe("none");
    expect(result.reasons.map((reason) => reason.rule)).toContain("policy.already_answered");
  });

  it("accepts a home visit once correspondence began long enough ago", async () => {
    const ledger = new MemoryLedger();
    const deps = { settings: settings(), ledger, now: NOW };
    const early = emailWith("Here are the quarterly figures.", {
      messageId: "early@client.example",
      date: "2025-01-10T10:00:00.000Z",
    });
    const visit = emailWith("Would you like to come over for dinner at our place on Saturday?", {
      messageId: "visit@client.example",
    });
    const before = await triageMessage(visit, { ...deps, ledger: new MemoryLedger() });
    expect(before).toMatchObject({ category: "home_visit", action: "decline" });
    await triageMessage(early, deps);
    const after = await triageMessage(visit, deps);
    expect(after).toMatchObject({ category: "home_visit", action: "accept" });
    expect(after.reasons.map((reason) => reason.rule)).toContain("policy.established");
  });

  it("drafts a firm decline in the invitation's language and records that a draft is due", async () => {
    const ledger = new MemoryLedger();
    const message = emailWith("¿Te apetece una partida de póker en el casino el sábado?", {
      subject: "Sábado",
    });
    const result = await triageMessage(message, { settings: settings(), ledger, now: NOW });
    expect(result).toMatchObject({
      category: "objectionable",
      action: "decline_firmly",
      language: "es",
    });
    expect(result.draft?.to).toBe("ana@client.example");
    expect(result.draft?.inReplyTo).toBe("base@client.example");
    expect(ledger.records()[0]?.draft).toEqual({ state: "decided" });
  });

  it("records no draft due in dry-run mode", async () => {
    const ledger = new MemoryLedger();
    const message = emailWith("Fancy a night at the casino on Saturday?");
    await triageMessage(message, { settings: settings({ dryRun: true }), ledger, now: NOW });
    expect(ledger.records()[0]?.draft).toEqual({ state: "none" });
  });

  it("sends a low-confidence guess to review and drafts nothing", async () => {
    const ledger = new MemoryLedger();
    const message = emailWith("Poker.");
    const result = await triageMessage(message, {
      settings: settings({ reviewBelow: 0.99 }),
      ledger,
      now: NOW,
    });
    expect(result).toMatchObject({ action: "review", draft: null });
  });
});

describe("triageMessage with forwards and colleagues", () => {
  it("answers a forwarded invitation to the person who wrote it, as that client", async () => {
    const ledger = new MemoryLedger();
    const forward = emailWith("Passing this along, I haven't replied. Sam", {
      from: { address: "sam@firm.example", name: "Sam Ortiz" },
      subject: "FW: seat for tonight",
      forwarded: true,
      quotedText:
        "From: Victor Marston <victor@capital.example>\nSubject: seat for tonight\n\nPoker tonight at 7:30, there's a seat at my table for you. $500 buy-in.",
    });
    const result = await triageMessage(forward, { settings: settings(), ledger, now: NOW });
    expect(result).toMatchObject({
      category: "objectionable",
      action: "decline_firmly",
      client: "capital.example",
    });
    expect(result.draft?.to).toBe("victor@capital.example");
    expect(result.draft?.body).toMatch(/Victor/);
  });

  it("treats the owner's own colleagues as no client", async () => {
    const colleague = emailWith("Drinks after work on Friday? First round is on me.", {
      from: { address: "jordan@firm.example", name: "Jordan" },
    });
    const result = await triageMessage(colleague, {
      settings: settings(),
      ledger: new MemoryLedger(),
      now: NOW,
    });
    expect(result).toMatchObject({ category: "meal_or_drinks", action: "none", client: null });
    expect(result.reasons.map((reason) => reason.rule)).toContain("policy.not_a_client");
  });
});

describe("invitationKey", () => {
  it("prefers the event UID, then the Message-ID, then a stable hash", () => {
    const withEvent = emailWith("", { events: [BASE_EVENT] });
    const withId = emailWith("", { messageId: "abc@x" });
    const bare = emailWith("", { messageId: null, subject: "Hi" });
    expect(invitationKey(withEvent)).toBe(BASE_EVENT.uid);
    expect(invitationKey(withId)).toBe("abc@x");
    expect(invitationKey(bare)).toMatch(/^hash:[0-9a-f]{8}$/);
    expect(invitationKey(bare)).toBe(invitationKey({ ...bare }));
    expect(invitationKey(bare)).not.toBe(invitationKey({ ...bare, subject: "Hello" }));
  });

  it("hashes stably", () => {
    expect(stableHash("client.example")).toBe(stableHash("client.example"));
    expect(stableHash("a")).not.toBe(stableHash("b"));
  });
});

describe("triageBatch", () => {
  const day0 = new Date("2026-03-02T18:00:00.000Z");

  it("processes in date order: the 3rd drinks invitation within 14 days is declined", async () => {
    const messages = [
      drinks("third", new Date(day0.getTime() + 9 * DAY)),
      drinks("first", day0),
      drinks("second", new Date(day0.getTime() + 4 * DAY)),
    ];
    const out = results(
      await collect(
        triageBatch(asAsync(messages), {
          settings: settings(),
          ledger: new MemoryLedger(),
          now: NOW,
        }),
      ),
    );
    expect(out.map((result) => [result.messageId, result.action])).toEqual([
      ["first@client.example", "accept"],
      ["second@client.example", "accept"],
      ["third@client.example", "decline"],
    ]);
    const third = out[2];
    expect(third?.draft?.body).toBeTruthy();
    expect(third?.reasons.map((reason) => reason.explanation)).toContainEqual(
      expect.stringMatching(/3rd invitation from this client within 14 days/),
    );
  });

  it.each([
    ["exactly 14 days after the first", 14 * DAY, "decline"],
    ["14 days and a second after the first", 14 * DAY + 1000, "accept"],
  ])("counts an earlier invitation %s as inside the window or not", async (_name, gap, action) => {
    const messages = [
      drinks("first", day0),
      drinks("second", new Date(day0.getTime() + 7 * DAY)),
      drinks("third", new Date(day0.getTime() + gap)),
    ];
    const out = results(
      await collect(
        triageBatch(messages, { settings: settings(), ledger: new MemoryLedger(), now: NOW }),
      ),
    );
    expect(out.at(-1)).toMatchObject({ messageId: "third@client.example", action });
  });

  it("varies the wording of consecutive frequency declines to one client", async () => {
    const messages = [0, 1, 2, 3].map((n) => drinks(`m${n}`, new Date(day0.getTime() + n * DAY)));
    const out = results(
      await collect(
        triageBatch(messages, { settings: settings(), ledger: new MemoryLedger(), now: NOW }),
      ),
    );
    const [third, fourth] = [out[2], out[3]];
    expect(third?.action).toBe("decline");
    expect(fourth?.action).toBe("decline");
    expect(third?.draft?.body).not.toBe(fourth?.draft?.body);
  });

  it("passes parse failures through and keeps undated messages last", async () => {
    const failure: ParseFailure = { source: "broken.eml", error: "Unreadable file broken.eml" };
    const undated = drinks("undated", day0, { date: null });
    const dated = drinks("dated", day0);
    const out = await collect(
      triageBatch(asAsync<ParsedMessage | ParseFailure>([undated, failure, dated]), {
        settings: settings(),
        ledger: new MemoryLedger(),
        now: NOW,
      }),
    );
    expect(out[0]).toEqual(failure);
    expect(results(out).map((result) => result.messageId)).toEqual([
      "dated@client.example",
      "undated@client.example",
    ]);
  });

  it("keeps the input order of failures and other mail across classification runs", async () => {
    // 700 items: more than one run of classification. Every 7th is an invitation, held back and
    // settled last in date order; every 50th is a parse failure, passed through in its place.
    const items: (ParsedMessage | ParseFailure)[] = [];
    for (let n = 0; n < 700; n++) {
      const at = new Date(day0.getTime() + (700 - n) * 60_000);
      if (n % 50 === 0) items.push({ source: `bad-${n}.eml`, error: "Unreadable" });
      else if (n % 7 === 0)
        items.push(
          drinks(`inv-${n}`, at, { from: { address: `c${n}@client${n}.example`, name: "Ana" } }),
        );
      else
        items.push(
          emailWith("The signed engagement letter is attached.", {
            messageId: `m-${n}@client.example`,
            date: at.toISOString(),
          }),
        );
    }
    const out = await collect(
      triageBatch(items, { settings: settings(), ledger: new MemoryLedger(), now: NOW }),
    );
    const id = (item: ParsedMessage | ParseFailure | TriageResult) =>
      "error" in item ? item.source : item.messageId;
    const invitations = items.filter(
      (item) => "kind" in item && item.messageId?.startsWith("inv-"),
    );
    const others = items.filter((item) => !invitations.includes(item));
    expect(out.map(id)).toEqual([...others.map(id), ...invitations.map(id).reverse()]);
  });

  it("streams input the caller already sorted, as it arrives", async () => {
    const messages = [0, 1, 2].map((n) => drinks(`s${n}`, new Date(day0.getTime() + n * DAY)));
    const out = results(
      await collect(
        triageBatch(
          messages,
          { settings: settings(), ledger: new MemoryLedger(), now: NOW },
          { sorted: true },
        ),
      ),
    );
    expect(out.map((result) => result.action)).toEqual(["accept", "accept", "decline"]);
  });
});

describe("heldCopy: what a batch holds of an invitation until it is settled", () => {
  // A poker night among 300 guests, sent by Google's robot: the reply goes to the organizer, whose
  // name only the guest list has, from the owner, whom only the guest list marks.
  const guests = Array.from({ length: 300 }, (_, n) => ({
    address: `guest${n}@party.example`,
    name: `Guest ${n}`,
    partstat: "NEEDS-ACTION" as const,
  }));
  const organizer = { address: "dan@client.example", name: "Dan Hughes" };
  const owner = { address: "alex@firm.example", name: "" };
  const invitation = emailWith(
    "Dan has invited you to a poker night at his place on Friday. Buy-in is 50. Are you in?",
    {
      from: { address: "calendar-notification@google.com", name: "Google Calendar" },
      // The owner comes fourth, after the organizer twice and the robot: the first three
      // distinct addresses, none of which a reply may come from.
      to: [
        { ...organizer },
        { address: "DAN@client.example", name: "" },
        { address: "calendar-notification@google.com", name: "" },
        owner,
        ...guests.map(({ address, name }) => ({ address, name })),
      ],
      subject: "Invitation: Poker night @ Fri 8pm",
      events: [
        {
          ...BASE_EVENT,
          summary: "Poker night",
          organizer: { address: organizer.address, name: "" },
          attendees: [
            ...guests.slice(0, 150),
            { ...organizer, partstat: "ACCEPTED" },
            ...guests.slice(150),
            { ...owner, partstat: "NEEDS-ACTION", self: true },
          ],
        },
      ],
    },
  );
  // No address in the settings: the reply's From must come from the message.
  const ownerWithoutAddress = parseSettings({ owner: { name: "Alex Morgan" } });

  it("keeps only the attendees and To addresses a reply reads", () => {
    const held = heldCopy(prepareTriage(invitation, ownerWithoutAddress));
    expect(held.message.events[0]?.attendees.map((attendee) => attendee.address)).toEqual([
      organizer.address,
      owner.address,
    ]);
    expect(held.message.to.map((mailbox) => mailbox.address)).toEqual([
      organizer.address,
      "DAN@client.example",
      "calendar-notification@google.com",
      owner.address,
    ]);
    expect(held.message.text).toBe("");
  });

  it("settles to exactly the result the whole message settles to", async () => {
    const settle = (prepared: ReturnType<typeof prepareTriage>) =>
      settleTriage(prepared, {
        settings: ownerWithoutAddress,
        ledger: new MemoryLedger(),
        now: NOW,
      });
    const whole = await settle(prepareTriage(invitation, ownerWithoutAddress));
    const held = await settle(heldCopy(prepareTriage(invitation, ownerWithoutAddress)));
    // The organizer's name comes from the 151st guest; the owner's address from the To line.
    expect(whole.draft?.raw).toMatch(/^To: Dan Hughes <dan@client\.example>\r$/m);
    expect(whole.draft?.raw).toMatch(/^From: Alex Morgan <alex@firm\.example>\r$/m);
    expect(held).toEqual(whole);
  });
});
