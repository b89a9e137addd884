import * as z from "zod";

/**
 * What went wrong when talking to Google, in Decorum's words. Callers branch on `kind`, never on
 * HTTP statuses or Google's reason strings.
 */
export type GoogleErrorKind =
  | "rate_limited"
  | "not_found"
  /** Gmail's history cursor is too old (history.list 404): run a full sync. */
  | "cursor_expired"
  /** Calendar's sync token is no longer valid (410): clear local state and run a full sync. */
  | "gone"
  /** The access token was refused even after one refresh. */
  | "unauthorised"
  /** The refresh token is dead (invalid_grant): mark the account disconnected. */
  | "revoked"
  | "forbidden"
  | "bad_request"
  | "unavailable";

export interface GoogleErrorInit {
  kind: GoogleErrorKind;
  message: string;
  /** The operation, e.g. "gmail.users.history.list" or "oauth2.token". */
  method: string;
  status?: number | null;
  /** Google's own reason, e.g. "insufficientPermissions" or "invalid_grant". */
  reason?: string | null;
  retryAfterMs?: number | null;
  retryable?: boolean;
  /** True when Google certainly did not act on the request (safe to resend a non-idempotent call). */
  unprocessed?: boolean;
  attempts?: number;
  cause?: unknown;
}

export class GoogleError extends Error {
  override readonly name = "GoogleError";
  readonly kind: GoogleErrorKind;
  readonly method: string;
  readonly status: number | null;
  readonly reason: string | null;
  readonly retryAfterMs: number | null;
  readonly retryable: boolean;
  readonly unprocessed: boolean;
  /** How many attempts were made before this error was final (1 when it was never retried). */
  readonly attempts: number;

  constructor(init: GoogleErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.status = init.status ?? null;
    this.reason = init.reason ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.retryable = init.retryable ?? false;
    this.unprocessed = init.unprocessed ?? false;
    this.attempts = init.attempts ?? 1;
  }

  /** The same error with a different message or attempt count (the give-up error of a retry loop). */
  with(changes: Partial<Pick<GoogleErrorInit, "message" | "attempts" | "kind">>): GoogleError {
    return new GoogleError({
      kind: changes.kind ?? this.kind,
      message: changes.message ?? this.message,
      method: this.method,
      status: this.status,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
      unprocessed: this.unprocessed,
      attempts: changes.attempts ?? this.attempts,
      cause: this.cause,
    });
  }
}

/** The Disconnected outcome: Google will not accept this account's grant again until the user reconnects. */
export function isDisconnected(error: unknown): error is GoogleError {
  return error instanceof GoogleError && error.kind === "revoked";
}

/** Statuses worth another try: Google's documented transient answers. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** 403 reasons that mean "slow down", which Gmail and Calendar still send for per-user limits. */
const RATE_LIMIT_REASONS = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "RATE_LIMIT_EXCEEDED",
]);

/** Socket-level failures where no usable answer came back. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "TimeoutError",
  // Decorum passes no abort signal of its own, so an aborted request is the request timeout firing.
  "AbortError",
]);
const NETWORK_MESSAGES = /socket hang up|other side closed|fetch failed|network timeout/i;

/** A refused connection never reached Google, so even a send can be repeated safely. */
const UNSENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

const ApiErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z
      .array(z.object({ reason: z.string().optional(), message: z.string().optional() }))
      .optional(),
    // AIP-193 ErrorInfo, which newer Google errors carry instead of `errors[].reason`.
    details: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});
const OAuthErrorBody = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/** The parts of a gaxios error (or a fetch failure) that translation needs, read without casts. */
interface Observed {
  status: number | null;
  headers: unknown;
  data: unknown;
  codes: string[];
  messages: string[];
}

function observe(error: unknown): Observed {
  const codes: string[] = [];
  const messages: string[] = [];
  let status: number | null = null;
  let headers: unknown;
  let data: unknown;
  let current: unknown = error;
  // Walk the cause chain: undici hides the socket error two levels down ("fetch failed" → cause).
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    if ("code" in current && typeof current.code === "string") codes.push(current.code);
    if ("name" in current && typeof current.name === "string") codes.push(current.name);
    if ("message" in current && typeof current.message === "string") messages.push(current.message);
    if (status === null && "response" in current) {
      const response = current.response;
      if (response !== null && typeof response === "object" && "status" in response) {
        if (typeof response.status === "number") status = response.status;
        if ("headers" in response) headers = response.headers;
        if ("data" in response) data = response.data;
      }
    }
    current = "cause" in current ? current.cause : null;
  }
  return { status, headers, data, codes, messages };
}

function headerValue(headers: unknown, name: string): string | null {
  if (headers === null || typeof headers !== "object") return null;
  // gaxios hands over a fetch Headers, though not always this realm's class.
  if ("get" in headers && typeof headers.get === "function") {
    const value: unknown = headers.get(name);
    return typeof value === "string" ? value : null;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === "string") return value;
  }
  return null;
}

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

function parseJson(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

export interface TranslateContext {
  method: string;
  now?: number;
  /** What a 404 means for this call: history.list's 404 is a stale cursor, not a missing item. */
  notFound?: GoogleErrorKind;
  /** What invalid_grant means: a dead refresh token, or (at code exchange) a stale code. */
  invalidGrant?: GoogleErrorKind;
}

/**
 * Translates anything the Google clients throw into a GoogleError. Errors that are not Google's
 * (a bug in Decorum, a missing parameter) are returned as they were.
 */
export function translateGoogleError(error: unknown, context: TranslateContext): unknown {
  if (error instanceof GoogleError) return error;
  const seen = observe(error);
  const { method } = context;
  const now = context.now ?? Date.now();

  if (seen.status === null) {
    const network =
      seen.codes.some((code) => NETWORK_CODES.has(code)) ||
      seen.messages.some((message) => NETWORK_MESSAGES.test(message));
    if (!network) return error;
    const code = seen.codes.find((c) => NETWORK_CODES.has(c)) ?? "network error";
    const what = code === "AbortError" || code === "TimeoutError" ? "no answer in time" : code;
    return new GoogleError({
      kind: "unavailable",
      method,
      message: `Could not reach Google for ${method} (${what}); Decorum will try again later.`,
      retryable: true,
      unprocessed: seen.codes.some((c) => UNSENT_CODES.has(c)),
      cause: error,
    });
  }

  const status = seen.status;
  const body = parseJson(seen.data);
  const oauth = OAuthErrorBody.safeParse(body);
  const api = ApiErrorBody.safeParse(body);
  const reason = oauth.success
    ? oauth.data.error
    : api.success
      ? (api.data.error.errors?.find((e) => e.reason)?.reason ??
        api.data.error.details?.find((d) => d.reason)?.reason ??
        api.data.error.status ??
        null)
      : null;
  const googleSays = oauth.success
    ? (oauth.data.error_description ?? oauth.data.error)
    : api.success
      ? (api.data.error.message ?? null)
      : null;
  const detail = `${method} → HTTP ${status}${reason ? ` ${reason}` : ""}${googleSays ? `: ${googleSays}` : ""}`;
  const retryAfterMs = parseRetryAfter(headerValue(seen.headers, "retry-after"), now);
  const base = { method, status, reason, retryAfterMs, cause: error };

  if (oauth.success && oauth.data.error === "invalid_grant") {
    const kind = context.invalidGrant ?? "revoked";
    return new GoogleError({
      ...base,
      kind,
      message:
        kind === "revoked"
          ? `Google no longer accepts Decorum's access to this account (${detail}). The access was revoked, expired or replaced: reconnect Google on the settings page.`
          : `Google refused the sign-in code (${detail}). It expired or was already used: start connecting again.`,
    });
  }
  if (
    oauth.success &&
    (oauth.data.error === "invalid_client" || oauth.data.error === "unauthorized_client")
  ) {
    return new GoogleError({
      ...base,
      kind: "unauthorised",
      message: `Google rejected Decorum's OAuth client (${detail}). Check the configured Google client ID and secret.`,
    });
  }
  if (status === 429 || (status === 403 && reason !== null && RATE_LIMIT_REASONS.has(reason))) {
    return new GoogleError({
      ...base,
      kind: "rate_limited",
      retryable: true,
      unprocessed: true,
      message: `Google is rate-limiting Decorum (${detail}); Decorum will slow down and try again.`,
    });
  }
  if (status === 401) {
    return new GoogleError({
      ...base,
      kind: "unauthorised",
      message: `Google refused Decorum's access token (${detail}). If this persists, reconnect Google on the settings page.`,
    });
  }
  if (status === 403) {
    return new GoogleError({
      ...base,
      kind: "forbidden",
      message: `Google refused ${method} (${detail}). Decorum may lack a permission: reconnect Google on the settings page and allow every requested access.`,
    });
  }
  if (status === 404) {
    const kind = context.notFound ?? "not_found";
    return new GoogleError({
      ...base,
      kind,
      message:
        kind === "cursor_expired"
          ? `Gmail's change history no longer reaches back to the saved point (${detail}); Decorum will run a full sync.`
          : `Google has no such item (${detail}); it was probably deleted.`,
    });
  }
  if (status === 410) {
    return new GoogleError({
      ...base,
      kind: "gone",
      message: `Google Calendar's sync token is no longer valid (${detail}); Decorum will run a full sync.`,
    });
  }
  if (status >= 500) {
    return new GoogleError({
      ...base,
      kind: "unavailable",
      retryable: RETRYABLE_STATUSES.has(status),
      // 503 is Google's "not now": the request was not acted on.
      unprocessed: status === 503,
      message: `Google is having trouble (${detail}); Decorum will try again later.`,
    });
  }
  return new GoogleError({
    ...base,
    kind: "bad_request",
    message: `Google rejected the request (${detail}).`,
  });
}
