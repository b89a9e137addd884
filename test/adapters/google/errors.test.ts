import { describe, expect, it } from "vitest";
import {
  GoogleError,
  isDisconnected,
  translateGoogleError,
} from "../../../functions/adapters/google/errors.ts";

/** The shape gaxios gives a failed response: status, fetch Headers, parsed body. */
function httpFailure(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    status,
    response: { status, headers: new Headers(headers), data },
  });
}

function apiBody(code: number, message: string, reason?: string) {
  return { error: { code, message, errors: reason ? [{ reason, message }] : undefined } };
}

/** undici's shape: "fetch failed" whose cause carries the socket code. */
function socketFailure(code: string) {
  const socket = Object.assign(new Error("other side closed"), { code });
  return new Error("request to https://gmail.googleapis.com failed", {
    cause: new TypeError("fetch failed", { cause: socket }),
  });
}

const now = Date.parse("2025-03-01T12:00:00Z");

describe("translateGoogleError", () => {
  it.each([
    ["429", httpFailure(429, apiBody(429, "Too many")), {}, "rate_limited", true],
    [
      "403 userRateLimitExceeded",
      httpFailure(403, apiBody(403, "slow down", "userRateLimitExceeded")),
      {},
      "rate_limited",
      true,
    ],
    [
      "403 insufficientPermissions",
      httpFailure(403, apiBody(403, "Insufficient Permission", "insufficientPermissions")),
      {},
      "forbidden",
      false,
    ],
    [
      "401",
      httpFailure(401, apiBody(401, "Invalid Credentials", "authError")),
      {},
      "unauthorised",
      false,
    ],
    [
      "invalid_grant on refresh",
      httpFailure(400, {
        error: "invalid_grant",
        error_description: "Token has been expired or revoked.",
      }),
      {},
      "revoked",
      false,
    ],
    [
      "invalid_grant at code exchange",
      httpFailure(400, { error: "invalid_grant", error_description: "Bad Request" }),
      { invalidGrant: "bad_request" as const },
      "bad_request",
      false,
    ],
    ["404", httpFailure(404, apiBody(404, "Not Found", "notFound")), {}, "not_found", false],
    [
      "404 on history.list",
      httpFailure(404, apiBody(404, "Requested entity was not found.", "notFound")),
      { notFound: "cursor_expired" as const },
      "cursor_expired",
      false,
    ],
    [
      "410",
      httpFailure(410, apiBody(410, "Sync token is no longer valid", "fullSyncRequired")),
      {},
      "gone",
      false,
    ],
    [
      "400",
      httpFailure(400, apiBody(400, "Invalid id value", "invalidArgument")),
      {},
      "bad_request",
      false,
    ],
    [
      "409",
      httpFailure(409, apiBody(409, "Label name exists or conflicts")),
      {},
      "bad_request",
      false,
    ],
    ["500", httpFailure(500, apiBody(500, "Backend Error")), {}, "unavailable", true],
    [
      "502 with an HTML body",
      httpFailure(502, "<html>Bad Gateway</html>"),
      {},
      "unavailable",
      true,
    ],
    ["503", httpFailure(503, apiBody(503, "Service unavailable")), {}, "unavailable", true],
    ["504", httpFailure(504, ""), {}, "unavailable", true],
    ["501", httpFailure(501, ""), {}, "unavailable", false],
    ["ECONNRESET", socketFailure("ECONNRESET"), {}, "unavailable", true],
    ["UND_ERR_SOCKET", socketFailure("UND_ERR_SOCKET"), {}, "unavailable", true],
    ["socket hang up", new Error("socket hang up"), {}, "unavailable", true],
    [
      "the request timeout",
      new Error("request failed", {
        cause: Object.assign(new Error("aborted"), { name: "AbortError" }),
      }),
      {},
      "unavailable",
      true,
    ],
  ])("%s → %s", (_name, error, context, kind, retryable) => {
    const translated = translateGoogleError(error, {
      method: "gmail.users.messages.get",
      now,
      ...context,
    });
    expect(translated).toBeInstanceOf(GoogleError);
    expect(translated).toMatchObject({ kind, retryable });
  });

  it("keeps errors that are not Google's as they are", () => {
    const bug = new TypeError("Cannot read properties of undefined");
    expect(translateGoogleError(bug, { method: "x" })).toBe(bug);
  });

  it.each([
    ["seconds", "12", 12_000],
    ["an HTTP date", "Sat, 01 Mar 2025 12:00:05 GMT", 5000],
  ])("reads Retry-After given in %s", (_name, header, expected) => {
    const translated = translateGoogleError(httpFailure(429, "", { "Retry-After": header }), {
      method: "m",
      now,
    });
    expect(translated).toMatchObject({ retryAfterMs: expected });
  });

  it("names the call, the status and Google's words in a message a person can act on", () => {
    const translated = translateGoogleError(
      httpFailure(403, apiBody(403, "Insufficient Permission", "insufficientPermissions")),
      { method: "gmail.users.messages.modify" },
    );
    expect(String(translated)).toContain(
      "gmail.users.messages.modify → HTTP 403 insufficientPermissions: Insufficient Permission",
    );
    expect(String(translated)).toContain("reconnect Google");
  });

  it("marks only a revoked grant as the Disconnected outcome", () => {
    const revoked = translateGoogleError(httpFailure(400, { error: "invalid_grant" }), {
      method: "oauth2.token",
    });
    const limited = translateGoogleError(httpFailure(429, ""), { method: "oauth2.token" });
    expect(isDisconnected(revoked)).toBe(true);
    expect(isDisconnected(limited)).toBe(false);
    expect(String(revoked)).toContain("reconnect Google on the settings page");
  });

  it("counts a refused connection, but not a reset one, as never having reached Google", () => {
    expect(translateGoogleError(socketFailure("ECONNREFUSED"), { method: "m" })).toMatchObject({
      unprocessed: true,
    });
    expect(translateGoogleError(socketFailure("ECONNRESET"), { method: "m" })).toMatchObject({
      unprocessed: false,
    });
  });
});
