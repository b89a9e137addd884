/**
 * The one layer through which Decorum talks to Google. Loading this module loads no Google library:
 * @googleapis/gmail, @googleapis/calendar and google-auth-library are imported on first use.
 */
export { createGoogleClients } from "./clients.ts";
export {
  GoogleError,
  type GoogleErrorKind,
  isDisconnected,
  parseRetryAfter,
  translateGoogleError,
} from "./errors.ts";
export { createOAuth, GOOGLE_AUTH_URL, type OAuthConfig } from "./oauth.ts";
export type {
  CalendarChannel,
  CalendarPage,
  CalendarPort,
  CreatedDraft,
  DraftRef,
  GmailPort,
  GmailProfile,
  GmailWatch,
  GoogleEndpoints,
  GoogleTokens,
  HistoryPage,
  MessagePage,
  OAuthGrant,
  OAuthPort,
  Pkce,
  RawMessage,
} from "./ports.ts";
export {
  type PushIdentity,
  type PushRejection,
  PushUnauthorized,
  type VerifyPushOptions,
  verifyPushToken,
} from "./push.ts";
export { assertOnlyRecipient, SendRefused } from "./recipients.ts";
export {
  DEFAULT_RETRY,
  isRetryable,
  isSafeToResend,
  type RetryDelayInput,
  type RetryEvent,
  type RetryOptions,
  retryDelay,
  withRetry,
} from "./retry.ts";
export { type CalendarApiEvent, CalendarApiEventSchema, type IdTokenClaims } from "./schemas.ts";
export { GOOGLE_SCOPE_LIST, GOOGLE_SCOPES, type GoogleScope, missingScopes } from "./scopes.ts";
export type { GoogleClientsConfig } from "./session.ts";
