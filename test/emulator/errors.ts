/**
 * Google's error bodies. APIs answer `{"error":{code,message,errors:[{domain,reason,message}],status}}`;
 * the OAuth endpoints answer the flat RFC 6749 shape `{"error":"invalid_grant","error_description":…}`.
 */

const STATUS_TEXT: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  410: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

const DEFAULT_REASON: Record<number, string> = {
  400: "invalidArgument",
  401: "authError",
  403: "forbidden",
  404: "notFound",
  409: "duplicate",
  410: "fullSyncRequired",
  429: "rateLimitExceeded",
  500: "backendError",
  503: "backendError",
};

export interface ErrorDetail {
  domain?: string;
  reason?: string;
  location?: string;
  locationType?: string;
}

/** Thrown by handlers; the server turns it into Google's JSON. */
export class GoogleApiError extends Error {
  readonly code: number;
  readonly detail: ErrorDetail;
  readonly headers: Record<string, string>;
  /** Some errors (Calendar's 410) omit the gRPC status string, as Google does. */
  readonly withStatus: boolean;

  constructor(
    code: number,
    message: string,
    opts: { detail?: ErrorDetail; headers?: Record<string, string>; withStatus?: boolean } = {},
  ) {
    super(message);
    this.code = code;
    this.detail = opts.detail ?? {};
    this.headers = opts.headers ?? {};
    this.withStatus = opts.withStatus ?? true;
  }

  body(): unknown {
    const item: Record<string, string> = {
      message: this.message,
      domain: this.detail.domain ?? "global",
      reason: this.detail.reason ?? DEFAULT_REASON[this.code] ?? "unknown",
    };
    if (this.detail.location) item.location = this.detail.location;
    if (this.detail.locationType) item.locationType = this.detail.locationType;
    const error: Record<string, unknown> = {
      code: this.code,
      message: this.message,
      errors: [item],
    };
    if (this.withStatus) error.status = STATUS_TEXT[this.code] ?? "UNKNOWN";
    return { error };
  }
}

export const notFound = () => new GoogleApiError(404, "Requested entity was not found.");
export const calendarNotFound = () => new GoogleApiError(404, "Not Found");
export const badRequest = (message: string, reason = "invalidArgument") =>
  new GoogleApiError(400, message, { detail: { reason } });

export function unauthenticated(): GoogleApiError {
  return new GoogleApiError(
    401,
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    {
      detail: { reason: "authError", location: "Authorization", locationType: "header" },
      headers: {
        "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      },
    },
  );
}

export function insufficientScopes(): GoogleApiError {
  return new GoogleApiError(403, "Request had insufficient authentication scopes.", {
    detail: { reason: "insufficientPermissions" },
    headers: {
      "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
    },
  });
}

export function faultError(status: 429 | 500 | 503, retryAfterSeconds?: number): GoogleApiError {
  const messages = {
    429: "Resource has been exhausted (e.g. check quota).",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
  } as const;
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return new GoogleApiError(status, messages[status], { headers });
}

/** OAuth endpoint errors, RFC 6749 §5.2 as Google spells them. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
  body(): unknown {
    return { error: this.error, error_description: this.description };
  }
}
