import { describe, expect, it } from "vitest";
import {
  isConditionalCheckFailed,
  StoreError,
  translateError,
} from "../../../functions/adapters/dynamo/errors.ts";

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

describe("translateError", () => {
  it.each([
    ["ProvisionedThroughputExceededException", "throttled", true],
    ["ThrottlingException", "throttled", true],
    ["RequestLimitExceeded", "throttled", true],
    ["InternalServerError", "unavailable", true],
    ["ServiceUnavailable", "unavailable", true],
    ["ResourceNotFoundException", "not_found", false],
    ["ValidationException", "invalid", false],
    ["AccessDeniedException", "config", false],
    ["UnrecognizedClientException", "config", false],
  ])("maps %s to %s (retryable: %s)", (name, kind, retryable) => {
    const error = translateError(awsError(name), "PutItem");
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind, retryable });
    expect(error.message).toContain("PutItem");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("treats a refused connection as unavailable", () => {
    const error = translateError(awsError("Error", { code: "ECONNREFUSED" }), "Query");
    expect(error).toMatchObject({ kind: "unavailable", retryable: true });
  });

  it("passes a StoreError through unchanged", () => {
    const original = new StoreError("corrupt", "bad item");
    expect(translateError(original, "GetItem")).toBe(original);
  });
});

describe("isConditionalCheckFailed", () => {
  it.each([
    [awsError("ConditionalCheckFailedException"), true],
    [awsError("ValidationException"), false],
    ["ConditionalCheckFailedException", false],
    [null, false],
  ])("recognises %s: %s", (error, expected) => {
    expect(isConditionalCheckFailed(error)).toBe(expected);
  });
});
