import { readFileSync } from "node:fs";
import type { gmail_v1 } from "@googleapis/gmail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GoogleEmulator, startGoogleEmulator } from "./index.ts";
import { clientsFor, googleError, MAILBOX_DIR, rfc822 } from "./testkit.ts";

const OWNER = "owner@example.com";
const ANA = "ana@client-firm.com";
const DAY = 86_400_000;

let emu: GoogleEmulator;
let gmail: gmail_v1.Gmail;

beforeAll(async () => {
  emu = await startGoogleEmulator({
    users: [{ email: OWNER, mailboxDir: MAILBOX_DIR }, { email: ANA }],
  });
  gmail = clientsFor(emu, OWNER).gmail;
});

afterAll(async () => {
  await emu.close();
});

function idOf(subjectPart: string, email = OWNER): { id: string; threadId: string } {
  const found = emu
    .state(email)
    .messages.find((m) => new RegExp(`^Subject: .*${subjectPart}`, "m").test(m.raw));
  if (!found) throw new Error(`no message with subject ${subjectPart}`);
  return found;
}

async function listAll(params: gmail_v1.Params$Resource$Users$Messages$List): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const res = await gmail.users.messages.list({
      userId: "me",
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    ids.push(...(res.data.messages ?? []).map((m) => m.id ?? ""));
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  return ids;
}

const b64 = (data: string | null | undefined) =>
  Buffer.from(data ?? "", "base64url").toString("utf8");

describe("seeding from .eml fixtures", () => {
  it("puts top-level files in INBOX newest first, sent/ in SENT, and threads replies by headers", async () => {
    const inbox = await gmail.users.messages.list({ userId: "me", labelIds: ["INBOX"] });
    const ids = (inbox.data.messages ?? []).map((m) => m.id);
    expect(ids).toEqual([idOf("cata").id, idOf("Re: Dinner").id, idOf("Dinner on Friday").id]);
    expect(inbox.data.resultSizeEstimate).toBe(3);
    expect(idOf("Re: Dinner").threadId).toBe(idOf("Dinner on Friday").id);
    expect(emu.state(OWNER).sent.map((m) => m.id)).toEqual([idOf("Quarterly").id]);

    const invite = await gmail.users.messages.get({
      userId: "me",
      id: idOf("Dinner on Friday").id,
      format: "minimal",
    });
    expect(invite.data.internalDate).toBe(String(Date.parse("2025-03-01T10:00:00Z")));
    expect(invite.data.labelIds).toEqual(["INBOX", "UNREAD"]);
    expect(invite.data.payload).toBeUndefined();
  });
});

describe("users.messages.get formats", () => {
  it("raw is the exact RFC 822 source in base64url", async () => {
    const res = await gmail.users.messages.get({
      userId: "me",
      id: idOf("cata").id,
      format: "raw",
    });
    const source = readFileSync(`${MAILBOX_DIR}/03-cata-multipart.eml`);
    expect(Buffer.from(res.data.raw ?? "", "base64url").equals(source)).toBe(true);
    expect(res.data.sizeEstimate).toBe(source.length);
  });

  it("full gives Gmail's part tree with decoded headers, inline text and attachment ids", async () => {
    const { id } = idOf("cata");
    const res = await gmail.users.messages.get({ userId: "me", id });
    const payload = res.data.payload;
    const header = (name: string) => payload?.headers?.find((h) => h.name === name)?.value;
    expect(header("Subject")).toBe("Invitación a la cata");
    expect(header("From")).toBe("José García <jose@bodega.es>");
    expect(payload?.mimeType).toBe("multipart/mixed");
    expect(payload?.partId).toBe("");
    expect(payload?.parts?.map((p) => [p.partId, p.mimeType])).toEqual([
      ["0", "multipart/alternative"],
      ["1", "text/calendar"],
    ]);
    const plain = payload?.parts?.[0]?.parts?.[0];
    expect(plain?.mimeType).toBe("text/plain");
    expect(b64(plain?.body?.data)).toBe("Te invitamos a una cata de vinos el sábado.");
    expect(res.data.snippet).toBe("Te invitamos a una cata de vinos el sábado.");

    const ics = payload?.parts?.[1];
    expect(ics?.filename).toBe("invite.ics");
    expect(ics?.body?.data).toBeUndefined();
    const attachment = await gmail.users.messages.attachments.get({
      userId: "me",
      messageId: id,
      id: ics?.body?.attachmentId ?? "",
    });
    expect(b64(attachment.data.data)).toContain("UID:cata-2025@bodega.es");
    expect(attachment.data.size).toBe(ics?.body?.size);
  });

  it("metadata returns only the asked headers", async () => {
    const res = await gmail.users.messages.get({
      userId: "me",
      id: idOf("Dinner on Friday").id,
      format: "metadata",
      metadataHeaders: ["Subject", "message-id"],
    });
    expect(res.data.payload?.headers).toEqual([
      { name: "Subject", value: "Dinner on Friday?" },
      { name: "Message-ID", value: "<dinner-1@client-firm.com>" },
    ]);
    expect(res.data.payload?.parts).toBeUndefined();
    expect(res.data.snippet).toBe(
      "Hi! Would you like to join us for dinner on Friday at 8pm? It&#39;s our treat. Ana",
    );
  });

  it("answers 404 in Google's shape for an unknown id and 400 for a malformed one", async () => {
    const missing = await googleError(
      gmail.users.messages.get({ userId: "me", id: "18c0ffee00000000" }),
    );
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({
      error: {
        code: 404,
        message: "Requested entity was not found.",
        errors: [
          { message: "Requested entity was not found.", domain: "global", reason: "notFound" },
        ],
        status: "NOT_FOUND",
      },
    });
    expect(
      (await googleError(gmail.users.messages.get({ userId: "me", id: "not-an-id!" }))).status,
    ).toBe(400);
  });

  it("honours a partial-response field mask", async () => {
    const res = await gmail.users.messages.list({
      userId: "me",
      labelIds: ["INBOX"],
      fields: "messages(id)",
    });
    expect(res.data).toEqual({
      messages: [
        { id: idOf("cata").id },
        { id: idOf("Re: Dinner").id },
        { id: idOf("Dinner on Friday").id },
      ],
    });
  });
});

describe("users.messages.list", () => {
  it.each([
    [
      "after: in epoch seconds",
      `after:${Date.parse("2025-03-02T00:00:00Z") / 1000}`,
      ["cata", "Re: Dinner"],
    ],
    ["after: as a date", "after:2025/03/02", ["cata", "Re: Dinner"]],
    ["before: as a date", "before:2025/03/02", ["Dinner on Friday", "Quarterly"]],
    ["from:", "from:ana@client-firm.com", ["Re: Dinner", "Dinner on Friday"]],
    ["in:sent", "in:sent", ["Quarterly"]],
    ["subject words", "subject:dinner -subject:re", ["Dinner on Friday"]],
    ["free text in a decoded body", "sábado", ["cata"]],
    ["has:attachment", "has:attachment", ["cata"]],
    ["is:unread with a negation", "is:unread -from:ana", ["cata"]],
  ])("filters with %s", async (_name, q, subjects) => {
    const ids = await listAll({ q });
    expect(ids).toEqual(subjects.map((s) => idOf(s).id));
  });

  it("understands newer_than:Nd relative to the emulator clock", async () => {
    const now = Date.now();
    const recent = await emu.deliverMessage(
      OWNER,
      rfc822({ From: ANA, To: OWNER, Subject: "Recent" }, "hi"),
      {
        internalDate: now - 1 * DAY,
      },
    );
    await emu.deliverMessage(OWNER, rfc822({ From: ANA, To: OWNER, Subject: "Older" }, "hi"), {
      internalDate: now - 5 * DAY,
    });
    expect(await listAll({ q: "newer_than:2d" })).toEqual([recent.id]);
    expect(await listAll({ q: "newer_than:6d from:ana" })).toHaveLength(2);
  });

  it("pages with maxResults and pageToken, newest first, without gaps or repeats", async () => {
    for (let i = 0; i < 5; i++) {
      await emu.deliverMessage(
        OWNER,
        rfc822({ From: ANA, To: OWNER, Subject: `Paging ${i}` }, "x"),
        {
          internalDate: Date.parse("2025-01-01T00:00:00Z") + i * 1000,
        },
      );
    }
    const whole = await listAll({ q: "subject:paging" });
    const first = await gmail.users.messages.list({
      userId: "me",
      q: "subject:paging",
      maxResults: 2,
    });
    expect(first.data.messages).toHaveLength(2);
    expect(first.data.nextPageToken).toBeTruthy();
    const paged = await listAll({ q: "subject:paging", maxResults: 2 });
    expect(paged).toEqual(whole);
    expect(whole).toEqual([4, 3, 2, 1, 0].map((i) => idOf(`Paging ${i}`).id));
    const wrong = await googleError(
      gmail.users.messages.list({
        userId: "me",
        q: "other",
        pageToken: first.data.nextPageToken ?? "",
      }),
    );
    expect(wrong.status).toBe(400);
  });
});

describe("history", () => {
  it("records additions and label changes after a start id, with type and label filters and paging", async () => {
    const start = (await gmail.users.getProfile({ userId: "me" })).data.historyId ?? "";
    const delivered = await emu.deliverMessage(
      OWNER,
      rfc822({ From: ANA, To: OWNER, Subject: "History one" }, "x"),
    );
    expect(Number(delivered.historyId)).toBeGreaterThan(Number(start));
    await gmail.users.messages.modify({
      userId: "me",
      id: delivered.id,
      requestBody: { removeLabelIds: ["UNREAD"] },
    });

    const all = await gmail.users.history.list({ userId: "me", startHistoryId: start });
    expect(
      all.data.history?.map((h) => Object.keys(h).filter((k) => k !== "id" && k !== "messages")),
    ).toEqual([["messagesAdded"], ["labelsRemoved"]]);
    expect(all.data.history?.[0]?.messagesAdded?.[0]?.message).toEqual({
      id: delivered.id,
      threadId: delivered.threadId,
      labelIds: ["INBOX", "UNREAD"],
    });
    expect(all.data.history?.[1]?.labelsRemoved?.[0]?.labelIds).toEqual(["UNREAD"]);
    expect(all.data.historyId).toBe(
      (await gmail.users.getProfile({ userId: "me" })).data.historyId,
    );

    const added = await gmail.users.history.list({
      userId: "me",
      startHistoryId: start,
      historyTypes: ["messageAdded"],
    });
    expect(added.data.history).toHaveLength(1);
    const sentOnly = await gmail.users.history.list({
      userId: "me",
      startHistoryId: start,
      labelId: "SENT",
    });
    expect(sentOnly.data.history).toBeUndefined();

    const page1 = await gmail.users.history.list({
      userId: "me",
      startHistoryId: start,
      maxResults: 1,
    });
    expect(page1.data.history).toHaveLength(1);
    const page2 = await gmail.users.history.list({
      userId: "me",
      startHistoryId: start,
      maxResults: 1,
      pageToken: page1.data.nextPageToken ?? "",
    });
    expect(page2.data.history?.[0]?.id).toBe(all.data.history?.[1]?.id);
    expect(page2.data.nextPageToken).toBeUndefined();
  });

  it("answers 404 for a start id older than the kept history (seeded mail is old history)", async () => {
    const seededId = (
      await gmail.users.messages.get({
        userId: "me",
        id: idOf("Dinner on Friday").id,
        format: "minimal",
      })
    ).data.historyId;
    const err = await googleError(
      gmail.users.history.list({ userId: "me", startHistoryId: String(Number(seededId) - 1) }),
    );
    expect(err.status).toBe(404);
  });

  it("answers 404 after expireHistory, and works again from the current id", async () => {
    const user = "expiry@example.com";
    emu.addUser({ email: user });
    const { gmail: g } = clientsFor(emu, user);
    const start = (await g.users.getProfile({ userId: "me" })).data.historyId ?? "";
    await emu.deliverMessage(user, rfc822({ From: ANA, To: user, Subject: "x" }, "x"));
    expect(
      (await g.users.history.list({ userId: "me", startHistoryId: start })).data.history,
    ).toHaveLength(1);
    emu.expireHistory(user);
    const err = await googleError(g.users.history.list({ userId: "me", startHistoryId: start }));
    expect(err.status).toBe(404);
    expect(err.data).toMatchObject({
      error: { code: 404, status: "NOT_FOUND", errors: [{ reason: "notFound" }] },
    });
    const current = emu.state(user).historyId;
    expect(
      (await g.users.history.list({ userId: "me", startHistoryId: current })).data.history,
    ).toBeUndefined();
  });
});

describe("drafts", () => {
  const original = () => idOf("Dinner on Friday");
  const reply = (headers: Record<string, string>) =>
    Buffer.from(
      rfc822({ From: OWNER, To: ANA, ...headers }, "Thank you, but I must decline."),
    ).toString("base64url");

  it.each([
    [
      "joins the thread with threadId, In-Reply-To and a matching Re: subject",
      true,
      true,
      "Re: Dinner on Friday?",
      true,
    ],
    [
      "joins when only References names the original",
      true,
      "refs",
      "RE: Re: Dinner on Friday?",
      true,
    ],
    ["starts a new thread without threadId", false, true, "Re: Dinner on Friday?", false],
    [
      "starts a new thread without In-Reply-To/References",
      true,
      false,
      "Re: Dinner on Friday?",
      false,
    ],
    ["starts a new thread when the subject differs", true, true, "Re: Lunch instead?", false],
  ] as const)("%s", async (_name, withThreadId, withRefs, subject, joins) => {
    const headers: Record<string, string> = { Subject: subject };
    if (withRefs === true) headers["In-Reply-To"] = "<dinner-1@client-firm.com>";
    if (withRefs !== false) headers.References = "<dinner-1@client-firm.com>";
    const res = await gmail.users.drafts.create({
      userId: "me",
      requestBody: {
        message: {
          raw: reply(headers),
          ...(withThreadId ? { threadId: original().threadId } : {}),
        },
      },
    });
    const threadId = res.data.message?.threadId;
    expect(res.data.message?.labelIds).toEqual(["DRAFT"]);
    if (joins) expect(threadId).toBe(original().threadId);
    else {
      expect(threadId).not.toBe(original().threadId);
      expect(threadId).toBe(res.data.message?.id);
    }
  });

  it("lists, gets (raw) and deletes a draft, recording history", async () => {
    const start = emu.state(OWNER).historyId;
    const created = await gmail.users.drafts.create({
      userId: "me",
      requestBody: { message: { raw: reply({ Subject: "Draft to delete" }) } },
    });
    const draftId = created.data.id ?? "";
    expect(draftId).toMatch(/^r\d+$/);
    const listed = await gmail.users.drafts.list({ userId: "me" });
    expect(listed.data.drafts?.[0]).toEqual({
      id: draftId,
      message: { id: created.data.message?.id, threadId: created.data.message?.threadId },
    });

    const got = await gmail.users.drafts.get({ userId: "me", id: draftId, format: "raw" });
    expect(b64(got.data.message?.raw)).toContain("Subject: Draft to delete");
    expect(
      emu
        .state(OWNER)
        .drafts.some((d) => d.id === draftId && d.message.raw.includes("Draft to delete")),
    ).toBe(true);

    await gmail.users.drafts.delete({ userId: "me", id: draftId });
    expect((await googleError(gmail.users.drafts.get({ userId: "me", id: draftId }))).status).toBe(
      404,
    );
    const history = await gmail.users.history.list({ userId: "me", startHistoryId: start });
    expect(
      history.data.history?.map((h) =>
        h.messagesAdded ? "added" : h.messagesDeleted ? "deleted" : "other",
      ),
    ).toEqual(["added", "deleted"]);
    expect(history.data.history?.[0]?.messagesAdded?.[0]?.message?.labelIds).toEqual(["DRAFT"]);
  });

  // The real client sends media uploads to mediaUrl, which googleapis-common does NOT rewrite with
  // rootUrl: adapters must use requestBody.raw to stay on the emulator. The endpoint is still here.
  it.each(["media", "multipart"])(
    "accepts a draft on the /upload endpoint (uploadType=%s)",
    async (uploadType) => {
      const raw = rfc822({ From: OWNER, To: ANA, Subject: `Uploaded ${uploadType}` }, "via upload");
      const { tokens } = clientsFor(emu, OWNER);
      const boundary = "b0undary";
      const body =
        uploadType === "media"
          ? raw
          : `--${boundary}\r\ncontent-type: application/json\r\n\r\n{}\r\n--${boundary}\r\ncontent-type: message/rfc822\r\n\r\n${raw}\r\n--${boundary}--`;
      const res = await fetch(
        `${emu.url}/upload/gmail/v1/users/me/drafts?uploadType=${uploadType}`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${tokens.access_token}`,
            "content-type":
              uploadType === "media" ? "message/rfc822" : `multipart/related; boundary=${boundary}`,
          },
          body,
        },
      );
      expect(res.status).toBe(200);
      const draft: unknown = await res.json();
      expect(draft).toMatchObject({ message: { labelIds: ["DRAFT"] } });
      const id = draft && typeof draft === "object" && "id" in draft ? draft.id : undefined;
      expect(emu.state(OWNER).drafts.find((d) => d.id === id)?.message.raw).toBe(raw);
    },
  );
});

describe("users.messages.send", () => {
  it("stores the message as SENT, stamps a Message-ID, and delivers to another emulator user", async () => {
    const raw = Buffer.from(rfc822({ To: ANA, Subject: "Weekly summary" }, "All quiet.")).toString(
      "base64url",
    );
    const res = await gmail.users.messages.send({ userId: "me", requestBody: { raw } });
    expect(res.data.labelIds).toEqual(["SENT"]);
    const sent = emu.state(OWNER).sent.find((m) => m.id === res.data.id);
    expect(sent?.raw).toMatch(/^Message-ID: <[^>]+>$/m);
    expect(sent?.raw).toMatch(/^From: owner@example.com$/m);
    expect(emu.state(ANA).messages.map((m) => m.labelIds)).toContainEqual(["INBOX", "UNREAD"]);
  });

  it("puts mail sent to oneself in INBOX too", async () => {
    const raw = Buffer.from(rfc822({ To: OWNER, Subject: "Note to self" }, "x")).toString(
      "base64url",
    );
    const res = await gmail.users.messages.send({ userId: "me", requestBody: { raw } });
    expect(res.data.labelIds).toEqual(["SENT", "INBOX", "UNREAD"]);
  });

  it("refuses a message without recipients", async () => {
    const raw = Buffer.from(rfc822({ Subject: "Nobody" }, "x")).toString("base64url");
    const err = await googleError(
      gmail.users.messages.send({ userId: "me", requestBody: { raw } }),
    );
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: { message: "Recipient address required" } });
  });
});

describe("labels and modify", () => {
  it("lists system labels, creates a user label, and answers 409 on a duplicate name", async () => {
    const listed = await gmail.users.labels.list({ userId: "me" });
    expect(listed.data.labels?.map((l) => l.id)).toEqual(
      expect.arrayContaining(["INBOX", "SENT", "DRAFT", "UNREAD"]),
    );
    const created = await gmail.users.labels.create({
      userId: "me",
      requestBody: { name: "Decorum/Handled" },
    });
    expect(created.data).toMatchObject({ id: "Label_1", name: "Decorum/Handled", type: "user" });
    const dup = await googleError(
      gmail.users.labels.create({ userId: "me", requestBody: { name: "decorum/handled" } }),
    );
    expect(dup.status).toBe(409);
    expect(dup.data).toMatchObject({
      error: { code: 409, status: "ALREADY_EXISTS", errors: [{ reason: "duplicate" }] },
    });
    expect(
      (
        await googleError(
          gmail.users.labels.create({ userId: "me", requestBody: { name: "INBOX" } }),
        )
      ).status,
    ).toBe(409);

    const { id } = idOf("cata");
    const modified = await gmail.users.messages.modify({
      userId: "me",
      id,
      requestBody: { addLabelIds: ["Label_1"], removeLabelIds: ["UNREAD"] },
    });
    expect(modified.data.labelIds).toEqual(["INBOX", "Label_1"]);
    expect(await listAll({ q: "label:decorum-handled" })).toEqual([id]);
    const bad = await googleError(
      gmail.users.messages.modify({ userId: "me", id, requestBody: { addLabelIds: ["Label_99"] } }),
    );
    expect(bad.status).toBe(400);
  });
});

describe("watch and stop", () => {
  it("returns the current historyId and a 7-day expiration, and stop clears it", async () => {
    const before = Date.now();
    const res = await gmail.users.watch({
      userId: "me",
      requestBody: {
        topicName: "projects/decorum/topics/gmail",
        labelIds: ["INBOX"],
        labelFilterBehavior: "INCLUDE",
      },
    });
    expect(res.data.historyId).toBe(emu.state(OWNER).historyId);
    const expiration = Number(res.data.expiration);
    expect(expiration).toBeGreaterThanOrEqual(before + 7 * DAY);
    expect(emu.state(OWNER).watch).toMatchObject({
      topicName: "projects/decorum/topics/gmail",
      expiration,
    });
    await gmail.users.stop({ userId: "me" });
    expect(emu.state(OWNER).watch).toBeNull();
    const bad = await googleError(
      gmail.users.watch({ userId: "me", requestBody: { topicName: "gmail" } }),
    );
    expect(bad.status).toBe(400);
  });

  it("counts calls per method", () => {
    const gets = emu.calls.filter(
      (c) => c.method === "gmail.users.messages.get" && c.user === OWNER,
    );
    expect(gets.length).toBeGreaterThan(3);
  });
});
