import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoogleError, SendRefused } from "../../../functions/adapters/google/index.ts";
import type { GoogleEmulator } from "../../emulator/index.ts";
import { callsTo, connect, OTHER, OWNER, rawMessage, startEmulator } from "./harness.ts";

let emulator: GoogleEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

describe("GmailPort over the emulator", () => {
  it("reads the profile", async () => {
    const { clients } = connect(emulator);
    const profile = await clients.gmail.getProfile();
    expect(profile.emailAddress).toBe(OWNER);
    expect(profile.historyId).toMatch(/^\d+$/);
  });

  it("lists messages added to the inbox since a history id, each once", async () => {
    const { clients } = connect(emulator);
    const { historyId: start } = await clients.gmail.getProfile();
    const first = await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: "ana@harbour.example", to: OWNER, subject: "Dinner on Friday?" }),
      { labelIds: ["INBOX", "UNREAD"] },
    );
    const second = await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: "ben@harbour.example", to: OWNER, subject: "Golf?" }),
      { labelIds: ["INBOX"] },
    );
    const page = await clients.gmail.listHistory({ startHistoryId: start });
    expect(page.messageIds).toEqual([first.id, second.id]);
    expect(Number(page.historyId)).toBeGreaterThanOrEqual(Number(second.historyId));
    const later = await clients.gmail.listHistory({ startHistoryId: page.historyId });
    expect(later.messageIds).toEqual([]);
  });

  it("leaves out messages Decorum's owner sent", async () => {
    const { clients } = connect(emulator);
    const { historyId: start } = await clients.gmail.getProfile();
    await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: OWNER, to: OWNER, subject: "Note to self" }),
      {
        labelIds: ["INBOX", "SENT"],
      },
    );
    const page = await clients.gmail.listHistory({ startHistoryId: start });
    expect(page.messageIds).toEqual([]);
  });

  it("reports a history id that is too old as an expired cursor", async () => {
    const { clients } = connect(emulator, OTHER);
    const { historyId } = await clients.gmail.getProfile();
    await emulator.deliverMessage(
      OTHER,
      rawMessage({ from: "x@y.example", to: OTHER, subject: "Hi" }),
    );
    emulator.expireHistory(OTHER);
    const error = await clients.gmail
      .listHistory({ startHistoryId: historyId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleError);
    expect(error).toMatchObject({ kind: "cursor_expired", status: 404, attempts: 1 });
    expect(String(error)).toContain("full sync");
  });

  it("fetches a message's raw bytes, labels and date", async () => {
    const { clients } = connect(emulator);
    const raw = rawMessage({
      from: "ana@harbour.example",
      to: OWNER,
      subject: "Cena el viernes",
      body: "¿Vienes?",
    });
    const delivered = await emulator.deliverMessage(OWNER, raw, { labelIds: ["INBOX", "UNREAD"] });
    const message = await clients.gmail.getRawMessage(delivered.id);
    expect(message.id).toBe(delivered.id);
    expect(message.threadId).toBe(delivered.threadId);
    expect(message.labelIds).toEqual(expect.arrayContaining(["INBOX", "UNREAD"]));
    expect(Buffer.from(message.raw).toString("utf8")).toBe(raw);
    expect(message.internalDate).toBeInstanceOf(Date);
    expect(Number.isNaN(message.internalDate.getTime())).toBe(false);
  });

  it("searches messages", async () => {
    const { clients } = connect(emulator);
    const delivered = await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: "carla@vineyard.example", to: OWNER, subject: "Wine tasting" }),
    );
    const page = await clients.gmail.listMessages({ query: "from:carla@vineyard.example" });
    expect(page.ids).toContain(delivered.id);
  });

  it("answers a missing message as not found, without retrying", async () => {
    const { clients, time } = connect(emulator);
    const error = await clients.gmail.getRawMessage("18c0ffee00000000").catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not_found", status: 404 });
    expect(time.sleeps).toEqual([]);
  });

  it("creates, finds, lists and deletes a reply draft in the invitation's thread", async () => {
    const { clients } = connect(emulator);
    const invitation = await emulator.deliverMessage(
      OWNER,
      rawMessage({
        from: "ana@harbour.example",
        to: OWNER,
        subject: "Dinner",
        messageId: "dinner-1@harbour.example",
      }),
    );
    const reply = [
      `From: ${OWNER}`,
      "To: ana@harbour.example",
      "Subject: Re: Dinner",
      "In-Reply-To: <dinner-1@harbour.example>",
      "References: <dinner-1@harbour.example>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Thank you, Ana — with pleasure.",
    ].join("\r\n");
    const sentBefore = emulator.state(OWNER).sent.length;
    const draft = await clients.gmail.createDraft({ threadId: invitation.threadId, raw: reply });
    expect(draft.threadId).toBe(invitation.threadId);
    expect(await clients.gmail.getDraft(draft.draftId)).toEqual({
      id: draft.draftId,
      threadId: invitation.threadId,
    });
    expect(await clients.gmail.listDrafts()).toContainEqual({
      id: draft.draftId,
      messageId: draft.messageId,
      threadId: invitation.threadId,
    });
    expect(emulator.state(OWNER).sent).toHaveLength(sentBefore);
    await clients.gmail.deleteDraft(draft.draftId);
    expect(await clients.gmail.getDraft(draft.draftId)).toBeNull();
    await expect(clients.gmail.deleteDraft(draft.draftId)).resolves.toBeUndefined();
  });

  it("reads every page of drafts", async () => {
    const { clients } = connect(emulator, OTHER);
    const before = (await clients.gmail.listDrafts()).length;
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const thread = await emulator.deliverMessage(
        OTHER,
        rawMessage({ from: "a@b.example", to: OTHER, subject: `T${i}` }),
      );
      const d = await clients.gmail.createDraft({
        threadId: thread.threadId,
        raw: `To: a@b.example\r\nSubject: Re: T${i}\r\n\r\nThanks`,
      });
      created.push(d.draftId);
    }
    const all = await clients.gmail.listDrafts();
    expect(all).toHaveLength(before + 3);
    expect(all.map((d) => d.id)).toEqual(expect.arrayContaining(created));
  });

  it("sends the summary to the owner", async () => {
    const { clients } = connect(emulator);
    const sentBefore = emulator.state(OWNER).sent.length;
    const summary = `From: Decorum <${OWNER}>\r\nTo: Alex Morgan <${OWNER}>\r\nSubject: Your week\r\n\r\nThree invitations.`;
    const { id } = await clients.gmail.sendSummary({ raw: summary });
    expect(id).not.toBe("");
    expect(emulator.state(OWNER).sent.length).toBe(sentBefore + 1);
  });

  it.each([
    ["a client", "To: ana@harbour.example"],
    ["the owner and a client", `To: ${OWNER}, ana@harbour.example`],
    ["the owner with a client in Bcc", `To: ${OWNER}\r\nBcc: ana@harbour.example`],
  ])("refuses to send anything to %s, and Gmail never hears of it", async (_name, recipients) => {
    const { clients } = connect(emulator);
    const sentBefore = emulator.state(OWNER).sent.length;
    const sendsBefore = callsTo(emulator, "gmail.users.messages.send").length;
    const raw = `From: ${OWNER}\r\n${recipients}\r\nSubject: Your week\r\n\r\nHello`;
    await expect(clients.gmail.sendSummary({ raw })).rejects.toBeInstanceOf(SendRefused);
    expect(emulator.state(OWNER).sent.length).toBe(sentBefore);
    expect(callsTo(emulator, "gmail.users.messages.send").length).toBe(sendsBefore);
  });

  it("ensures labels idempotently and applies them", async () => {
    const { clients } = connect(emulator);
    const names = ["Decorum/Handled", "Decorum/Review"];
    const first = await clients.gmail.ensureLabels(names);
    const createsAfterFirst = callsTo(emulator, "gmail.users.labels.create").length;
    const second = await clients.gmail.ensureLabels(names);
    expect(second).toEqual(first);
    expect(Object.keys(first)).toEqual(names);
    expect(callsTo(emulator, "gmail.users.labels.create").length).toBe(createsAfterFirst);
    const userLabels = emulator.state(OWNER).labels.filter((l) => names.includes(l.name));
    expect(userLabels).toHaveLength(2);

    const message = await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: "ana@harbour.example", to: OWNER, subject: "Lunch" }),
    );
    const handled = first["Decorum/Handled"] ?? "";
    await clients.gmail.modifyLabels(message.id, { add: [handled], remove: ["UNREAD"] });
    expect((await clients.gmail.getRawMessage(message.id)).labelIds).toContain(handled);
  });

  it("tolerates another invocation creating the same label at the same moment", async () => {
    const a = connect(emulator);
    const b = connect(emulator);
    // Both lists are answered after the delay, so both see no label and both try to create it.
    emulator.faults.add({ method: "gmail.users.labels.list", delayMs: 150, times: 2 });
    const createsBefore = callsTo(emulator, "gmail.users.labels.create").length;
    const [first, second] = await Promise.all([
      a.clients.gmail.ensureLabels(["Decorum/Raced"]),
      b.clients.gmail.ensureLabels(["Decorum/Raced"]),
    ]);
    expect(first).toEqual(second);
    const creates = callsTo(emulator, "gmail.users.labels.create").slice(createsBefore);
    expect(creates.map((c) => c.status).sort()).toEqual([200, 409]);
  });

  it("watches the inbox and stops", async () => {
    const { clients } = connect(emulator);
    const watch = await clients.gmail.watch({
      topicName: "projects/decorum/topics/gmail",
      labelIds: ["INBOX"],
    });
    expect(watch.expiration.getTime()).toBeGreaterThan(Date.now());
    expect(watch.historyId).toMatch(/^\d+$/);
    expect(emulator.state(OWNER).watch).toBeTruthy();
    await clients.gmail.stop();
    expect(emulator.state(OWNER).watch).toBeFalsy();
  });
});
