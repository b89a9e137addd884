import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoLedger } from "../../../functions/adapters/dynamo/ledger.ts";
import { createTableInput, ensureTable, TABLE } from "../../../functions/adapters/dynamo/table.ts";
import { startLocalDynamo } from "../../../functions/local/dynalite.ts";
import { startTestDynamo, type TestDynamo } from "../../helpers/dynalite.ts";
import { invitation } from "./records.ts";

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

describe("the table definition", () => {
  it("is in the shape sst.aws.Dynamo takes: fields, primaryIndex, globalIndexes, ttl", () => {
    expect(Object.keys(TABLE).sort()).toEqual(["fields", "globalIndexes", "primaryIndex", "ttl"]);
    const keyFields = new Set([
      TABLE.primaryIndex.hashKey,
      TABLE.primaryIndex.rangeKey,
      ...Object.values(TABLE.globalIndexes).flatMap((index) => [index.hashKey, index.rangeKey]),
    ]);
    // SST's `fields` lists exactly the key attributes.
    expect(new Set(Object.keys(TABLE.fields))).toEqual(keyFields);
    expect(TABLE.ttl).toBe("expiresAt");
  });

  it("creates the table dynalite describes with those keys and indexes", async () => {
    const described = await dynamo.client.send(
      new DescribeTableCommand({ TableName: dynamo.tableName }),
    );
    expect(described.Table?.TableStatus).toBe("ACTIVE");
    expect(described.Table?.KeySchema).toEqual(createTableInput("x").KeySchema);
    expect(described.Table?.BillingModeSummary?.BillingMode ?? "PAY_PER_REQUEST").toBe(
      "PAY_PER_REQUEST",
    );
    expect(described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      Object.keys(TABLE.globalIndexes).sort(),
    );
  });

  it("is created idempotently", async () => {
    await expect(ensureTable(dynamo.client, dynamo.tableName)).resolves.toBeUndefined();
  });

  it("refuses an existing table with other keys", async () => {
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: "old-design",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      }),
    );
    await expect(ensureTable(dynamo.client, "old-design")).rejects.toMatchObject({
      kind: "config",
      message: expect.stringMatching(/primary key differs/),
    });
  });

  // dynalite lacks UpdateTimeToLive and reports TTL as DISABLED, so TTL is not set up locally;
  // the ledger's reads filter on expiresAt instead (see ledger.test.ts, "retention").
  it("runs on dynalite, which reports TTL as disabled", async () => {
    const ttl = await dynamo.client.send(
      new DescribeTimeToLiveCommand({ TableName: dynamo.tableName }),
    );
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe("DISABLED");
  });
});

describe("startLocalDynamo", () => {
  it("persists under a directory across restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "decorum-dynamo-"));
    try {
      const record = invitation({ key: "persisted" });
      const now = () => new Date("2025-03-10T00:00:00.000Z");
      const first = await startLocalDynamo({ dir });
      await new DynamoLedger({
        client: first.client,
        tableName: first.tableName,
        accountId: "me",
        now,
      }).record(record);
      await first.close();

      const second = await startLocalDynamo({ dir });
      const ledger = new DynamoLedger({
        client: second.client,
        tableName: second.tableName,
        accountId: "me",
        now,
      });
      expect((await ledger.lookup("persisted", null)).existing).toEqual(record);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs in memory on a random port when given no directory", async () => {
    const a = await startLocalDynamo();
    const b = await startLocalDynamo();
    try {
      expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.endpoint).not.toBe(b.endpoint);
      await new DynamoLedger({ client: a.client, tableName: a.tableName, accountId: "me" }).record(
        invitation({ key: "only-in-a", receivedAt: new Date().toISOString() }),
      );
      const inB = new DynamoLedger({ client: b.client, tableName: b.tableName, accountId: "me" });
      expect((await inB.lookup("only-in-a", null)).existing).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
