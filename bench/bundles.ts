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
