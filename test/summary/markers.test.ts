import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { StoreError } from "../../functions/adapters/dynamo/errors.ts";
import { SummaryMarkers } from "../../functions/adapters/dynamo/summary-markers.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

let dynamo: TestDynamo;
let markers: SummaryMarkers;
const now = new Date("2025-03-31T07:00:00.000Z");

beforeAll(async () => {
  dynamo = await startTestDynamo();
  markers = new SummaryMarkers({
    client: dynamo.client,
    tableName: dynamo.tableName,
    now: () => now,
  });
});
afterAll(async () => {
  await dynamo.close();
});

describe("SummaryMarkers", () => {
  it("lets exactly one of many concurrent claims of a week win", async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => markers.claim("race", "2025-W14", { token: `t${i}` })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const marker = await markers.get("race", "2025-W14");
    expect(marker?.status).toBe("claimed");
    expect(marker?.token).toBe(`t${claims.indexOf(true)}`);
  });

  it("keeps weeks and accounts apart", async () => {
    expect(await markers.claim("apart", "2025-W14", { token: "a" })).toBe(true);
    expect(await markers.claim("apart", "2025-W15", { token: "b" })).toBe(true);
    expect(await markers.claim("apart-2", "2025-W14", { token: "c" })).toBe(true);
  });

  it("completes a claim only for its holder, once", async () => {
    await markers.claim("done", "2025-W14", { token: "mine" });
    expect(
      await markers.complete("done", "2025-W14", "theirs", { status: "sent", messageId: "x" }),
    ).toBe(false);
    expect(
      await markers.complete("done", "2025-W14", "mine", { status: "sent", messageId: "m1" }),
    ).toBe(true);
    expect(
      await markers.complete("done", "2025-W14", "mine", { status: "failed", error: "late" }),
    ).toBe(false);
    expect(await markers.get("done", "2025-W14")).toMatchObject({
      status: "sent",
      messageId: "m1",
      error: null,
    });
  });

  it("releases only an open claim held by the caller, after which the week can be claimed again", async () => {
    await markers.claim("rel", "2025-W14", { token: "mine" });
    expect(await markers.release("rel", "2025-W14", "theirs")).toBe(false);
    expect(await markers.release("rel", "2025-W14", "mine")).toBe(true);
    expect(await markers.get("rel", "2025-W14")).toBeNull();
    expect(await markers.claim("rel", "2025-W14", { token: "next" })).toBe(true);
    await markers.complete("rel", "2025-W14", "next", { status: "sent", messageId: "m" });
    expect(await markers.release("rel", "2025-W14", "next")).toBe(false);
  });

  it("records a skipped empty week as final", async () => {
    expect(await markers.claim("empty", "2025-W14", { token: "t", status: "skipped_empty" })).toBe(
      true,
    );
    expect(await markers.claim("empty", "2025-W14", { token: "u" })).toBe(false);
    expect((await markers.get("empty", "2025-W14"))?.status).toBe("skipped_empty");
  });

  it("lives in the account's partition with an expiry, so deleting the account removes it", async () => {
    const cipher = TokenCipher.fromBase64(generateTokenKey());
    const accounts = new AccountStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      cipher,
    });
    await accounts.createAccount({ accountId: "gone", email: "gone@firm.example" });
    await markers.claim("gone", "2025-W14", { token: "t" });
    const item = (await dynamo.scanAll()).find(
      (i) => i.sk === "SUMMARY#2025-W14" && i.pk === "A#gone",
    );
    expect(item?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 120 * 86_400);
    await accounts.deleteAccount("gone");
    expect(await markers.get("gone", "2025-W14")).toBeNull();
  });

  it.each([["2025-14"], ["2025-W1"], ["W14"], ["2025-W14#x"]])(
    "refuses the week key %s",
    async (week) => {
      await expect(markers.claim("bad", week, { token: "t" })).rejects.toBeInstanceOf(StoreError);
    },
  );
});
