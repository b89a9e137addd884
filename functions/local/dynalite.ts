import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createDynamoClient } from "../adapters/dynamo/client.ts";
import { ensureTable } from "../adapters/dynamo/table.ts";

export interface LocalDynamoOptions {
  /** Persist under this directory (e.g. `.data/dynamodb`); in memory when absent. */
  dir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  tableName?: string;
}

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

export const LOCAL_TABLE_NAME = "decorum";

/**
 * Runs dynalite in this process, bound to 127.0.0.1, with the table created from the shared
 * definition (functions/adapters/dynamo/table.ts). dynalite has no TTL expiry, transactions or
 * UpdateTimeToLive; the stores rely on none of them, so they behave here as on AWS.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.dir) await mkdir(options.dir, { recursive: true });
  // Tables become ACTIVE at once: writes right after CreateTable would otherwise fail.
  const server = dynalite({ createTableMs: 0, ...(options.dir ? { path: options.dir } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = addressOf(server.address());
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, client, tableName, close };
}

function addressOf(address: string | AddressInfo | null): AddressInfo {
  if (address === null || typeof address === "string") {
    throw new Error("dynalite is not listening on a TCP port");
  }
  return address;
}
