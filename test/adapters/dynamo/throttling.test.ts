import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../../functions/adapters/dynamo/accounts.ts";
import { countRequests, createDynamoClient } from "../../../functions/adapters/dynamo/client.ts";
import { generateTokenKey, TokenCipher } from "../../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../../functions/adapters/dynamo/ledger.ts";
import { FREQUENCY_CATEGORIES } from "../../../functions/core/vocabulary.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";
import { invitation } from "./records.ts";
import { startThrottlingProxy, type ThrottlingProxy } from "./throttling-proxy.ts";

const NOW = new Date("2025-03-10T09:00:00.000Z");
const WINDOW = {
  from: new Date("2025-02-01T00:00:00.000Z"),
  to: new Date("2025-03-10T00:00:00.000Z"),
  categories: FREQUENCY_CATEGORIES,
};

let dynamo: TestDynamo;
let proxy: ThrottlingProxy;

/** Half of all operations are throttled once, a sixth of them twice. */
function throttlesFor(operation: { invocationId: string }): number {
  const byte = createHash("sha256").update(operation.invocationId).digest()[0] ?? 0;
  return byte % 6 === 0 ? 2 : byte % 2;
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  proxy = await startThrottlingProxy(dynamo.endpoint, throttlesFor);
});

afterAll(async () => {
  await proxy.close();
  await dynamo.close();
});

function throttledClient(maxAttempts?: number) {
  return createDynamoClient({
    endpoint: proxy.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

describe("throttling at the HTTP layer", () => {
  it("is retried by the SDK and loses no write", async () => {
    const client = throttledClient();
    const counter = countRequests(client);
    const accountId = `acct-${randomUUID()}`;
    const ledger = new DynamoLedger({
      client,
      tableName: dynamo.tableName,
      accountId,
      now: () => NOW,
    });
    const accounts = new AccountStore({
      client,
      tableName: dynamo.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
      now: () => NOW,
    });
    await accounts.createAccount({ accountId, email: "owner@firm.example" });
    const throttledBefore = proxy.throttled();

    const duplicate = invitation({ key: "same-uid" });
    const distinct = Array.from({ length: 20 }, (_, index) =>
      invitation({
        key: `uid-${index}`,
        receivedAt: new Date(Date.parse("2025-03-01T00:00:00.000Z") + index * 60_000).toISOString(),
      }),
    );
    const historyIds = Array.from({ length: 15 }, (_, index) => String(1000 + index * 7));
    const results = await Promise.all([
      ...Array.from({ length: 15 }, () => ledger.record(duplicate)),
      ...distinct.map((record) => ledger.record(record)),
      ...historyIds.map(async (id) => {
        await accounts.advanceHistoryId(accountId, id);
        return null;
      }),
    ]);

    expect(proxy.throttled()).toBeGreaterThan(throttledBefore);
    expect(counter.attempts()).toBeGreaterThan(counter.requests());
    expect(results.filter((result) => result?.created)).toHaveLength(21);

    // Read back over an unthrottled connection, with a fresh ledger (nothing remembered).
    const direct = new DynamoLedger({
      client: dynamo.client,
      tableName: dynamo.tableName,
      accountId,
      now: () => NOW,
    });
    expect(await direct.countInvitations("client.example", WINDOW)).toBe(21);
    for (const record of [duplicate, ...distinct]) {
      expect((await direct.lookup(record.key, null)).existing).toEqual(record);
    }
    const fresh = new AccountStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
    });
    expect((await fresh.getAccount(accountId))?.gmail.historyId).toBe("1098");
    client.destroy();
  });

  it("surfaces a retryable `throttled` StoreError once the attempts run out", async () => {
    const always = await startThrottlingProxy(dynamo.endpoint, () => Number.POSITIVE_INFINITY);
    const client = createDynamoClient({
      endpoint: always.endpoint,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 2,
    });
    const ledger = new DynamoLedger({
      client,
      tableName: dynamo.tableName,
      accountId: "throttled",
      now: () => NOW,
    });

    await expect(ledger.lookup("k", "client.example")).rejects.toMatchObject({
      name: "StoreError",
      kind: "throttled",
      retryable: true,
    });
    expect(always.throttled()).toBe(2);
    client.destroy();
    await always.close();
  });
});
