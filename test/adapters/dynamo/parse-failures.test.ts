import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../../functions/adapters/dynamo/crypto.ts";
import { ParseFailureLog } from "../../../functions/adapters/dynamo/parse-failures.ts";
import { isoWeekPeriod } from "../../../functions/core/summary/week.ts";
import { createSummaryDeps } from "../../../functions/summary/wiring.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

const NOW = new Date("2026-11-23T09:00:00.000Z");
const log = () =>
  new ParseFailureLog({ client: dynamo.client, tableName: dynamo.tableName, now: () => NOW });
const failure = (source: string, at: string) => ({ source, at: new Date(at), error: "bad MIME" });

describe("the log of messages that could not be read", () => {
  it("counts a message once however often a retried sync records it", async () => {
    const failures = log();
    for (let i = 0; i < 3; i++)
      await failures.record("once", failure("gmail:m1", "2026-11-18T10:00:00Z"));
    const window = { from: new Date("2026-11-16T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z") };
    expect(await failures.count("once", window)).toBe(1);
  });

  it.each([
    ["at the window's start", "2026-11-16T00:00:00.000Z", 1],
    ["just before the window", "2026-11-15T23:59:59.999Z", 0],
    ["just before the window's end", "2026-11-22T23:59:59.999Z", 1],
    ["at the exclusive end", "2026-11-23T00:00:00.000Z", 0],
  ])("counts a message that arrived %s", async (_label, at, expected) => {
    const account = `edge-${expected}-${at.replace(/\D/g, "")}`;
    const failures = log();
    await failures.record(account, failure("gmail:x", at));
    const window = { from: new Date("2026-11-16T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z") };
    expect(await failures.count(account, window)).toBe(expected);
  });

  it("keeps one account's failures from another's count", async () => {
    const failures = log();
    await failures.record("mine", failure("gmail:a", "2026-11-20T10:00:00Z"));
    const window = { from: new Date("2026-11-16T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z") };
    expect(await failures.count("theirs", window)).toBe(0);
  });

  it("reaches the weekly summary's account health, and goes when the account is deleted", async () => {
    const cipher = TokenCipher.fromBase64(generateTokenKey());
    const accounts = new AccountStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      cipher,
    });
    await accounts.createAccount({ accountId: "summary", email: "alex@firm.example" });
    await log().record("summary", failure("gmail:s1", "2026-11-17T08:00:00Z"));
    await log().record("summary", failure("gmail:s2", "2026-11-19T08:00:00Z"));
    const deps = createSummaryDeps({
      dynamo: dynamo.client,
      tableName: dynamo.tableName,
      cipher,
      google: { clientId: "id", clientSecret: "secret" },
      settingsUrl: null,
      remainingMs: () => 60_000,
      now: () => NOW,
    });
    const account = (await deps.listAccounts({ limit: 10 })).items.find(
      (a) => a.accountId === "summary",
    );
    const period = isoWeekPeriod("2026-W47", "UTC");
    expect(account && period && (await deps.parseFailures?.(account, period))).toBe(2);

    await accounts.deleteAccount("summary");
    const after = await log().count("summary", {
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-12-01T00:00:00Z"),
    });
    expect(after).toBe(0);
  });
});
