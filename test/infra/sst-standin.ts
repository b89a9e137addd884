/**
 * A recording stand-in for the globals SST gives sst.config.ts and infra/ (`$config`, `$app`,
 * `$dev`, `$interpolate`, `sst.aws.*`, `sst.Secret`, `sst.Linkable`). Components record their
 * arguments and hand out placeholder outputs, so the infra definition can run without Pulumi or
 * AWS and be checked: which functions exist, what each links, what the routes, queues and
 * schedules are. Anything the stand-in does not model throws, naming what infra tried to use.
 */

/** A Pulumi output: a value known only at deploy time. */
export class Output {
  constructor(
    readonly label: string,
    /** The function this output is the ARN of, so a route given `fn.arn` resolves to it. */
    readonly arnOf?: RecordedFunction,
  ) {}
  apply(_fn: (value: unknown) => unknown): Output {
    return new Output(`${this.label}.apply(…)`);
  }
  toString(): string {
    // Pulumi's own outputs warn here too: a string built from an output is never the value.
    throw new Error(`infra converted the output ${this.label} to a string; use $interpolate`);
  }
}

export type LinkKind =
  | "sst.aws.Dynamo"
  | "sst.aws.Queue"
  | "sst.sst.Secret"
  | "sst.sst.Linkable"
  | "sst.aws.ApiGatewayV2"
  | "sst.aws.Function";

/** A component another function can link: its name in `Resource` and what the link exposes. */
export interface LinkTarget {
  name: string;
  kind: LinkKind;
  properties: readonly string[];
}

export interface RecordedFunction {
  /** Where the function came from, e.g. `Function Web` or `CronV2 FallbackSync`. */
  origin: string;
  handler: string;
  links: LinkTarget[];
  environment: Record<string, unknown>;
  timeout: string | undefined;
  memory: string | undefined;
  runtime: string | undefined;
  architecture: string | undefined;
  /** SST's bundling options for Node (`nodejs: { minify, splitting, … }`). */
  nodejs: { minify: boolean; splitting: boolean };
}

export interface RecordedRoute {
  api: string;
  route: string;
  fn: RecordedFunction;
}

export interface RecordedQueue {
  name: string;
  args: Record<string, unknown>;
  subscriber?: { fn: RecordedFunction; args: Record<string, unknown> };
}

export interface RecordedCron {
  name: string;
  schedule: string;
  timezone: string | undefined;
  fn: RecordedFunction;
}

export interface Recording {
  functions: RecordedFunction[];
  routes: RecordedRoute[];
  queues: RecordedQueue[];
  crons: RecordedCron[];
  /** Every linkable component declared, by name. */
  linkables: Map<string, LinkTarget & { args: Record<string, unknown> }>;
  secrets: string[];
  tables: Array<{ name: string; args: Record<string, unknown> }>;
}

export interface StandIn {
  globals: Record<string, unknown>;
  recording: Recording;
}

const LINK = Symbol("link");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Wraps a component so reading a property it does not model fails loudly. */
function strict<T extends object>(what: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === "symbol" || property in object) {
        return Reflect.get(object, property, receiver);
      }
      // Awaiting or logging a component probes these; they are legitimately absent.
      if (property === "then" || property === "toJSON") return undefined;
      throw new Error(`the SST stand-in does not model ${what}.${property}`);
    },
  });
}

function stringValue(value: unknown, what: string): string {
  if (typeof value === "string") return value;
  throw new Error(`${what} must be a plain string in infra (got ${String(value)})`);
}

export function createStandIn(options: { stage?: string; dev?: boolean } = {}): StandIn {
  const recording: Recording = {
    functions: [],
    routes: [],
    queues: [],
    crons: [],
    linkables: new Map(),
    secrets: [],
    tables: [],
  };
  const stage = options.stage ?? "test";

  const declare = (
    name: string,
    kind: LinkKind,
    properties: readonly string[],
    args: Record<string, unknown>,
  ): LinkTarget => {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(`SST component names are capitalised and alphanumeric: "${name}"`);
    }
    if (recording.linkables.has(name)) throw new Error(`two components are named "${name}"`);
    const target: LinkTarget = { name, kind, properties };
    recording.linkables.set(name, { ...target, args });
    return target;
  };

  const linksOf = (value: unknown, origin: string): LinkTarget[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new Error(`${origin}: link must be a list`);
    return value.map((item) => {
      const target: unknown =
        typeof item === "object" && item !== null ? Reflect.get(item, LINK) : undefined;
      if (!target || !isRecord(target)) throw new Error(`${origin}: links something not linkable`);
      const name = stringValue(target.name, `${origin} link`);
      const found = recording.linkables.get(name);
      if (!found) throw new Error(`${origin}: links an undeclared component ${name}`);
      return { name: found.name, kind: found.kind, properties: found.properties };
    });
  };

  const functionFrom = (input: unknown, origin: string): RecordedFunction => {
    if (input instanceof Output) {
      if (input.arnOf) return input.arnOf;
      throw new Error(`${origin}: given an output that is not a function's ARN`);
    }
    const args = typeof input === "string" ? { handler: input } : input;
    if (!isRecord(args)) throw new Error(`${origin}: expected a handler or function props`);
    const environment = args.environment ?? {};
    if (!isRecord(environment)) throw new Error(`${origin}: environment must be an object`);
    const optional = (key: string) =>
      args[key] === undefined ? undefined : stringValue(args[key], `${origin} ${key}`);
    const fn: RecordedFunction = {
      origin,
      handler: stringValue(args.handler, `${origin} handler`),
      links: linksOf(args.link, origin),
      environment,
      timeout: optional("timeout"),
      memory: optional("memory"),
      runtime: optional("runtime"),
      architecture: optional("architecture"),
      nodejs: nodejsOf(args.nodejs, origin),
    };
    recording.functions.push(fn);
    return fn;
  };

  class Dynamo {
    readonly name: Output;
    readonly arn: Output;
    readonly [LINK]: LinkTarget;
    constructor(name: string, args: Record<string, unknown>) {
      this[LINK] = declare(name, "sst.aws.Dynamo", ["name"], args);
      recording.tables.push({ name, args });
      this.name = new Output(`${name}.name`);
      this.arn = new Output(`${name}.arn`);
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`Dynamo ${name}`, this);
    }
  }

  class Queue {
    readonly url: Output;
    readonly arn: Output;
    readonly [LINK]: LinkTarget;
    /** A plain field: private (#) fields cannot be read through the guarding proxy. */
    readonly recorded: RecordedQueue;
    constructor(name: string, args: Record<string, unknown> = {}) {
      this[LINK] = declare(name, "sst.aws.Queue", ["url"], args);
      this.recorded = { name, args };
      recording.queues.push(this.recorded);
      this.url = new Output(`${name}.url`);
      this.arn = new Output(`${name}.arn`);
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`Queue ${name}`, this);
    }
    subscribe(subscriber: unknown, args: Record<string, unknown> = {}) {
      if (this.recorded.subscriber) {
        throw new Error(`Queue ${this.recorded.name} takes only one subscriber`);
      }
      const fn = functionFrom(subscriber, `Queue ${this.recorded.name} subscriber`);
      this.recorded.subscriber = { fn, args };
      return {};
    }
  }

  class LambdaFunction {
    readonly arn: Output;
    readonly name: Output;
    readonly [LINK]: LinkTarget;
    constructor(name: string, args: Record<string, unknown>) {
      this[LINK] = declare(name, "sst.aws.Function", ["name"], args);
      const fn = functionFrom(args, `Function ${name}`);
      this.arn = new Output(`${name}.arn`, fn);
      this.name = new Output(`${name}.name`);
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`Function ${name}`, this);
    }
  }

  class ApiGatewayV2 {
    readonly url: Output;
    readonly [LINK]: LinkTarget;
    readonly apiName: string;
    constructor(name: string, args: Record<string, unknown> = {}) {
      this[LINK] = declare(name, "sst.aws.ApiGatewayV2", ["url"], args);
      this.apiName = name;
      this.url = new Output(`${name}.url`);
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`ApiGatewayV2 ${name}`, this);
    }
    route(route: string, handler: unknown, _args: Record<string, unknown> = {}) {
      const fn = functionFrom(handler, `ApiGatewayV2 ${this.apiName} route ${route}`);
      recording.routes.push({ api: this.apiName, route, fn });
      return {};
    }
  }

  class CronV2 {
    constructor(name: string, args: Record<string, unknown>) {
      if (args.job !== undefined) throw new Error(`CronV2 ${name}: "job" is deprecated`);
      const fn = functionFrom(args.function, `CronV2 ${name}`);
      recording.crons.push({
        name,
        schedule: stringValue(args.schedule, `CronV2 ${name} schedule`),
        timezone:
          args.timezone === undefined
            ? undefined
            : stringValue(args.timezone, `CronV2 ${name} timezone`),
        fn,
      });
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`CronV2 ${name}`, this);
    }
  }

  class Secret {
    readonly value: Output;
    readonly name: string;
    readonly [LINK]: LinkTarget;
    constructor(name: string, placeholder?: string) {
      this[LINK] = declare(name, "sst.sst.Secret", ["value"], { placeholder });
      recording.secrets.push(name);
      this.name = name;
      this.value = new Output(`${name}.value`);
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`Secret ${name}`, this);
    }
  }

  class Linkable {
    readonly properties: Record<string, unknown>;
    readonly [LINK]: LinkTarget;
    constructor(name: string, args: { properties: Record<string, unknown> }) {
      this[LINK] = declare(name, "sst.sst.Linkable", Object.keys(args.properties), args);
      this.properties = args.properties;
      // biome-ignore lint/correctness/noConstructorReturn: the proxy guards unmodelled properties
      return strict(`Linkable ${name}`, this);
    }
  }

  const aws = strict("sst.aws", { Dynamo, Queue, Function: LambdaFunction, ApiGatewayV2, CronV2 });
  const sst = strict("sst", { aws, Secret, Linkable });

  const interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    new Output(
      strings.reduce(
        (text, part, index) =>
          index === 0 ? part : `${text}\${${labelOf(values[index - 1])}}${part}`,
        "",
      ),
    );

  const globals: Record<string, unknown> = {
    $config: (config: unknown) => config,
    $app: strict("$app", {
      name: "decorum",
      stage,
      removal: stage === "production" ? "retain" : "remove",
      protect: stage === "production",
    }),
    $dev: options.dev ?? false,
    $interpolate: interpolate,
    $concat: (...values: unknown[]) => new Output(values.map(labelOf).join("")),
    $resolve: (values: unknown) => new Output(`resolve(${labelOf(values)})`),
    sst,
  };
  return { globals, recording };
}

const NODEJS_OPTIONS = new Set(["minify", "splitting"]);

function nodejsOf(value: unknown, origin: string): { minify: boolean; splitting: boolean } {
  if (value === undefined) return { minify: false, splitting: false };
  if (!isRecord(value)) throw new Error(`${origin}: nodejs must be an object`);
  for (const key of Object.keys(value)) {
    // An option the bundle test does not reproduce would make it test another build.
    if (!NODEJS_OPTIONS.has(key))
      throw new Error(`${origin}: the stand-in does not model nodejs.${key}`);
  }
  return { minify: value.minify === true, splitting: value.splitting === true };
}

function labelOf(value: unknown): string {
  return value instanceof Output ? value.label : String(value);
}
