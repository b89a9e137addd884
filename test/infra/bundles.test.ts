import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInfra } from "./load-infra.ts";
import { bundleHandler, developmentInputs, type HandlerBundle } from "./sst-build.ts";

/**
 * Every handler built as `sst deploy` builds it (the options infra gives each function), then
 * its esbuild metafile read: what went into the package Lambda runs.
 */

let outdir: string;
const bundles = new Map<string, HandlerBundle>();

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), "decorum-bundles-"));
  const { recording } = await loadInfra();
  for (const fn of new Set(recording.functions)) {
    if (bundles.has(fn.handler)) continue;
    bundles.set(
      fn.handler,
      await bundleHandler(fn.handler, { outdir, runtime: fn.runtime, nodejs: fn.nodejs }),
    );
  }
}, 240_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

const HANDLERS = ["web", "push", "worker", "sync", "renew", "summary"].map(
  (name) => `functions/handlers/${name}.handler`,
);

function bundleOf(handler: string): HandlerBundle {
  const bundle = bundles.get(handler);
  if (!bundle) throw new Error(`infra declares no function for ${handler}`);
  return bundle;
}

describe("handler bundles", () => {
  it("cover every handler infra declares", () => {
    expect([...bundles.keys()].sort()).toEqual([...HANDLERS].sort());
  });

  it.each(HANDLERS)("%s contains no development-only code", (handler) => {
    expect(developmentInputs(bundleOf(handler).inputs)).toEqual([]);
  });

  it("keep the push handler free of the Gmail and Calendar clients", () => {
    const google = bundleOf("functions/handlers/push.handler").inputs.filter((input) =>
      /node_modules\/@googleapis\/(gmail|calendar)\//.test(input),
    );
    expect(google).toEqual([]);
    // The check can fail: the worker, which syncs Gmail, does contain the client.
    const worker = bundleOf("functions/handlers/worker.handler").inputs;
    expect(worker.some((input) => input.includes("node_modules/@googleapis/gmail/"))).toBe(true);
  });

  it.each(HANDLERS)(
    "%s loads the AWS SDK and Google's libraries only when first used",
    (handler) => {
      // They sit behind the handlers' dynamic imports, in chunks read on the first request; in
      // the entry chunk they would be parsed at every cold start, needed or not.
      const clients = bundleOf(handler).entryInputs.filter((input) =>
        /node_modules\/(@aws-sdk|@smithy|@googleapis|google-auth-library|googleapis-common|gaxios)\//.test(
          input,
        ),
      );
      expect(clients).toEqual([]);
    },
  );

  it("would catch development code: the local server's own build", async () => {
    const local = await bundleHandler("functions/local/server.startLocal", { outdir });
    const flagged = developmentInputs(local.inputs);
    expect(flagged).toContain("functions/local/dynalite.ts");
    expect(flagged.some((input) => input.includes("node_modules/dynalite/"))).toBe(true);
    // and the entry-chunk rule above sees a static import of the AWS SDK when there is one.
    expect(local.entryInputs.some((input) => input.includes("node_modules/@aws-sdk/"))).toBe(true);
  });

  it.each([
    ["test/emulator/index.ts", true],
    ["test/fixtures/demo/demo.json", true],
    ["node_modules/vitest/dist/index.js", true],
    ["node_modules/playwright-core/index.mjs", true],
    ["node_modules/dynalite/index.js", true],
    ["functions/local/server.ts", true],
    ["functions/http/app.tsx", false],
    ["node_modules/@googleapis/gmail/build/index.js", false],
    ["node_modules/@aws-sdk/client-dynamodb/dist-es/index.js", false],
  ])("classifies %s as development-only: %s", (input, flagged) => {
    expect(developmentInputs([input])).toEqual(flagged ? [input] : []);
  });
});
