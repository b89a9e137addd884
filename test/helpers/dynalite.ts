import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../functions/adapters/dynamo/client.ts";
import { ensureTable } from "../../functions/adapters/dynamo/table.ts";
import { startLocalDynamo } from "../../functions/local/dynalite.ts";

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** The table created at start. */
  tableName: string;
  /** Creates another table from the shared definition, for a test that needs an empty one. */
  newTable(): Promise<string>;
  /** Every item of a table, by Scan. For leftover checks in tests only; the app never Scans. */
  scanAll(tableName?: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * In-memory dynalite on a random port with the table created from the shared definition, for any
 * test that needs DynamoDB over the wire. Call `close()` in afterAll.
 */
export async function startTestDynamo(): Promise<TestDynamo> {
  const local = await startLocalDynamo({ tableName: `test-${randomUUID().slice(0, 8)}` });
  const doc = documentClient(local.client);
  return {
    endpoint: local.endpoint,
    client: local.client,
    doc,
    tableName: local.tableName,
    async newTable() {
      const name = `test-${randomUUID().slice(0, 8)}`;
      await ensureTable(local.client, name);
      return name;
    },
    async scanAll(tableName = local.tableName) {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({
            TableName: tableName,
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
    close: local.close,
  };
}
