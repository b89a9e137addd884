import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import * as z from "zod";

/**
 * The local server's configuration: the process environment over a `.env` file in the working
 * directory (the environment wins, so `PORT=9000 npm start` beats the file). Every variable is
 * listed in .env.example and the README's configuration reference.
 */
export interface LocalConfig {
  /** 0 picks a free port. */
  port: number;
  /** Absolute; DynamoDB data, keys and the demo's seed live under it. */
  dataDir: string;
  /** Demo (the Google emulator with a seeded mailbox) unless Google credentials are configured. */
  mode: { kind: "demo" } | { kind: "google"; clientId: string; clientSecret: string };
  /** Addresses and @domains allowed to sign in (Google mode); the demo admits its own account. */
  allowed: string[];
  /** Where the browser reaches the server; default http://localhost:<port>. */
  baseUrl: string | null;
  /** How often every connected account is synced (no pushes reach a local machine). */
  syncIntervalMs: number;
  /** Overrides for the keys otherwise generated once into the data directory. */
  sessionKey: string | null;
  tokenKey: string | null;
}

export class LocalConfigError extends Error {
  override readonly name = "LocalConfigError";
}

const Optional = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const Env = z.object({
  PORT: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return 8787;
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        ctx.addIssue({ code: "custom", message: "PORT must be a whole number from 0 to 65535" });
        return z.NEVER;
      }
      return port;
    }),
  DECORUM_DATA_DIR: Optional,
  GOOGLE_CLIENT_ID: Optional,
  GOOGLE_CLIENT_SECRET: Optional,
  DECORUM_ALLOWED: Optional,
  DECORUM_BASE_URL: Optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DECORUM_SYNC_INTERVAL_SECONDS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return 60;
      const seconds = Number(value);
      if (!Number.isInteger(seconds) || seconds < 10 || seconds > 86_400) {
        ctx.addIssue({
          code: "custom",
          message: "DECORUM_SYNC_INTERVAL_SECONDS must be a whole number from 10 to 86400",
        });
        return z.NEVER;
      }
      return seconds;
    }),
  DECORUM_SESSION_KEY: Optional,
  DECORUM_TOKEN_KEY: Optional,
});

/** Reads `<cwd>/.env` if there is one; a missing file is no configuration, not an error. */
export async function readDotEnv(cwd: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(join(cwd, ".env"), "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return {};
    throw error;
  }
  const parsed = parseEnv(text);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) values[key] = value;
  return values;
}

export function parseLocalConfig(
  env: Record<string, string | undefined>,
  cwd: string,
): LocalConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`,
    );
    throw new LocalConfigError(problems.join("; "));
  }
  const e = parsed.data;
  if ((e.GOOGLE_CLIENT_ID === undefined) !== (e.GOOGLE_CLIENT_SECRET === undefined)) {
    throw new LocalConfigError(
      "set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (to use Google), or neither (the demo)",
    );
  }
  return {
    port: e.PORT,
    dataDir: localDataDir(env, cwd),
    mode:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
        ? { kind: "google", clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET }
        : { kind: "demo" },
    allowed: (e.DECORUM_ALLOWED ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ""),
    baseUrl: e.DECORUM_BASE_URL ? new URL(e.DECORUM_BASE_URL).origin : null,
    syncIntervalMs: e.DECORUM_SYNC_INTERVAL_SECONDS * 1000,
    sessionKey: e.DECORUM_SESSION_KEY ?? null,
    tokenKey: e.DECORUM_TOKEN_KEY ?? null,
  };
}

/** `.data` under the working directory unless DECORUM_DATA_DIR says otherwise. */
export function localDataDir(env: Record<string, string | undefined>, cwd: string): string {
  const dir = env.DECORUM_DATA_DIR?.trim();
  return resolve(cwd, dir ? dir : ".data");
}

/** Where dynalite keeps the table, under the data directory. */
export function localDynamoDir(dataDir: string): string {
  return join(dataDir, "dynamodb");
}
