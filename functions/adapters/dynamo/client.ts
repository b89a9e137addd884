import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DynamoClientOptions {
  /** Defaults to the SDK's own resolution (AWS_REGION in Lambda). */
  region?: string;
  /** A local endpoint such as dynalite's `http://127.0.0.1:8000`; omit for AWS. */
  endpoint?: string;
  /** Omit in Lambda (the SDK uses the function's role); local endpoints take any pair. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Attempts per request, including the first (default 5). After throttling the SDK waits a
   * random 0–1 s, then 0–2 s, 0–4 s, 0–8 s: at most 15 s in all, inside a worker's timeout.
   */
  maxAttempts?: number;
  /** Per-attempt socket timeout. */
  requestTimeoutMs?: number;
}

/** A DynamoDB client with everything injected; the stores never build their own. */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: "standard",
    requestHandler: { connectionTimeout: 3_000, requestTimeout: options.requestTimeoutMs ?? 5_000 },
  });
}

const documentClients = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/** What a store over the shared table is given, and what it keeps of it. */
export interface TableOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => Date;
}

export interface TableAccess {
  doc: DynamoDBDocumentClient;
  table: string;
  now: () => Date;
}

export function tableAccess(options: TableOptions): TableAccess {
  return {
    doc: documentClient(options.client),
    table: options.tableName,
    now: options.now ?? (() => new Date()),
  };
}

/**
 * The document client over a base client. `DynamoDBDocumentClient.from` writes its translate
 * options into the base client's shared config, so every store must get the same one from here.
 */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  let doc = documentClients.get(client);
  if (!doc) {
    doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      unmarshallOptions: { wrapNumbers: false },
    });
    documentClients.set(client, doc);
  }
  return doc;
}

export interface RequestCounter {
  /** API calls made (one per `send`, whatever the SDK retried underneath). */
  requests(): number;
  /** HTTP attempts, retries included. */
  attempts(): number;
  /** Capacity units DynamoDB reported as consumed. */
  capacity(): number;
  /** API calls by operation name, e.g. { GetItemCommand: 2 }. */
  byOperation(): Record<string, number>;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

/** Operations that accept ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  "GetItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchGetItemCommand",
  "BatchWriteItemCommand",
  "GetCommand",
  "PutCommand",
  "UpdateCommand",
  "DeleteCommand",
  "BatchGetCommand",
  "BatchWriteCommand",
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function capacityUnits(value: unknown): number {
  if (Array.isArray(value))
    return value.reduce<number>((sum, item) => sum + capacityUnits(item), 0);
  if (!isRecord(value)) return 0;
  return typeof value.CapacityUnits === "number" ? value.CapacityUnits : 0;
}

let counterIds = 0;

/**
 * Counts every request made through `client` (and any document client over it) and the
 * capacity DynamoDB reports, asking for ReturnConsumedCapacity "TOTAL" on every operation that
 * takes it. For benchmarks and request-budget tests.
 */
export function countRequests(client: DynamoDBClient): RequestCounter {
  const id = ++counterIds;
  const operationsName = `decorumCountRequests${id}`;
  const attemptsName = `decorumCountAttempts${id}`;
  let requests = 0;
  let attempts = 0;
  let capacity = 0;
  let byOperation: Record<string, number> = {};

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName ?? "unknown";
      requests++;
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
      const input = args.input;
      const wantsCapacity =
        CAPACITY_OPERATIONS.has(operation) &&
        isRecord(input) &&
        input.ReturnConsumedCapacity === undefined;
      const result = await next(
        wantsCapacity ? { ...args, input: { ...input, ReturnConsumedCapacity: "TOTAL" } } : args,
      );
      if (isRecord(result.output)) capacity += capacityUnits(result.output.ConsumedCapacity);
      return result;
    },
    { step: "initialize", name: operationsName, priority: "high" },
  );
  // The deserialize step runs inside the retry middleware, so it sees every attempt.
  client.middlewareStack.add(
    (next) => async (args) => {
      attempts++;
      return next(args);
    },
    { step: "deserialize", name: attemptsName, priority: "high" },
  );

  return {
    requests: () => requests,
    attempts: () => attempts,
    capacity: () => capacity,
    byOperation: () => ({ ...byOperation }),
    reset() {
      requests = 0;
      attempts = 0;
      capacity = 0;
      byOperation = {};
    },
    detach() {
      client.middlewareStack.remove(operationsName);
      client.middlewareStack.remove(attemptsName);
    },
  };
}
