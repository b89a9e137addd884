import * as z from "zod";

/**
 * The deployed configuration of the push, worker and cron handlers, read from SST links and the
 * environment by the handler (which passes `link`, so this module never imports sst) and checked
 * here, each value only when a handler asks for it.
 *
 * Links: Table (name), Jobs (url), GoogleClientId, GoogleClientSecret, TokenKey (value).
 * Environment: DECORUM_BASE_URL (public URL of the push API), DECORUM_PUSH_SA (the Pub/Sub push
 * subscription's service account), DECORUM_PUBSUB_TOPIC (projects/P/topics/T).
 */

const Named = z.object({ name: z.string().min(1) });
const Valued = z.object({ value: z.string().min(1) });
const Located = z.object({ url: z.string().url() });

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export interface SyncConfig {
  tableName(): string;
  queueUrl(): string;
  google(): { clientId: string; clientSecret: string };
  tokenKey(): string;
  /** DECORUM_BASE_URL without a trailing slash. */
  baseUrl(): string;
  pushServiceAccount(): string;
  pubsubTopic(): string;
}

export function syncConfig(
  link: (name: string) => unknown,
  env: Record<string, string | undefined>,
): SyncConfig {
  const read = <T>(schema: z.ZodType<T>, name: string): T => {
    let value: unknown;
    try {
      value = link(name);
    } catch (error) {
      throw new ConfigError(`The ${name} link is missing`, { cause: error });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ConfigError(`The ${name} link has the wrong shape`);
    return parsed.data;
  };
  const variable = (name: string, schema: z.ZodType<string> = z.string().min(1)): string => {
    const parsed = schema.safeParse(env[name]);
    if (!parsed.success) throw new ConfigError(`${name} is not set or not valid`);
    return parsed.data;
  };
  return {
    tableName: () => read(Named, "Table").name,
    queueUrl: () => read(Located, "Jobs").url,
    google: () => ({
      clientId: read(Valued, "GoogleClientId").value,
      clientSecret: read(Valued, "GoogleClientSecret").value,
    }),
    tokenKey: () => read(Valued, "TokenKey").value,
    baseUrl: () => variable("DECORUM_BASE_URL", z.string().url()).replace(/\/+$/, ""),
    pushServiceAccount: () => variable("DECORUM_PUSH_SA", z.string().email()),
    pubsubTopic: () =>
      variable("DECORUM_PUBSUB_TOPIC", z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/)),
  };
}
