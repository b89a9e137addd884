import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLE } from "../../functions/adapters/dynamo/table.ts";
import {
  cronProblems,
  handlerProblems,
  type LazyReads,
  linkProblems,
  type ProbeResult,
  queueProblems,
  secretProblems,
  typeDeclarationProblems,
} from "./checks.ts";
import { type LoadedInfra, loadInfra, ROOT } from "./load-infra.ts";
import { probeHandler } from "./probe.ts";
import { bundleHandler, type HandlerBundle, resolveHandler } from "./sst-build.ts";
import type { RecordedFunction, Recording } from "./sst-standin.ts";

/**
 * Reads the probe's one invocation does not reach. Each names why; the check fails when an
 * exception is no longer needed or its code no longer names what it excuses.
 */
const LAZY: Record<string, LazyReads> = {
  "functions/handlers/web.handler": {
    links: ["Jobs"],
    why: "the queue is read when an account connects (the watch service is built then)",
  },
};

let infra: LoadedInfra;
let outdir: string;
const bundles = new Map<string, HandlerBundle>();
const probes = new Map<RecordedFunction, ProbeResult>();

/** The functions infra declares, one per handler (a function behind two routes counts once). */
function distinctFunctions(recording: Recording): RecordedFunction[] {
  return [...new Set(recording.functions)];
}

/** Project source files (not node_modules) a bundle was built from, with their text. */
async function projectSources(bundle: HandlerBundle): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const input of bundle.inputs) {
    if (input.includes("node_modules/") || !/\.(ts|tsx|js|mjs)$/.test(input)) continue;
    sources.set(input, await readFile(join(ROOT, input), "utf8"));
  }
  return sources;
}

beforeAll(async () => {
  infra = await loadInfra();
  outdir = await mkdtemp(join(tmpdir(), "decorum-wiring-"));
  for (const fn of distinctFunctions(infra.recording)) {
    if (!resolveHandler(fn.handler) || bundles.has(fn.handler)) continue;
    bundles.set(
      fn.handler,
      await bundleHandler(fn.handler, { outdir, runtime: fn.runtime, nodejs: fn.nodejs }),
    );
  }
  await Promise.all(
    distinctFunctions(infra.recording).map(async (fn) => {
      const bundle = bundles.get(fn.handler);
      if (bundle) probes.set(fn, await probeHandler(bundle, fn, infra.recording));
    }),
  );
}, 240_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe("the infra definition", () => {
  it("keeps the table's keys, indexes and TTL in the shared definition", () => {
    expect(infra.recording.tables).toEqual([{ name: "Table", args: TABLE }]);
  });

  it("puts the settings page behind $default and the push endpoints on the push function", () => {
    const routes = infra.recording.routes.map((route) => [route.route, route.fn.handler]);
    expect(routes).toEqual([
      ["$default", "functions/handlers/web.handler"],
      ["POST /push/gmail", "functions/handlers/push.handler"],
      ["POST /push/calendar", "functions/handlers/push.handler"],
    ]);
    const push = infra.recording.routes.filter((route) => route.route.startsWith("POST /push/"));
    expect(new Set(push.map((route) => route.fn)).size).toBe(1);
  });

  it("declares the four secrets", () => {
    expect([...infra.recording.secrets].sort()).toEqual([
      "GoogleClientId",
      "GoogleClientSecret",
      "SessionKey",
      "TokenKey",
    ]);
  });

  it("schedules the fallback sync, the renewal and the summary", () => {
    const crons = infra.recording.crons.map((cron) => [cron.name, cron.fn.handler]);
    expect(crons).toEqual([
      ["FallbackSync", "functions/handlers/sync.handler"],
      ["Renewal", "functions/handlers/renew.handler"],
      ["WeeklySummary", "functions/handlers/summary.handler"],
    ]);
  });

  it("retains and protects the production stage only", async () => {
    expect(infra.app).toMatchObject({
      name: "decorum",
      home: "aws",
      removal: "remove",
      protect: false,
    });
    const production = await loadInfra({ stage: "production" });
    expect(production.app).toMatchObject({ removal: "retain", protect: true });
  });

  it("uses a custom domain for every public URL when one is set", async () => {
    const custom = await loadInfra({ env: { DECORUM_DOMAIN: "decorum.example.com" } });
    const web = custom.recording.functions.find((fn) => fn.origin === "Function Web");
    expect(web?.environment.DECORUM_BASE_URL).toBe("https://decorum.example.com");
    expect(custom.outputs.url).toBe("https://decorum.example.com");
  });

  it("never lets infra import runtime code beyond the table definition", () => {
    const runtime = infra.inputs.filter((input) => input.startsWith("functions/"));
    expect(runtime.sort()).toEqual([
      "functions/adapters/dynamo/errors.ts",
      "functions/adapters/dynamo/table.ts",
    ]);
  });
});

describe("handlers", () => {
  it("exist and export the named function", () => {
    const problems = distinctFunctions(infra.recording).flatMap((fn) =>
      handlerProblems(fn, resolveHandler(fn.handler), bundles.get(fn.handler)?.exports ?? null),
    );
    expect(problems).toEqual([]);
  });

  it("are caught when a handler path does not exist or exports another name", () => {
    const fn = infra.recording.functions[0];
    if (!fn) throw new Error("infra declares no function");
    const missing = { ...fn, handler: "functions/handlers/nope.handler" };
    expect(handlerProblems(missing, resolveHandler(missing.handler), null)).toEqual([
      `${fn.origin} (functions/handlers/nope.handler): no file for handler functions/handlers/nope.handler`,
    ]);
    const wrongExport = resolveHandler(`${fn.handler.replace(/\.\w+$/, "")}.main`);
    expect(handlerProblems(fn, wrongExport, bundles.get(fn.handler)?.exports ?? [])).toHaveLength(
      1,
    );
  });
});

describe("schedules and the queue", () => {
  it("use valid EventBridge expressions with a time zone", () => {
    expect(cronProblems(infra.recording)).toEqual([]);
  });

  it("keep the worker inside the visibility timeout, with partial responses and a DLQ", () => {
    expect(queueProblems(infra.recording)).toEqual([]);
  });

  it("are caught when broken", () => {
    const broken: Recording = {
      ...infra.recording,
      crons: infra.recording.crons.map((cron) => ({ ...cron, schedule: "cron(*/15 * * * *)" })),
      queues: infra.recording.queues.map((queue) =>
        queue.subscriber
          ? {
              ...queue,
              args: { ...queue.args, visibilityTimeout: "60 seconds" },
              subscriber: { ...queue.subscriber, args: { batch: { size: 10 } } },
            }
          : queue,
      ),
    };
    expect(cronProblems(broken)).toHaveLength(infra.recording.crons.length);
    expect(queueProblems(broken).join("\n")).toMatch(/hidden only 60 s[\s\S]*partial batch/);
  });
});

describe("links", () => {
  it.each(["web", "push", "worker", "sync", "renew", "summary"])(
    "the %s handler reads exactly what it is linked to, never while loading",
    async (name) => {
      const fn = distinctFunctions(infra.recording).find(
        (candidate) => candidate.handler === `functions/handlers/${name}.handler`,
      );
      if (!fn) throw new Error(`infra has no ${name} handler`);
      const probe = probes.get(fn);
      const bundle = bundles.get(fn.handler);
      if (!probe || !bundle) throw new Error(`${name} was not probed`);
      expect(probe.outcome, probe.error ?? "").not.toBe("no-handler");
      const sources = await projectSources(bundle);
      expect(linkProblems(fn, probe, LAZY[fn.handler], sources)).toEqual([]);
    },
  );

  it("catch a read without a link, a link without a read, and a read at load time", () => {
    const fn = distinctFunctions(infra.recording).find(
      (candidate) => candidate.handler === "functions/handlers/push.handler",
    );
    const probe = fn ? probes.get(fn) : undefined;
    if (!fn || !probe) throw new Error("push was not probed");
    const secret = infra.recording.linkables.get("GoogleClientSecret");
    if (!secret) throw new Error("no GoogleClientSecret");
    const overLinked = { ...fn, links: [...fn.links, secret] };
    const underLinked = { ...fn, links: fn.links.filter((link) => link.name !== "Jobs") };
    const eager = { ...probe, links: { ...probe.links, import: ["Table"] } };
    const none = new Map<string, string>();
    expect(linkProblems(overLinked, probe, undefined, none)).toEqual([
      `${fn.origin} (${fn.handler}): is linked to GoogleClientSecret but never reads it`,
    ]);
    expect(linkProblems(underLinked, probe, undefined, none)).toEqual([
      `${fn.origin} (${fn.handler}): reads Jobs but is not linked to it`,
    ]);
    expect(linkProblems(fn, eager, undefined, none)).toEqual([
      `${fn.origin} (${fn.handler}): reads Table while the module loads`,
    ]);
    const direct = new Map([["x.ts", "const url = Resource.Elsewhere.url;"]]);
    expect(linkProblems(fn, probe, undefined, direct)).toEqual([
      `${fn.origin} (${fn.handler}): reads Elsewhere but is not linked to it`,
    ]);
  });

  it("give every secret to a function that reads it", () => {
    const readsOf = (fn: RecordedFunction) => {
      const probe = probes.get(fn);
      return new Set([...(probe?.links.invoke ?? []), ...(LAZY[fn.handler]?.links ?? [])]);
    };
    expect(secretProblems(infra.recording, readsOf)).toEqual([]);
    const unlinked: Recording = {
      ...infra.recording,
      secrets: [...infra.recording.secrets, "Spare"],
    };
    expect(secretProblems(unlinked, readsOf)).toEqual([
      "Secret Spare: declared but linked to no function",
    ]);
    expect(secretProblems(infra.recording, () => new Set())).toHaveLength(4);
  });

  it("are declared for the type checker in sst-env.d.ts", async () => {
    const declarations = await readFile(join(ROOT, "sst-env.d.ts"), "utf8");
    expect(typeDeclarationProblems(infra.recording, declarations)).toEqual([]);
    const without = declarations.replace(/"TokenKey": \{[^}]*\}/, "");
    expect(typeDeclarationProblems(infra.recording, without)).toEqual([
      "sst-env.d.ts: no declaration for TokenKey",
    ]);
  });
});
