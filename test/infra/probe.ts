import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as z from "zod";
import type { ProbeResult } from "./checks.ts";
import type { HandlerBundle } from "./sst-build.ts";
import { type LinkTarget, Output, type RecordedFunction, type Recording } from "./sst-standin.ts";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("./probe-child.mjs", import.meta.url));

const Result = z.object({
  outcome: z.string(),
  error: z.string().nullable(),
  links: z.object({ import: z.array(z.string()), invoke: z.array(z.string()) }),
  env: z.object({ import: z.array(z.string()), invoke: z.array(z.string()) }),
});

/** Link values of the right shape, as SST would bundle them. */
function linkValue(link: LinkTarget): Record<string, string> {
  const value: Record<string, string> = { type: link.kind };
  for (const property of link.properties) {
    if (property === "name") value.name = `probe-${link.name}`;
    else if (property === "url") {
      value.url =
        link.kind === "sst.aws.Queue"
          ? `http://127.0.0.1:9/000000000000/probe-${link.name}`
          : "https://decorum.probe";
    } else if (property === "value") {
      // The token key must decode to 32 bytes and the session key be long: config checks both.
      value.value =
        link.name === "TokenKey"
          ? randomBytes(32).toString("base64")
          : `probe-${link.name}-${"x".repeat(40)}`;
    } else value[property] = `probe-${property}`;
  }
  return value;
}

/** Plausible values for the plain settings a deployer leaves empty in this test. */
const SAMPLE_SETTINGS: Record<string, string> = {
  DECORUM_ALLOWED: "owner@example.com",
  DECORUM_PUSH_SA: "gmail-push@probe-project.iam.gserviceaccount.com",
  DECORUM_PUBSUB_TOPIC: "projects/probe-project/topics/decorum-gmail",
  DECORUM_BASE_URL: "https://decorum.probe",
};

function environmentOf(fn: RecordedFunction): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) {
    if (value instanceof Output) env[name] = SAMPLE_SETTINGS[name] ?? "https://decorum.probe";
    else if (typeof value === "string" && value !== "") env[name] = value;
    else env[name] = SAMPLE_SETTINGS[name] ?? "probe";
  }
  return env;
}

/** The event the function's trigger sends, for one representative invocation. */
export function sampleEvent(fn: RecordedFunction, recording: Recording): unknown {
  const route = recording.routes.find((r) => r.fn === fn);
  if (route) {
    const [method, path] = route.route === "$default" ? ["GET", "/"] : route.route.split(" ");
    return {
      version: "2.0",
      routeKey: route.route,
      rawPath: path,
      rawQueryString: "",
      headers: {
        host: "probe.execute-api.us-east-1.amazonaws.com",
        "content-type": "application/json",
      },
      requestContext: {
        accountId: "000000000000",
        apiId: "probe",
        domainName: "probe.execute-api.us-east-1.amazonaws.com",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "probe" },
        requestId: "probe",
        routeKey: route.route,
        stage: "$default",
        time: "01/Jan/2026:00:00:00 +0000",
        timeEpoch: 1_767_225_600_000,
      },
      body: method === "POST" ? "{}" : undefined,
      isBase64Encoded: false,
    };
  }
  if (recording.queues.some((queue) => queue.subscriber?.fn === fn)) {
    const job = { type: "gmail-sync", accountId: "probe-account", reason: "periodic" };
    return {
      Records: [
        {
          messageId: "probe-message",
          receiptHandle: "probe",
          body: JSON.stringify(job),
          attributes: {},
          messageAttributes: {},
          eventSource: "aws:sqs",
        },
      ],
    };
  }
  // EventBridge Scheduler sends the CronV2 `event` (none here) as its input.
  return {};
}

/** Imports the bundle in a fresh node process and invokes it once; see probe-child.mjs. */
export async function probeHandler(
  bundle: HandlerBundle,
  fn: RecordedFunction,
  recording: Recording,
): Promise<ProbeResult> {
  const links = Object.fromEntries(fn.links.map((link) => [link.name, linkValue(link)]));
  const resultFile = join(await mkdtemp(join(tmpdir(), "decorum-probe-")), "result.json");
  await run(
    process.execPath,
    [
      CHILD,
      bundle.outfile,
      bundle.exportName,
      JSON.stringify(sampleEvent(fn, recording)),
      JSON.stringify(links),
      JSON.stringify(environmentOf(fn)),
      resultFile,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  try {
    return Result.parse(JSON.parse(await readFile(resultFile, "utf8")));
  } finally {
    await rm(dirname(resultFile), { recursive: true, force: true });
  }
}
