// Runs one handler bundle the way Lambda would — import, then one invocation — with SST's link
// data and the environment replaced by recorders, and prints (as JSON) which links and which
// DECORUM_* variables it read, before and during the invocation. Plain JavaScript and plain node,
// so nothing but the bundle itself is loaded. Used by test/infra/wiring.test.ts.
//   node probe-child.mjs <bundle.mjs> <export> <event JSON> <links JSON> <env JSON> <result file>
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, exportName, eventJson, linksJson, envJson, resultFile] = process.argv.slice(2);
let phase = "import";
const reads = { import: new Set(), invoke: new Set() };
const envReads = { import: new Set(), invoke: new Set() };

// SST's Resource keeps its data in globalThis.__SST_RESOURCE_RAW__ and asks `name in raw` for
// every property read; answering through this proxy records each name asked for.
const raw = { App: { name: "decorum", stage: "probe" }, ...JSON.parse(linksJson) };
globalThis.__SST_RESOURCE_RAW__ = new Proxy(raw, {
  has(target, name) {
    if (typeof name === "string" && name !== "App") reads[phase].add(name);
    return Reflect.has(target, name);
  },
});

const env = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "probe",
  AWS_SECRET_ACCESS_KEY: "probe",
  // Every AWS call is refused at once instead of leaving this machine.
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_LAMBDA_FUNCTION_NAME: "probe",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  ...JSON.parse(envJson),
};
const record = (name) => {
  if (typeof name === "string" && name.startsWith("DECORUM_")) envReads[phase].add(name);
};
process.env = new Proxy(env, {
  get(target, name) {
    record(name);
    return Reflect.get(target, name);
  },
  has(target, name) {
    record(name);
    return Reflect.has(target, name);
  },
});

let error = null;
let finished = false;
const finish = (outcome) => {
  if (finished) return;
  finished = true;
  const list = (set) => [...set].sort();
  // A file, not stdout: handlers log to stdout.
  writeFileSync(
    resultFile,
    JSON.stringify({
      outcome,
      error,
      links: { import: list(reads.import), invoke: list(reads.invoke) },
      env: { import: list(envReads.import), invoke: list(envReads.invoke) },
    }),
  );
  process.exit(0);
};

const loaded = await import(pathToFileURL(bundle).href);
const handler = loaded[exportName];
if (typeof handler !== "function") {
  error = `the bundle does not export a function named ${exportName}`;
  finish("no-handler");
}
phase = "invoke";
setTimeout(() => finish("timeout"), 15_000).unref();
const context = {
  functionName: "probe",
  awsRequestId: "probe-request",
  getRemainingTimeInMillis: () => 10_000,
};
try {
  await handler(JSON.parse(eventJson), context);
  finish("returned");
} catch (caught) {
  error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  finish("threw");
}
