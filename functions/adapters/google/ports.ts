import type { CalendarApiEvent, IdTokenClaims } from "./schemas.ts";

/**
 * The narrow ports through which Decorum talks to Google: only the calls Decorum makes, in
 * Decorum's own types. Every method fails with a GoogleError (see errors.ts), already retried.
 */

export interface GmailProfile {
  emailAddress: string;
  historyId: string;
}

export interface GmailWatch {
  historyId: string;
  expiration: Date;
}

export interface HistoryPage {
  /** Messages added to INBOX since the cursor, each once, in history order; never SENT or DRAFT. */
  messageIds: string[];
  /** The mailbox's current history id: the next cursor once every page is read. */
  historyId: string;
  nextPageToken?: string;
}

export interface MessagePage {
  ids: string[];
  nextPageToken?: string;
}

export interface RawMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** The RFC 5322 message as Gmail stores it. */
  raw: Uint8Array;
  internalDate: Date;
}

export interface CreatedDraft {
  draftId: string;
  messageId: string;
  threadId: string;
}

export interface DraftRef {
  id: string;
  messageId: string;
  threadId: string;
}

export interface GmailPort {
  getProfile(): Promise<GmailProfile>;
  watch(input: { topicName: string; labelIds: string[] }): Promise<GmailWatch>;
  stop(): Promise<void>;
  /** Fails with kind "cursor_expired" when the start id is too old: run a full sync then. */
  listHistory(input: { startHistoryId: string; pageToken?: string }): Promise<HistoryPage>;
  listMessages(input: {
    query: string;
    pageToken?: string;
    maxResults?: number;
  }): Promise<MessagePage>;
  getRawMessage(id: string): Promise<RawMessage>;
  /**
   * `raw` is the complete RFC 5322 reply (see Draft.raw); it is base64url-encoded here. Without
   * `threadId` (a reply to a Calendar-only invitation) Gmail starts a new thread.
   */
  createDraft(input: { threadId?: string; raw: string }): Promise<CreatedDraft>;
  /** Every draft in the mailbox, all pages read. */
  listDrafts(): Promise<DraftRef[]>;
  /** Null when the draft no longer exists (sent or deleted by the user). */
  getDraft(id: string): Promise<{ id: string; threadId: string } | null>;
  /** Deleting a draft that is already gone succeeds. */
  deleteDraft(id: string): Promise<void>;
  /**
   * The only send in Decorum: the weekly summary. Refuses (SendRefused) unless the message's one
   * recipient is the account's own address.
   */
  sendSummary(input: { raw: string }): Promise<{ id: string }>;
  /** Label name → label id, creating the missing labels. */
  ensureLabels(names: string[]): Promise<Record<string, string>>;
  modifyLabels(messageId: string, change: { add: string[]; remove: string[] }): Promise<void>;
}

export interface CalendarPage {
  events: CalendarApiEvent[];
  nextPageToken?: string;
  /** Present on the last page: store it and pass it as `syncToken` next time. */
  nextSyncToken?: string;
}

export interface CalendarChannel {
  id: string;
  resourceId: string;
  expiration: Date;
}

export interface CalendarPort {
  /** The primary calendar. Fails with kind "gone" when the sync token expired: run a full sync. */
  listEvents(input: { syncToken?: string; pageToken?: string }): Promise<CalendarPage>;
  /** `id` must be new for every channel (at most 64 characters); `address` must be HTTPS. */
  watch(input: {
    id: string;
    address: string;
    token: string;
    ttlSeconds?: number;
  }): Promise<CalendarChannel>;
  /** Stopping a channel that has already expired succeeds. */
  stopChannel(input: { id: string; resourceId: string }): Promise<void>;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export interface OAuthGrant {
  refreshToken: string;
  accessToken: string;
  expiryDate: Date;
  idToken: IdTokenClaims;
  grantedScopes: string[];
}

/** The settings page's side of Google sign-in: the offline authorisation-code flow with PKCE. */
export interface OAuthPort {
  authUrl(input: {
    state: string;
    codeChallenge: string;
    redirectUri: string;
    loginHint?: string;
  }): string;
  exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<OAuthGrant>;
  /** Revoking a token Google no longer knows succeeds. */
  revoke(token: string): Promise<void>;
  createPkce(): Pkce;
}

/** Tokens Google issued on refresh; persist them (refreshToken only comes when Google rotates it). */
export interface GoogleTokens {
  accessToken: string;
  expiryDate: Date | null;
  refreshToken?: string;
  scope?: string;
}

/** Where Google's OAuth lives; tests point these at the emulator. */
export interface GoogleEndpoints {
  authUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  certsUrl?: string;
}
