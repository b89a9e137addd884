import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Figures } from "./index.ts";
import { writeBenchMbox, writeNewsletterMbox } from "./mbox-generator.ts";

const CHILD = fileURLToPath(new URL("./triage-child.ts", import.meta.url));

/**
 * Triage throughput beside postal-mime's parse-only rate on the same 20,000-message mbox, and peak
 * memory for two mbox sizes. Each measurement runs in a fresh process so peak RSS is its own.
 */
export async function benchTriage(log: (line: string) => void): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), "decorum-bench-"));
  try {
    const small = join(dir, "small.mbox");
    const large = join(dir, "large.mbox");
    const smallBytes = await writeBenchMbox(small, 5_000);
    const largeBytes = await writeBenchMbox(large, 20_000);
    log(`generated mboxes: 5,000 messages (${mb(smallBytes)} MB), 20,000 (${mb(largeBytes)} MB)`);

    // This machine's speed drifts from one run to the next: each rate is the median of ROUNDS
    // runs, parse-only and triage taking turns so that both see the same drift.
    const parseRuns: ChildResult[] = [];
    const modelRuns: ChildResult[] = [];
    const triageRuns: ChildResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      parseRuns.push(await runChild("parse", large));
      modelRuns.push(await runChild("model", large));
      triageRuns.push(await runChild("triage", large));
      const [p, m, t] = [parseRuns.at(-1), modelRuns.at(-1), triageRuns.at(-1)];
      log(
        `round ${round}/${ROUNDS}: parse only ${p?.rate.toFixed(0)}/s, message model ${m?.rate.toFixed(0)}/s, triage ${t?.rate.toFixed(0)}/s`,
      );
    }
    const parseOnly = median(parseRuns, (run) => run.rate);
    const model = median(modelRuns, (run) => run.rate);
    const triage = median(triageRuns, (run) => run.rate);
    log(`postal-mime parse only: ${parseOnly.rate.toFixed(0)} messages/s (median of ${ROUNDS})`);
    log(`message model:          ${model.rate.toFixed(0)} messages/s (+ html-to-text, ical.js)`);
    log(`triage:                 ${triage.rate.toFixed(0)} messages/s (median of ${ROUNDS})`);
    const ratio = triage.rate / parseOnly.rate;
    log(`triage / parse-only:    ${ratio.toFixed(2)} (goal ≥ 0.70)`);
    const modelRatio = triage.rate / model.rate;
    log(`triage / message model: ${modelRatio.toFixed(2)} (the rulebook, ledger and drafts)`);
    const triageSmall = await runChild("triage", small);
    log(
      `peak RSS triaging 5,000: ${triageSmall.peakRssMb.toFixed(0)} MB; 20,000: ${triage.peakRssMb.toFixed(0)} MB (goal: flat)`,
    );
    // The runtime's own growth, for reference: postal-mime alone keeps nothing between messages.
    const parseSmall = await runChild("parse", small);
    log(
      `peak RSS parsing only 5,000: ${parseSmall.peakRssMb.toFixed(0)} MB; 20,000: ${parseOnly.peakRssMb.toFixed(0)} MB`,
    );
    const [heapSmall, heapLarge] = [await runChild("heap", small), await runChild("heap", large)];
    log(
      `peak live heap (after a GC) 5,000: ${heapSmall.peakLiveHeapMb.toFixed(1)} MB; 20,000: ${heapLarge.peakLiveHeapMb.toFixed(1)} MB`,
    );
    // Real inboxes are heavy with large HTML newsletters, which the mixed mbox has none of.
    const newsletters = join(dir, "newsletters.mbox");
    const newsletterBytes = await writeNewsletterMbox(newsletters, NEWSLETTERS);
    const newsletterParse = await runChild("parse", newsletters);
    const newsletterTriage = await runChild("triage", newsletters);
    log(
      `${NEWSLETTERS} HTML newsletters (${mb(newsletterBytes)} MB): parse only ${newsletterParse.rate.toFixed(0)}/s, triage ${newsletterTriage.rate.toFixed(0)}/s`,
    );
    return {
      triage_messages: triage.messages,
      triage_msgs_per_s: round(triage.rate),
      parse_only_msgs_per_s: round(parseOnly.rate),
      message_model_msgs_per_s: round(model.rate),
      triage_to_parse_ratio: round(ratio, 3),
      triage_to_message_model_ratio: round(modelRatio, 3),
      triage_peak_rss_mb_5k: round(triageSmall.peakRssMb, 1),
      triage_peak_rss_mb_20k: round(triage.peakRssMb, 1),
      parse_only_peak_rss_mb_5k: round(parseSmall.peakRssMb, 1),
      parse_only_peak_rss_mb_20k: round(parseOnly.peakRssMb, 1),
      triage_peak_live_heap_mb_5k: round(heapSmall.peakLiveHeapMb, 1),
      triage_peak_live_heap_mb_20k: round(heapLarge.peakLiveHeapMb, 1),
      mbox_mb_5k: round(smallBytes / 1_048_576, 1),
      mbox_mb_20k: round(largeBytes / 1_048_576, 1),
      newsletters_parse_only_msgs_per_s: round(newsletterParse.rate),
      newsletters_triage_msgs_per_s: round(newsletterTriage.rate),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ROUNDS = 3;
const NEWSLETTERS = 1_000;

/** The run whose `key` is the median (ROUNDS is odd). */
function median(runs: ChildResult[], key: (run: ChildResult) => number): ChildResult {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error("no bench runs to take the median of");
  return middle;
}

interface ChildResult {
  messages: number;
  rate: number;
  peakRssMb: number;
  peakLiveHeapMb: number;
}

function runChild(mode: "parse" | "model" | "triage" | "heap", mbox: string): Promise<ChildResult> {
  const flags = mode === "heap" ? ["--expose-gc"] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, "--import", "tsx", CHILD, mode, mbox], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`bench child (${mode}) exited with ${code}`));
      try {
        const last = out.trim().split("\n").at(-1) ?? "";
        const parsed: unknown = JSON.parse(last);
        if (!isChildResult(parsed)) throw new Error(`unexpected child output: ${last}`);
        resolve(parsed);
      } catch (error) {
        reject(error);
      }
    });
  });
}

function isChildResult(value: unknown): value is ChildResult {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.messages === "number" &&
    typeof v.rate === "number" &&
    typeof v.peakRssMb === "number" &&
    typeof v.peakLiveHeapMb === "number"
  );
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
