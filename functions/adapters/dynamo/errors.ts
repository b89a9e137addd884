/**
 * The store's one error type. Callers branch on `kind`, never on AWS error names, so the queue
 * worker's retry policy and the HTTP layer's `onError` can answer every store failure in one place.
 */
export type StoreErrorKind =
  /** DynamoDB throttled us even after the SDK's retries; safe to retry later. */
  | "throttled"
  /** The network or the service failed; safe to retry later. */
  | "unavailable"
  /** The thing asked for does not exist (an account, or the table itself). */
  | "not_found"
  /** A request we built or a value we were given is invalid: a bug or bad input, never retried. */
  | "invalid"
  /** A stored item (or an encrypted token) does not have the shape we wrote: never retried. */
  | "corrupt"
  /** Configuration is missing or wrong (e.g. the token key): never retried. */
  | "config";

const RETRYABLE: ReadonlySet<StoreErrorKind> = new Set(["throttled", "unavailable"]);

export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly kind: StoreErrorKind;
  readonly retryable: boolean;

  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.retryable = RETRYABLE.has(kind);
  }
}

const THROTTLING = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
]);
const UNAVAILABLE = new Set([
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const CONFIGURATION = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "CredentialsProviderError",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = "name" in error ? error.name : undefined;
  return typeof name === "string" ? name : undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * True for DynamoDB's answer to a failed ConditionExpression. In this store that is control flow
 * (a duplicate delivery, a lost race, an older cursor), never a failure.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === "ConditionalCheckFailedException";
}

/** Translates whatever the SDK threw into a StoreError, keeping the original as `cause`. */
export function translateError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const name = errorName(error) ?? "UnknownError";
  const detail = error instanceof Error ? error.message : String(error);
  const message = `DynamoDB ${operation} failed: ${name}: ${detail}`;
  if (THROTTLING.has(name)) return new StoreError("throttled", message, { cause: error });
  const code = errorCode(error);
  if (UNAVAILABLE.has(name) || (code !== undefined && NETWORK_CODES.has(code))) {
    return new StoreError("unavailable", message, { cause: error });
  }
  if (name === "ResourceNotFoundException") {
    return new StoreError("not_found", message, { cause: error });
  }
  if (CONFIGURATION.has(name)) return new StoreError("config", message, { cause: error });
  if (name === "ValidationException" || name === "SerializationException") {
    return new StoreError("invalid", message, { cause: error });
  }
  return new StoreError("unavailable", message, { cause: error });
}
