/**
 * One measurement in its own process: `parse` runs postal-mime alone over every message of the
 * mbox; `model` reads the mbox into Decorum's message model (postal-mime, then html-to-text for
 * HTML-only mail, ical.js for calendar parts, quoting), classifying nothing; `triage` runs
 * Decorum's whole triage (parse, facts, rulebook, ledger, drafts); `heap` runs
 * the triage again with a full GC after every 1,000 results (it needs --expose-gc) to find the
 * peak of live data, which unlike RSS does not depend on when V8 chose to collect. Prints
 * {messages, rate, peakRssMb, peakLiveHeapMb} as JSON.
 */
import { createReadStream } from "node:fs";
import PostalMime from "postal-mime";
import { MemoryLedger } from "../functions/core/ledger.ts";
import { readMessages, splitMbox } from "../functions/core/parse/index.ts";
import { triageBatch } from "../functions/core/triage.ts";
import { DEFAULT_SETTINGS } from "../functions/schemas/settings.ts";

const [mode, path] = process.argv.slice(2);
const MODES = ["parse", "model", "triage", "heap"];
if (!path || !mode || !MODES.includes(mode)) {
  throw new Error(`usage: triage-child.ts ${MODES.join("|")} FILE.mbox`);
}
const collect = globalThis.gc;
if (mode === "heap" && !collect) throw new Error("the heap mode needs node --expose-gc");

const started = performance.now();
let messages = 0;
let peakLiveHeap = 0;
if (mode === "parse") {
  for await (const raw of splitMbox(createReadStream(path))) {
    await PostalMime.parse(raw);
    messages++;
  }
} else if (mode === "model") {
  for await (const _message of readMessages([path])) messages++;
} else {
  const deps = { settings: DEFAULT_SETTINGS, ledger: new MemoryLedger(), now: new Date() };
  for await (const _result of triageBatch(readMessages([path]), deps)) {
    messages++;
    if (collect && messages % 1_000 === 0) {
      collect();
      peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
    }
  }
}
const seconds = (performance.now() - started) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const peakLiveHeapMb = peakLiveHeap / 1_048_576;
console.log(JSON.stringify({ messages, rate: messages / seconds, peakRssMb, peakLiveHeapMb }));
