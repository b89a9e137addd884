import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTokenKey } from "../../functions/adapters/dynamo/crypto.ts";
import { createSummaryHandler, handler, SUMMARY_LINKS } from "../../functions/handlers/summary.ts";
import { record } from "../core/summary/seed.ts";
import { addAccount, jobDeps, OWNER, startWorld, type World } from "./harness.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

describe("createSummaryHandler", () => {
  it("runs the job with the invocation's time budget and reports counts", async () => {
    await world.freshTable();
    await addAccount(world, { accountId: "h1", records: [record({})] });
    const budgets: number[] = [];
    const run = createSummaryHandler(async (remainingMs) => {
      budgets.push(remainingMs());
      return jobDeps(world, { remainingMs });
    });
    const result = await run(
      { source: "aws.scheduler", time: "2025-03-31T07:00:00Z" },
      {
        getRemainingTimeInMillis: () => 840_000,
      },
    );
    expect(budgets).toEqual([840_000]);
    expect(result).toEqual({
      scanned: 1,
      due: 1,
      sent: 1,
      skipped: 0,
      failed: 0,
      finished: true,
      resumeCursor: null,
    });
    expect(world.emulator.state(OWNER).sent).toHaveLength(1);
  });

  it("hands over when the invocation is about to time out", async () => {
    await world.freshTable();
    await addAccount(world, { accountId: "h2", records: [record({})] });
    const run = createSummaryHandler(async (remainingMs) => jobDeps(world, { remainingMs }));
    const result = await run({}, { getRemainingTimeInMillis: () => 10_000 });
    expect(result).toMatchObject({ scanned: 0, sent: 0, finished: false, resumeCursor: null });
  });

  it.each([[null], ["tick"], [{ cursor: 42 }]])(
    "ignores a scheduler payload it does not know (%j)",
    async (event) => {
      await world.freshTable();
      const run = createSummaryHandler(async (remainingMs) => jobDeps(world, { remainingMs }));
      await expect(run(event)).resolves.toMatchObject({ scanned: 0, finished: true });
    },
  );
});

describe("the production handler", () => {
  it("reads its links from SST and its table over the wire", async () => {
    await world.freshTable();
    // Not due at the real clock's hour in a zone whose slot is never now: scanned, not sent.
    const farHour = (new Date().getUTCHours() + 12) % 24;
    await addAccount(world, {
      accountId: "prod",
      settings: { timeZone: "UTC", summary: { weekday: 1, hour: farHour } },
    });
    const links: Record<string, object> = {
      App: { name: "decorum", stage: "test" },
      [SUMMARY_LINKS.table]: { name: world.tableName },
      [SUMMARY_LINKS.googleClientId]: { value: "client-id" },
      [SUMMARY_LINKS.googleClientSecret]: { value: "client-secret" },
      [SUMMARY_LINKS.tokenKey]: { value: generateTokenKey() },
    };
    for (const [name, value] of Object.entries(links)) {
      process.env[`SST_RESOURCE_${name}`] = JSON.stringify(value);
    }
    process.env.AWS_ENDPOINT_URL_DYNAMODB = world.dynamo.endpoint;
    process.env.AWS_REGION = "local";
    process.env.AWS_ACCESS_KEY_ID = "local";
    process.env.AWS_SECRET_ACCESS_KEY = "local";
    const result = await handler({}, { getRemainingTimeInMillis: () => 840_000 });
    expect(result).toMatchObject({ scanned: 1, due: 0, sent: 0, finished: true });
  });
});
