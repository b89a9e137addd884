import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { createStandIn, type Recording } from "./sst-standin.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface LoadedInfra {
  recording: Recording;
  /** What `app()` returned for the stage. */
  app: Record<string, unknown>;
  /** What `run()` returned (the stack outputs). */
  outputs: Record<string, unknown>;
  /** Project files sst.config.ts pulled in (relative to the repo root). */
  inputs: string[];
}

/**
 * Evaluates sst.config.ts and infra/ the way SST does — bundled by esbuild, run with SST's
 * globals — against the recording stand-in, in a separate vm context so nothing leaks into the
 * test's globals. `env` is the deploying shell's environment as infra sees it.
 */
export async function loadInfra(
  options: { stage?: string; env?: Record<string, string> } = {},
): Promise<LoadedInfra> {
  const result = await build({
    entryPoints: [`${ROOT}sst.config.ts`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    packages: "external",
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error("esbuild produced no output for sst.config.ts");

  const stage = options.stage ?? "test";
  const { globals, recording } = createStandIn({ stage });
  const module = { exports: {} as Record<string, unknown> };
  const context = createContext({
    ...globals,
    module,
    exports: module.exports,
    require: createRequire(`${ROOT}sst.config.ts`),
    process: { env: { ...options.env } },
    console,
  });
  runInContext(code, context, { filename: "sst.config.ts" });

  const config = module.exports.default;
  if (typeof config !== "object" || config === null) {
    throw new Error("sst.config.ts has no default export");
  }
  const appFn: unknown = Reflect.get(config, "app");
  const runFn: unknown = Reflect.get(config, "run");
  if (typeof appFn !== "function" || typeof runFn !== "function") {
    throw new Error("sst.config.ts must export $config({ app, run })");
  }
  const app: unknown = appFn.call(config, { stage });
  const outputs: unknown = await runFn.call(config);
  return {
    recording,
    app: isRecord(app) ? app : {},
    outputs: isRecord(outputs) ? outputs : {},
    inputs: Object.keys(result.metafile.inputs),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
