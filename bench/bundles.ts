import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadInfra } from "../test/infra/load-infra.ts";
import { bundleHandler } from "../test/infra/sst-build.ts";
import type { Figures } from "./index.ts";

const run = promisify(execFile);

/** Fresh processes per handler; the median is reported. */
const RUNS = 7;
/** The goal for a handler's module initialisation. */
const GOAL_MS = 150;

/** Imports the bundle in a new plain node process and reports how long the import took. */
const IMPORT_TIMER = `
const { pathToFileURL } = await import("node:url");
const started = performance.now();
await import(pathToFileURL(process.argv[1]).href);
process.stdout.write(String(performance.now() - started));
`;

/**
 * Each Lambda handler built as `sst deploy` builds it (the options infra gives it): the entry
 * chunk Lambda loads at a cold start, the whole package, and the module initialisation time —
 * importing the entry in a fresh node process, the median of several.
 */
export async function benchBundles(log: (line: string) => void): Promise<Figures> {
  const outdir = await mkdtemp(join(tmpdir(), "decorum-bench-bundles-"));
  const figures: Figures = {};
  try {
    const { recording } = await loadInfra();
    const seen = new Set<string>();
    for (const fn of recording.functions) {
      if (seen.has(fn.handler)) continue;
      seen.add(fn.handler);
      const bundle = await bundleHandler(fn.handler, {
        outdir,
        runtime: fn.runtime,
        nodejs: fn.nodejs,
      });
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { stdout } = await run(
          process.execPath,
          ["--input-type=module", "-e", IMPORT_TIMER, bundle.outfile],
          { env: { PATH: process.env.PATH ?? "" } },
        );
        times.push(Number(stdout));
      }
      const init = median(times);
      const name = fn.handler.replace(/^functions\/handlers\/|\.handler$/g, "");
      log(
        `${name.padEnd(8)} entry ${kb(bundle.bytes).padStart(7)} KB, package ${kb(bundle.totalBytes).padStart(7)} KB, init ${init.toFixed(0).padStart(4)} ms (median of ${RUNS}; goal < ${GOAL_MS})`,
      );
      figures[`bundle_${name}_entry_kb`] = Number(kb(bundle.bytes));
      figures[`bundle_${name}_package_kb`] = Number(kb(bundle.totalBytes));
      figures[`bundle_${name}_init_ms`] = Math.round(init * 10) / 10;
    }
    return figures;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** One mailbox's month, for the cost estimate (stated in the README). */
const MONTH = {
  messagesPerDay: 50,
  invitationsPerMonth: 30,
  /** The fallback cron: a Gmail and a Calendar job per account every 15 minutes. */
  idleJobs: 2 * 4 * 24 * 30,
  /** Settings-page requests. */
  pageViews: 100,
};

/** us-east-1 list prices (2025): Lambda arm64, DynamoDB on-demand, SQS, HTTP API, logs. */
const PRICE = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  readUnit: 0.125 / 1e6,
  writeUnit: 0.625 / 1e6,
  sqsRequest: 0.4 / 1e6,
  apiRequest: 1 / 1e6,
  logGb: 0.5,
};

/**
 * DynamoDB and Google requests per unit of work, counted through the real worker on dynalite and
 * the emulator (the demo mailbox as the account's history), and the month they add up to.
 */
export async function benchCosts(log: (line: string) => void): Promise<Figures> {
  const [
    { startLocalDynamo },
    { countRequests },
    { generateTokenKey, TokenCipher },
    { createSyncServices },
    { runJob },
    { demoUser, prepareDemoSeed },
    { startGoogleEmulator },
  ] = await Promise.all([
    import("../functions/local/dynalite.ts"),
    import("../functions/adapters/dynamo/client.ts"),
    import("../functions/adapters/dynamo/crypto.ts"),
    import("../functions/sync/wiring.ts"),
    import("../functions/sync/worker.ts"),
    import("../functions/local/demo.ts"),
    import("../test/emulator/index.ts"),
  ]);
  const dataDir = await mkdtemp(join(tmpdir(), "decorum-bench-costs-"));
  const seed = await prepareDemoSeed({ dataDir, now: new Date() });
  const emulator = await startGoogleEmulator({
    users: [demoUser(seed)],
  });
  const dynamo = await startLocalDynamo({});
  try {
    const counter = countRequests(dynamo.client);
    const services = createSyncServices({
      dynamo: dynamo.client,
      tableName: dynamo.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
      google: {
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        rootUrl: `${emulator.url}/`,
        endpoints: emulator.endpoints,
      },
    });
    const accountId = "bench";
    await services.accounts.createAccount({
      accountId,
      email: seed.email,
      settings: seed.settings,
    });
    await services.accounts.setRefreshToken(
      accountId,
      emulator.issueTokens(seed.email).refresh_token,
    );
    const deps = { ...services.deps, resync: { days: seed.spanDays, maxMessages: 500 } };
    const measure = async (work: () => Promise<unknown>) => {
      counter.reset();
      const calls = emulator.calls.length;
      const started = performance.now();
      await work();
      return {
        requests: counter.requests(),
        capacity: counter.capacity(),
        google: emulator.calls.length - calls,
        seconds: (performance.now() - started) / 1000,
      };
    };
    const job = (type: "gmail-sync" | "calendar-sync") => () =>
      runJob({ type, accountId, reason: "periodic" }, deps);
    const deliver = (subject: string, body: string) =>
      emulator.deliverMessage(
        seed.email,
        [
          "From: Zoe Lane <zoe@lanepartners.example>",
          `To: ${seed.email}`,
          `Subject: ${subject}`,
          `Message-ID: <${subject.replace(/\W+/g, "-")}-${Date.now()}@lanepartners.example>`,
          `Date: ${new Date().toUTCString()}`,
          "",
          body,
        ].join("\r\n"),
      );

    const history = await measure(job("gmail-sync"));
    await measure(job("calendar-sync"));
    const idle = await measure(job("gmail-sync"));
    await deliver("Quarterly report", "Please find the quarterly report attached.");
    const message = await measure(job("gmail-sync"));
    await deliver("Lunch on Thursday?", "Would you like to grab lunch on Thursday? My treat.");
    const invitation = await measure(job("gmail-sync"));
    const push = await measure(() => services.directory.gmailAccount(seed.email));

    log(
      `first sync of ${seed.inboxCount} messages: ${history.requests} DynamoDB requests, ${history.google} Google calls`,
    );
    log(
      `idle sync job: ${idle.requests} DynamoDB requests (${idle.capacity} capacity units), ${idle.google} Google call, ${(idle.seconds * 1000).toFixed(0)} ms`,
    );
    log(
      `sync of one ordinary message: ${message.requests} requests, ${message.google} Google calls, ${(message.seconds * 1000).toFixed(0)} ms`,
    );
    log(
      `sync of one invitation: ${invitation.requests} requests, ${invitation.google} Google calls, ${(invitation.seconds * 1000).toFixed(0)} ms`,
    );
    log(`push endpoint lookup: ${push.requests} request`);

    // Each unit: its DynamoDB capacity; Lambda time as measured here (but at least 0.1 s: local
    // round trips are faster than AWS's), at 1 GB for a job and 0.1 s at 0.5 GB for a push; SQS
    // send + receive + delete; about 1 KB of logs.
    const messages = MONTH.messagesPerDay * 30;
    const capacity =
      MONTH.idleJobs * idle.capacity +
      messages * (message.capacity + push.capacity) +
      MONTH.invitationsPerMonth * (invitation.capacity - message.capacity);
    // Reads and writes are priced apart; the measured split is about 3 reads to 4 writes.
    const dynamoCost = capacity * ((3 * PRICE.readUnit + 4 * PRICE.writeUnit) / 7);
    const jobs = MONTH.idleJobs + messages;
    const lambdaCost =
      (MONTH.idleJobs * Math.max(0.1, idle.seconds) +
        messages * Math.max(0.1, message.seconds) +
        MONTH.invitationsPerMonth * Math.max(0.1, invitation.seconds) +
        messages * 0.1 * 0.5 +
        MONTH.pageViews * 0.3) *
        PRICE.lambdaGbSecond +
      (jobs + messages + MONTH.pageViews) * PRICE.lambdaRequest;
    const sqsCost = jobs * 3 * PRICE.sqsRequest;
    const apiCost = (messages + MONTH.pageViews) * PRICE.apiRequest;
    const logCost = ((jobs + messages) * 1024 * PRICE.logGb) / 1024 ** 3;
    const total = dynamoCost + lambdaCost + sqsCost + apiCost + logCost;
    log(
      `per account per month (${MONTH.messagesPerDay} messages a day, ${MONTH.invitationsPerMonth} invitations, sync every 15 min): $${total.toFixed(3)} — DynamoDB $${dynamoCost.toFixed(3)}, Lambda $${lambdaCost.toFixed(3)}, SQS $${sqsCost.toFixed(3)}, API Gateway $${apiCost.toFixed(4)}, logs $${logCost.toFixed(4)}`,
    );
    return {
      cost_first_sync_dynamo_requests: history.requests,
      cost_idle_job_dynamo_requests: idle.requests,
      cost_idle_job_google_calls: idle.google,
      cost_message_dynamo_requests: message.requests,
      cost_message_google_calls: message.google,
      cost_invitation_dynamo_requests: invitation.requests,
      cost_invitation_google_calls: invitation.google,
      cost_push_lookup_dynamo_requests: push.requests,
      cost_per_account_month_usd: Math.round(total * 1000) / 1000,
    };
  } finally {
    await emulator.close();
    await dynamo.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
