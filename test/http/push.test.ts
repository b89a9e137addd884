import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobQueue } from "../../functions/adapters/queue/port.ts";
import { createPushRoutes } from "../../functions/http/push.ts";
import type { Job } from "../../functions/schemas/jobs.ts";
import { PushDirectory } from "../../functions/sync/push-directory.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulator/index.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

const AUDIENCE = "https://decorum.example/push/gmail";
const PUSH_SA = "gmail-push@decorum-test.iam.gserviceaccount.com";
const OWNER = "alex@morganadvisory.example";
const CHANNEL = "decorum-channel-1";
const TOKEN = "s3cret-channel-token-that-only-google-knows";

let emulator: GoogleEmulator;
let dynamo: TestDynamo;
let directory: PushDirectory;
const jobs: Job[] = [];
let queueDown = false;
const queue: JobQueue = {
  async enqueue(job) {
    if (queueDown) throw new Error("SQS is unreachable");
    jobs.push(job);
  },
};
let app: ReturnType<typeof createPushRoutes>;

beforeAll(async () => {
  [emulator, dynamo] = await Promise.all([
    startGoogleEmulator({ users: [{ email: OWNER }], pushServiceAccount: PUSH_SA }),
    startTestDynamo(),
  ]);
  directory = new PushDirectory({ client: dynamo.client, tableName: dynamo.tableName });
  await directory.putGmailRoute(OWNER, "acct-1");
  await directory.putCalendarRoute({
    accountId: "acct-1",
    channelId: CHANNEL,
    resourceId: "res-1",
    expiration: new Date(Date.now() + 86_400_000),
    token: TOKEN,
  });
  app = createPushRoutes({
    queue,
    directory,
    gmail: {
      audience: AUDIENCE,
      serviceAccountEmail: PUSH_SA,
      certsUrl: emulator.endpoints.certsUrl,
    },
  });
});
afterAll(async () => {
  await Promise.all([emulator?.close(), dynamo?.close()]);
});

function pubsubBody(emailAddress: string, historyId: number | string = 4242): string {
  const data = Buffer.from(JSON.stringify({ emailAddress, historyId })).toString("base64");
  return JSON.stringify({
    message: { data, messageId: "1", publishTime: new Date().toISOString() },
    subscription: "projects/decorum-test/subscriptions/gmail-push",
  });
}

async function gmailPush(authorization: string | null, body = pubsubBody(OWNER)) {
  return app.request("/push/gmail", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === null ? {} : { authorization }),
    },
    body,
  });
}

describe("POST /push/gmail", () => {
  it("verifies, enqueues one job and answers 204 within a second", async () => {
    const token = await emulator.signPushToken({ audience: AUDIENCE });
    jobs.length = 0;
    const started = Date.now();
    const response = await gmailPush(`Bearer ${token}`);
    expect(response.status).toBe(204);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(jobs).toEqual([
      { type: "gmail-sync", accountId: "acct-1", reason: "push", historyId: "4242" },
    ]);
  });

  it("answers 401 without a bearer token, and does nothing", async () => {
    jobs.length = 0;
    const response = await gmailPush(null);
    expect(response.status).toBe(401);
    expect(jobs).toEqual([]);
  });

  it.each([
    ["a token that is not a JWT", async () => "not-a-jwt"],
    ["a forged signature", () => emulator.signPushToken({ audience: AUDIENCE, key: "forged" })],
    ["another audience", () => emulator.signPushToken({ audience: "https://evil.example/push" })],
    [
      "another service account",
      () =>
        emulator.signPushToken({
          audience: AUDIENCE,
          email: "attacker@evil.iam.gserviceaccount.com",
        }),
    ],
    [
      "an unverified email",
      () => emulator.signPushToken({ audience: AUDIENCE, emailVerified: false }),
    ],
    [
      "an expired token",
      () => emulator.signPushToken({ audience: AUDIENCE, expiresInSeconds: -600 }),
    ],
  ])("answers 403 to %s, and does nothing", async (_name, sign) => {
    jobs.length = 0;
    const response = await gmailPush(`Bearer ${await sign()}`);
    expect(response.status).toBe(403);
    expect(jobs).toEqual([]);
  });

  it.each([
    ["a mailbox Decorum does not know", pubsubBody("stranger@elsewhere.example")],
    ["a body that is not a Pub/Sub push", JSON.stringify({ hello: "world" })],
  ])("acknowledges %s without work", async (_name, body) => {
    jobs.length = 0;
    const token = await emulator.signPushToken({ audience: AUDIENCE });
    const response = await gmailPush(`Bearer ${token}`, body);
    expect(response.status).toBe(204);
    expect(jobs).toEqual([]);
  });

  it("answers 503 when the queue cannot take the job, so Pub/Sub delivers again", async () => {
    const token = await emulator.signPushToken({ audience: AUDIENCE });
    queueDown = true;
    try {
      expect((await gmailPush(`Bearer ${token}`)).status).toBe(503);
    } finally {
      queueDown = false;
    }
  });
});

function calendarPush(headers: Record<string, string>) {
  return app.request("/push/calendar", { method: "POST", headers });
}

const channelHeaders = (overrides: Record<string, string> = {}) => ({
  "x-goog-channel-id": CHANNEL,
  "x-goog-channel-token": TOKEN,
  "x-goog-resource-id": "res-1",
  "x-goog-resource-state": "exists",
  "x-goog-message-number": "2",
  ...overrides,
});

describe("POST /push/calendar", () => {
  it("enqueues a calendar sync for a known channel with its token", async () => {
    jobs.length = 0;
    const response = await calendarPush(channelHeaders());
    expect(response.status).toBe(204);
    expect(jobs).toEqual([{ type: "calendar-sync", accountId: "acct-1", reason: "push" }]);
  });

  it("acknowledges the channel's first sync message without work", async () => {
    jobs.length = 0;
    const response = await calendarPush(channelHeaders({ "x-goog-resource-state": "sync" }));
    expect(response.status).toBe(204);
    expect(jobs).toEqual([]);
  });

  it.each([
    ["no channel headers", {}, 401],
    ["no token", { "x-goog-channel-id": CHANNEL }, 401],
    ["an unknown channel", channelHeaders({ "x-goog-channel-id": "made-up" }), 403],
    ["a wrong token", channelHeaders({ "x-goog-channel-token": `${TOKEN}x` }), 403],
    ["a token of another length", channelHeaders({ "x-goog-channel-token": "short" }), 403],
    ["another resource", channelHeaders({ "x-goog-resource-id": "res-2" }), 403],
  ])("answers %s with the right refusal, and does nothing", async (_name, headers, status) => {
    jobs.length = 0;
    const response = await calendarPush(headers);
    expect(response.status).toBe(status);
    expect(jobs).toEqual([]);
  });
});

describe("the push Lambda's import cost", () => {
  it("loads neither Google API client, only google-auth-library to verify tokens", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { fileURLToPath } = await import("node:url");
    const probe = fileURLToPath(new URL("./push-probe.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", probe], {
      cwd: fileURLToPath(new URL("../../", import.meta.url)),
      timeout: 25_000,
    });
    const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    expect(report).toEqual({ afterImport: [], afterUse: ["google-auth-library"], status: 503 });
  });
});
