import { scheduleProblems } from "./schedule.ts";
import type { LinkKind, RecordedFunction, Recording } from "./sst-standin.ts";

/**
 * The wiring rules, as functions from what infra declared (and what the handlers did) to a list
 * of problems. The wiring test runs them on the real infra and expects none, and on broken
 * copies to show that each rule catches what it is for.
 */

/** What one handler read when the probe imported it and invoked it once. */
export interface ProbeResult {
  outcome: string;
  error: string | null;
  links: { import: string[]; invoke: string[] };
  env: { import: string[]; invoke: string[] };
}

/** Reads that happen only on a path the probe's one invocation does not take. */
export interface LazyReads {
  links?: string[];
  env?: string[];
  why: string;
}

export function functionName(fn: RecordedFunction): string {
  return `${fn.origin} (${fn.handler})`;
}

/** The handler's file exists and exports the named function. */
export function handlerProblems(
  fn: RecordedFunction,
  resolved: { file: string; exportName: string } | null,
  bundleExports: readonly string[] | null,
): string[] {
  if (!resolved) return [`${functionName(fn)}: no file for handler ${fn.handler}`];
  if (bundleExports && !bundleExports.includes(resolved.exportName)) {
    return [`${functionName(fn)}: ${resolved.file} does not export ${resolved.exportName}`];
  }
  return [];
}

export function cronProblems(recording: Recording): string[] {
  return recording.crons.flatMap((cron) => [
    ...scheduleProblems(cron.schedule).map((problem) => `CronV2 ${cron.name}: ${problem}`),
    ...(cron.timezone && isTimeZone(cron.timezone)
      ? []
      : [`CronV2 ${cron.name}: needs an IANA timezone (got ${String(cron.timezone)})`]),
  ]);
}

function isTimeZone(zone: string): boolean {
  return zone === "UTC" || Intl.supportedValuesOf("timeZone").includes(zone);
}

/** SST durations the infra uses, in seconds. */
export function durationSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^(\d+(?:\.\d+)?) (second|seconds|minute|minutes|hour|hours)$/.exec(value);
  if (!match) return null;
  const unit = match[2] ?? "";
  const factor = unit.startsWith("second") ? 1 : unit.startsWith("minute") ? 60 : 3600;
  return Number(match[1]) * factor;
}

const Batch = (value: unknown): { partialResponses?: unknown } =>
  typeof value === "object" && value !== null ? value : {};

export function queueProblems(recording: Recording): string[] {
  const problems: string[] = [];
  for (const queue of recording.queues) {
    if (!queue.subscriber) continue;
    const { fn, args } = queue.subscriber;
    const visibility = durationSeconds(
      typeof queue.args.visibilityTimeout === "string"
        ? queue.args.visibilityTimeout
        : "30 seconds",
    );
    const timeout = durationSeconds(fn.timeout ?? "20 seconds");
    if (visibility === null || timeout === null) {
      problems.push(`Queue ${queue.name}: unreadable visibility timeout or worker timeout`);
    } else if (timeout >= visibility) {
      problems.push(
        `Queue ${queue.name}: the worker may run ${timeout} s but a message is hidden only ${visibility} s`,
      );
    }
    if (Batch(args.batch).partialResponses !== true) {
      problems.push(`Queue ${queue.name}: the subscriber must use partial batch responses`);
    }
    if (queue.args.dlq === undefined)
      problems.push(`Queue ${queue.name}: has no dead-letter queue`);
  }
  return problems;
}

/** `Resource.Name` and `Resource["Name"]` in source text (comments left out). */
export function directResourceReads(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
  const names = new Set<string>();
  for (const match of code.matchAll(
    /\bResource\s*(?:\.\s*([A-Z]\w*)|\[\s*["'`]([A-Z]\w*)["'`]\s*\])/g,
  )) {
    const name = match[1] ?? match[2];
    if (name && name !== "App") names.add(name);
  }
  return [...names];
}

/**
 * Each function reads what it is linked to and nothing else: a read of an unlinked resource
 * fails at runtime ("X is not linked"), and a link never read is a permission it does not need.
 * Nothing is read while the module loads (config is read in lazily built dependencies). Every
 * DECORUM_* variable it reads is set in its `environment`.
 */
export function linkProblems(
  fn: RecordedFunction,
  probe: ProbeResult,
  lazy: LazyReads | undefined,
  sources: ReadonlyMap<string, string>,
): string[] {
  const name = functionName(fn);
  const problems: string[] = [];
  const linked = new Set(fn.links.map((link) => link.name));
  const declaredEnv = new Set(Object.keys(fn.environment));
  if (probe.links.import.length > 0) {
    problems.push(`${name}: reads ${probe.links.import.join(", ")} while the module loads`);
  }
  if (probe.env.import.length > 0) {
    problems.push(`${name}: reads ${probe.env.import.join(", ")} while the module loads`);
  }
  const direct = [...sources.values()].flatMap(directResourceReads);
  const read = new Set([...probe.links.import, ...probe.links.invoke, ...direct]);
  for (const resource of read) {
    if (!linked.has(resource)) problems.push(`${name}: reads ${resource} but is not linked to it`);
  }
  const lazyLinks = new Set(lazy?.links ?? []);
  for (const resource of linked) {
    if (!read.has(resource) && !lazyLinks.has(resource)) {
      problems.push(`${name}: is linked to ${resource} but never reads it`);
    }
  }
  const envRead = new Set([...probe.env.import, ...probe.env.invoke]);
  for (const variable of envRead) {
    if (!declaredEnv.has(variable)) problems.push(`${name}: reads ${variable} but does not set it`);
  }
  const lazyEnv = new Set(lazy?.env ?? []);
  for (const variable of declaredEnv) {
    if (!envRead.has(variable) && !lazyEnv.has(variable)) {
      problems.push(`${name}: sets ${variable} but never reads it`);
    }
  }
  // An exception must still be needed and still be visible in the code it excuses.
  const text = [...sources.values()].join("\n");
  for (const resource of lazyLinks) {
    if (read.has(resource)) problems.push(`${name}: ${resource} is read now; drop its exception`);
    if (!linked.has(resource))
      problems.push(`${name}: excuses ${resource} but is not linked to it`);
    if (!text.includes(`"${resource}"`)) {
      problems.push(`${name}: excuses ${resource}, which its code never names`);
    }
  }
  for (const variable of lazyEnv) {
    if (envRead.has(variable))
      problems.push(`${name}: ${variable} is read now; drop its exception`);
    if (!text.includes(variable)) {
      problems.push(`${name}: excuses ${variable}, which its code never names`);
    }
  }
  return problems;
}

/** Every secret is linked to some function, and some function linked to it reads it. */
export function secretProblems(
  recording: Recording,
  readsOf: (fn: RecordedFunction) => ReadonlySet<string>,
): string[] {
  return recording.secrets.flatMap((secret) => {
    const holders = recording.functions.filter((fn) => fn.links.some((l) => l.name === secret));
    if (holders.length === 0) return [`Secret ${secret}: declared but linked to no function`];
    if (!holders.some((fn) => readsOf(fn).has(secret))) {
      return [
        `Secret ${secret}: linked but read by none of ${holders.map(functionName).join(", ")}`,
      ];
    }
    return [];
  });
}

const LINK_PROPERTIES: Record<LinkKind, string> = {
  "sst.aws.Dynamo": "name",
  "sst.aws.Queue": "url",
  "sst.sst.Secret": "value",
  "sst.sst.Linkable": "",
  "sst.aws.ApiGatewayV2": "url",
  "sst.aws.Function": "name",
};

/**
 * sst-env.d.ts (committed, since `sst install` cannot run without the network) declares each
 * linked resource with its type and the properties the link exposes.
 */
export function typeDeclarationProblems(recording: Recording, declarations: string): string[] {
  const problems: string[] = [];
  const linked = new Map(
    recording.functions.flatMap((fn) => fn.links.map((link) => [link.name, link] as const)),
  );
  for (const [name, link] of linked) {
    const block = new RegExp(`"${name}"\\s*:\\s*\\{([^}]*)\\}`).exec(declarations)?.[1];
    if (block === undefined) {
      problems.push(`sst-env.d.ts: no declaration for ${name}`);
      continue;
    }
    if (!block.includes(`"type": "${link.kind}"`)) {
      problems.push(`sst-env.d.ts: ${name} should have "type": "${link.kind}"`);
    }
    const properties =
      link.kind === "sst.sst.Linkable" ? link.properties : [LINK_PROPERTIES[link.kind]];
    for (const property of properties) {
      if (!new RegExp(`"${property}"\\s*:\\s*string`).test(block)) {
        problems.push(`sst-env.d.ts: ${name} should declare "${property}": string`);
      }
    }
  }
  return problems;
}
