/**
 * One measurement in its own process: `parse` runs postal-mime alone over every message of the
 * mbox; `triage` runs Decorum's whole triage (parse, facts, rulebook, ledger, drafts). Prints
 * {messages, rate, peakRssMb} as JSON.
 */
import { createReadStream } from "node:fs";
import PostalMime from "postal-mime";
import { MemoryLedger } from "../functions/core/ledger.ts";
import { readMessages, splitMbox } from "../functions/core/parse/index.ts";
import { triageBatch } from "../functions/core/triage.ts";
import { DEFAULT_SETTINGS } from "../functions/schemas/settings.ts";

const [mode, path] = process.argv.slice(2);
if (!path || (mode !== "parse" && mode !== "triage")) {
  throw new Error("usage: triage-child.ts parse|triage FILE.mbox");
}

const started = performance.now();
let messages = 0;
if (mode === "parse") {
  for await (const raw of splitMbox(createReadStream(path))) {
    await PostalMime.parse(raw);
    messages++;
  }
} else {
  const deps = { settings: DEFAULT_SETTINGS, ledger: new MemoryLedger(), now: new Date() };
  for await (const _result of triageBatch(readMessages([path]), deps)) messages++;
}
const seconds = (performance.now() - started) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ messages, rate: messages / seconds, peakRssMb }));
