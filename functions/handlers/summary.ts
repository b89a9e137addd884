import * as z from "zod";
import { runSummaryJob, type SummaryJobDeps, type SummaryJobOptions } from "../summary/job.ts";

/**
 * The weekly summary's Lambda entry, driven by an hourly `sst.aws.CronV2` (`rate(1 hour)` or
 * `cron(0 * * * ? *)`; its time zone does not matter: each account is due at its own local hour).
 * Parse the event, build the dependencies, run the job, report counts.
 */

/** The scheduler's payload is ignored, except a `cursor` handed on by a previous invocation. */
const SummaryEvent = z.looseObject({ cursor: z.string().min(1).optional() });

export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

export type SummaryDepsFactory = (remainingMs: () => number) => Promise<SummaryJobDeps>;

export function createSummaryHandler(
  makeDeps: SummaryDepsFactory,
  options: SummaryJobOptions = {},
) {
  return async (event: unknown, context?: LambdaContext) => {
    const parsed = SummaryEvent.safeParse(event);
    const cursor = parsed.success ? parsed.data.cursor : undefined;
    // Outside Lambda (a manual run) there is no deadline.
    const remainingMs = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const deps = await makeDeps(remainingMs);
    const result = await runSummaryJob(deps, { ...options, ...(cursor ? { cursor } : {}) });
    const count = (outcome: string) => result.outcomes.filter((o) => o.outcome === outcome).length;
    return {
      scanned: result.scanned,
      due: result.due,
      sent: count("sent"),
      skipped: count("skipped_empty") + count("already_done") + count("lost_race"),
      failed: count("failed"),
      finished: result.finished,
      resumeCursor: result.resumeCursor,
    };
  };
}

/**
 * Names of the SST links this handler reads. `SettingsUrl` is optional (a Linkable with `value`
 * or `url`); without it the summary links nowhere. The environment variable DECORUM_SETTINGS_URL
 * is read when the link is absent.
 */
export const SUMMARY_LINKS = {
  table: "Table",
  googleClientId: "GoogleClientId",
  googleClientSecret: "GoogleClientSecret",
  tokenKey: "TokenKey",
  settingsUrl: "SettingsUrl",
} as const;

const Named = z.object({ name: z.string().min(1) });
const Valued = z.object({ value: z.string().min(1) });
const UrlLink = z.union([
  z.object({ url: z.string().url() }),
  z.object({ value: z.string().url() }),
]);

/** Production dependencies, built on first use from SST links (never at module load). */
export async function productionDeps(remainingMs: () => number): Promise<SummaryJobDeps> {
  const [{ Resource }, { createDynamoClient }, { TokenCipher }, { createSummaryDeps }] =
    await Promise.all([
      import("sst"),
      import("../adapters/dynamo/client.ts"),
      import("../adapters/dynamo/crypto.ts"),
      import("../summary/wiring.ts"),
    ]);
  const link = (name: string): unknown => Reflect.get(Resource, name);
  const optionalLink = (name: string): unknown => {
    try {
      return link(name);
    } catch {
      return undefined;
    }
  };
  const settingsLink = UrlLink.safeParse(optionalLink(SUMMARY_LINKS.settingsUrl));
  const settingsUrl = settingsLink.success
    ? "url" in settingsLink.data
      ? settingsLink.data.url
      : settingsLink.data.value
    : (process.env.DECORUM_SETTINGS_URL ?? null);
  return createSummaryDeps({
    dynamo: createDynamoClient(),
    tableName: Named.parse(link(SUMMARY_LINKS.table)).name,
    cipher: TokenCipher.fromBase64(Valued.parse(link(SUMMARY_LINKS.tokenKey)).value),
    google: {
      clientId: Valued.parse(link(SUMMARY_LINKS.googleClientId)).value,
      clientSecret: Valued.parse(link(SUMMARY_LINKS.googleClientSecret)).value,
    },
    settingsUrl,
    remainingMs,
    log: (event) => console.log(JSON.stringify(event)),
  });
}

let production: ReturnType<typeof createSummaryHandler> | undefined;

export const handler = async (event: unknown, context?: LambdaContext) => {
  production ??= createSummaryHandler(productionDeps);
  return production(event, context);
};
