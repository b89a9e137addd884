import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueueError } from "../../../functions/adapters/queue/port.ts";
import { createSqsQueue } from "../../../functions/adapters/queue/sqs.ts";

/** A minimal SQS endpoint speaking the JSON protocol the SDK uses, recording what it receives. */
interface Received {
  target: string;
  body: { QueueUrl?: string; MessageBody?: string };
}

let server: Server;
let endpoint = "";
const received: Received[] = [];
let failWith: number | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      received.push({ target: String(req.headers["x-amz-target"]), body });
      if (failWith !== null) {
        res.writeHead(failWith, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "nope" }));
        return;
      }
      const md5 = createHash("md5")
        .update(String(body.MessageBody ?? ""))
        .digest("hex");
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ MessageId: `m-${received.length}`, MD5OfMessageBody: md5 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  endpoint = `http://127.0.0.1:${portOf(server.address())}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(): SQSClient {
  return new SQSClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/decorum-jobs";

describe("createSqsQueue", () => {
  it("sends each job as one validated JSON message", async () => {
    received.length = 0;
    const queue = createSqsQueue({ queueUrl: QUEUE_URL, client: client() });
    await queue.enqueue({
      type: "gmail-sync",
      accountId: "acct-1",
      reason: "push",
      historyId: "99",
    });
    expect(received).toEqual([
      {
        target: "AmazonSQS.SendMessage",
        body: {
          QueueUrl: QUEUE_URL,
          MessageBody: JSON.stringify({
            type: "gmail-sync",
            accountId: "acct-1",
            reason: "push",
            historyId: "99",
          }),
        },
      },
    ]);
  });

  it("refuses a malformed job before sending anything", async () => {
    received.length = 0;
    const queue = createSqsQueue({ queueUrl: QUEUE_URL, client: client() });
    await expect(
      queue.enqueue({ type: "gmail-sync", accountId: "has#hash", reason: "push" }),
    ).rejects.toThrow();
    expect(received).toEqual([]);
  });

  it("reports SQS's refusal as a QueueError", async () => {
    failWith = 400;
    try {
      const queue = createSqsQueue({ queueUrl: QUEUE_URL, client: client() });
      await expect(
        queue.enqueue({ type: "calendar-sync", accountId: "acct-1", reason: "periodic" }),
      ).rejects.toBeInstanceOf(QueueError);
    } finally {
      failWith = null;
    }
  });
});

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
