import type { gmail_v1 } from "@googleapis/gmail";
import { GoogleError } from "./errors.ts";
import type { DraftRef, GmailPort } from "./ports.ts";
import { assertOnlyRecipient } from "./recipients.ts";
import {
  DraftListResponse,
  DraftResponse,
  HistoryListResponse,
  LabelListResponse,
  LabelResponse,
  MessageListResponse,
  ProfileResponse,
  RawMessageResponse,
  SentMessageResponse,
  WatchResponse,
} from "./schemas.ts";
import type { GoogleSession } from "./session.ts";
import { lazy, parseResponse } from "./validate.ts";

const ME = "me";
/** Pages as large as Gmail allows: fewer calls, fewer quota units per message. */
const HISTORY_PAGE = 500;
const DRAFT_PAGE = 500;
/** Self-sent mail (the summary itself) lands in INBOX too; reacting to it would loop. */
const NEVER_NEW = new Set(["SENT", "DRAFT"]);

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

export function createGmailPort(session: GoogleSession): GmailPort {
  // The Gmail client (a large generated module) is loaded on the first call, never at import.
  const gmail = lazy(async (): Promise<gmail_v1.Gmail> => {
    const [module, auth] = await Promise.all([import("@googleapis/gmail"), session.auth()]);
    return module.gmail({
      version: "v1",
      auth,
      retry: false,
      ...(session.config.rootUrl ? { rootUrl: session.config.rootUrl } : {}),
    });
  });
  const ownAddress = lazy(async () => (await port.getProfile()).emailAddress);

  const port: GmailPort = {
    async getProfile() {
      const method = "gmail.users.getProfile";
      const g = await gmail();
      const res = await session.call(method, () => g.users.getProfile({ userId: ME }));
      return parseResponse(ProfileResponse, res.data, method);
    },

    async watch({ topicName, labelIds }) {
      const method = "gmail.users.watch";
      const g = await gmail();
      const res = await session.call(method, () =>
        g.users.watch({
          userId: ME,
          requestBody: { topicName, labelIds, labelFilterBehavior: "INCLUDE" },
        }),
      );
      return parseResponse(WatchResponse, res.data, method);
    },

    async stop() {
      const g = await gmail();
      await session.call("gmail.users.stop", () => g.users.stop({ userId: ME }));
    },

    async listHistory({ startHistoryId, pageToken }) {
      const method = "gmail.users.history.list";
      const g = await gmail();
      const res = await session.call(
        method,
        () =>
          g.users.history.list({
            userId: ME,
            startHistoryId,
            historyTypes: ["messageAdded"],
            labelId: "INBOX",
            maxResults: HISTORY_PAGE,
            ...(pageToken ? { pageToken } : {}),
          }),
        { notFound: "cursor_expired" },
      );
      const page = parseResponse(HistoryListResponse, res.data, method);
      const seen = new Set<string>();
      const messageIds: string[] = [];
      for (const record of page.history ?? []) {
        for (const { message } of record.messagesAdded ?? []) {
          const labels = message.labelIds;
          if (labels && (!labels.includes("INBOX") || labels.some((l) => NEVER_NEW.has(l))))
            continue;
          if (seen.has(message.id)) continue;
          seen.add(message.id);
          messageIds.push(message.id);
        }
      }
      return {
        messageIds,
        historyId: page.historyId,
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },

    async listMessages({ query, pageToken, maxResults }) {
      const method = "gmail.users.messages.list";
      const g = await gmail();
      const res = await session.call(method, () =>
        g.users.messages.list({
          userId: ME,
          q: query,
          ...(pageToken ? { pageToken } : {}),
          ...(maxResults ? { maxResults } : {}),
        }),
      );
      const page = parseResponse(MessageListResponse, res.data, method);
      return {
        ids: (page.messages ?? []).map((m) => m.id),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },

    async getRawMessage(id) {
      const method = "gmail.users.messages.get";
      const g = await gmail();
      const res = await session.call(method, () =>
        g.users.messages.get({ userId: ME, id, format: "raw" }),
      );
      const message = parseResponse(RawMessageResponse, res.data, method);
      return {
        id: message.id,
        threadId: message.threadId,
        labelIds: message.labelIds ?? [],
        raw: new Uint8Array(Buffer.from(message.raw, "base64url")),
        internalDate: message.internalDate,
      };
    },

    async createDraft({ threadId, raw }) {
      const method = "gmail.users.drafts.create";
      const g = await gmail();
      const res = await session.call(
        method,
        () =>
          g.users.drafts.create({
            userId: ME,
            requestBody: { message: { ...(threadId ? { threadId } : {}), raw: base64url(raw) } },
          }),
        { idempotent: false },
      );
      const draft = parseResponse(DraftResponse, res.data, method);
      return { draftId: draft.id, messageId: draft.message.id, threadId: draft.message.threadId };
    },

    async listDrafts() {
      const method = "gmail.users.drafts.list";
      const g = await gmail();
      const drafts: DraftRef[] = [];
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const res = await session.call(method, () =>
          g.users.drafts.list({
            userId: ME,
            maxResults: DRAFT_PAGE,
            ...(token ? { pageToken: token } : {}),
          }),
        );
        const page = parseResponse(DraftListResponse, res.data, method);
        for (const d of page.drafts ?? []) {
          drafts.push({ id: d.id, messageId: d.message.id, threadId: d.message.threadId });
        }
        pageToken = page.nextPageToken;
      } while (pageToken);
      return drafts;
    },

    async getDraft(id) {
      const method = "gmail.users.drafts.get";
      const g = await gmail();
      try {
        const res = await session.call(method, () =>
          g.users.drafts.get({ userId: ME, id, format: "minimal" }),
        );
        const draft = parseResponse(DraftResponse, res.data, method);
        return { id: draft.id, threadId: draft.message.threadId };
      } catch (error) {
        if (error instanceof GoogleError && error.kind === "not_found") return null;
        throw error;
      }
    },

    async deleteDraft(id) {
      const g = await gmail();
      try {
        await session.call("gmail.users.drafts.delete", () =>
          g.users.drafts.delete({ userId: ME, id }),
        );
      } catch (error) {
        if (error instanceof GoogleError && error.kind === "not_found") return;
        throw error;
      }
    },

    async sendSummary({ raw }) {
      const method = "gmail.users.messages.send";
      assertOnlyRecipient(raw, await ownAddress());
      const g = await gmail();
      const res = await session.call(
        method,
        () => g.users.messages.send({ userId: ME, requestBody: { raw: base64url(raw) } }),
        { idempotent: false },
      );
      return { id: parseResponse(SentMessageResponse, res.data, method).id };
    },

    async ensureLabels(names) {
      const g = await gmail();
      const list = async () => {
        const method = "gmail.users.labels.list";
        const res = await session.call(method, () => g.users.labels.list({ userId: ME }));
        return parseResponse(LabelListResponse, res.data, method).labels ?? [];
      };
      // Gmail label names are unique regardless of case.
      const byName = (labels: { id: string; name: string }[]) =>
        new Map(labels.map((l) => [l.name.toLowerCase(), l.id]));
      let existing = byName(await list());
      const result: Record<string, string> = {};
      for (const name of names) {
        const known = existing.get(name.toLowerCase());
        if (known) {
          result[name] = known;
          continue;
        }
        const method = "gmail.users.labels.create";
        try {
          const res = await session.call(method, () =>
            g.users.labels.create({
              userId: ME,
              requestBody: {
                name,
                labelListVisibility: "labelShow",
                messageListVisibility: "show",
              },
            }),
          );
          result[name] = parseResponse(LabelResponse, res.data, method).id;
        } catch (error) {
          // 409: another invocation created it between our list and create.
          if (!(error instanceof GoogleError && error.status === 409)) throw error;
          existing = byName(await list());
          const raced = existing.get(name.toLowerCase());
          if (!raced) throw error;
          result[name] = raced;
        }
      }
      return result;
    },

    async modifyLabels(messageId, { add, remove }) {
      const g = await gmail();
      await session.call("gmail.users.messages.modify", () =>
        g.users.messages.modify({
          userId: ME,
          id: messageId,
          requestBody: { addLabelIds: add, removeLabelIds: remove },
        }),
      );
    },
  };
  return port;
}
