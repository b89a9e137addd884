import { parseArgs } from "node:util";
import { UsageError } from "../cli/errors.ts";
import type { CliIO } from "../cli/main.ts";
import { LocalConfigError } from "./config.ts";
import { LocalStoreBusy } from "./lock.ts";
import { startLocal } from "./server.ts";

export const START_USAGE = `Usage: decorum start

Runs Decorum on this machine: the settings page at http://localhost:8787 and the sync worker,
on a local DynamoDB kept in .data/. Without GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (in the
environment or .env) it runs the demo. Ctrl-C stops it; the next start carries on.
Environment: PORT, DECORUM_DATA_DIR, GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, DECORUM_ALLOWED,
DECORUM_BASE_URL, DECORUM_SYNC_INTERVAL_SECONDS, DECORUM_SESSION_KEY, DECORUM_TOKEN_KEY.
`;

/** Stopping takes at most this long; a job still running after it is abandoned (and retried). */
const STOP_GRACE_MS = 10_000;

/** `decorum start`: runs until SIGINT or SIGTERM, then stops cleanly and returns 0. */
export async function runStart(argv: string[], io: CliIO): Promise<number> {
  let help = false;
  try {
    help =
      parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } }).values.help ===
      true;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (help) {
    io.stdout.write(START_USAGE);
    return 0;
  }
  const print = (line: string) => io.stdout.write(`${line}\n`);
  // The SDK only ever talks to the local dynalite here; its Node 22 notice is noise on Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let server: Awaited<ReturnType<typeof startLocal>>;
  try {
    server = await startLocal({ env: process.env, cwd: io.cwd, print, now: io.now });
  } catch (error) {
    if (error instanceof LocalConfigError || error instanceof LocalStoreBusy) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  print(`\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping (waiting for running syncs)…`);
  const stopped = await Promise.race([
    server.close().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
  ]);
  if (!stopped) {
    print("stopped (a sync was cut short; it runs again next start).");
    // Whatever still runs would keep the process alive; the unref'd timer fires only then.
    setTimeout(() => process.exit(0), 1_000).unref();
    return 0;
  }
  print("stopped.");
  return 0;
}
