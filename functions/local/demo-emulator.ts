import * as z from "zod";

/**
 * The Google emulator (test/emulator) for the demo. It is development code and must never reach
 * a Lambda bundle, so it is loaded here by a path computed at runtime, and only in demo mode:
 * no bundler follows it, and nothing under functions/ names it in an import (the rule
 * test/adapters/google/no-emulator-imports.test.ts keeps). test/local/emulator-shape.test.ts
 * checks the real emulator against the shape described here, and the bundle test checks that
 * no handler bundle contains it.
 */

export interface DemoUser {
  email: string;
  name: string;
  mailboxDir: string;
  calendarDir: string;
  timeZone: string;
}

export interface DemoEmulatorOptions {
  users: DemoUser[];
  /** The consent page signs this user in without asking. */
  defaultUser: string;
  /** Where the demo's Gmail watch notifications would go; unused (the demo polls). */
  pushEndpoint?: string;
}

export interface DemoTokens {
  refresh_token: string;
  id_token: string;
}

export interface DemoEmulator {
  url: string;
  clientId: string;
  clientSecret: string;
  endpoints: { authUrl: string; tokenUrl: string; revokeUrl: string; certsUrl: string };
  issueTokens(email: string): DemoTokens;
  close(): Promise<void>;
}

export type StartDemoEmulator = (options: DemoEmulatorOptions) => Promise<DemoEmulator>;

const Fn = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === "function");
const Module = z.looseObject({ startGoogleEmulator: Fn });
const Started = z.looseObject({
  url: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  endpoints: z.looseObject({
    authUrl: z.string(),
    tokenUrl: z.string(),
    revokeUrl: z.string(),
    certsUrl: z.string(),
  }),
  issueTokens: Fn,
  close: Fn,
});
const Tokens = z.looseObject({ refresh_token: z.string().min(1), id_token: z.string().min(1) });

const EMULATOR_PATH = ["..", "..", "test", "emulator", "index.ts"].join("/");

/** Loads and starts the emulator; fails with a clear message in a checkout without test/. */
export async function startDemoEmulator(options: DemoEmulatorOptions): Promise<DemoEmulator> {
  const url = new URL(EMULATOR_PATH, import.meta.url);
  let loaded: unknown;
  try {
    loaded = await import(url.href);
  } catch (error) {
    throw new Error(
      "The demo needs the Google emulator in test/emulator (a full clone of the repository); set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to use Google instead",
      { cause: error },
    );
  }
  const { startGoogleEmulator } = Module.parse(loaded);
  const started = Started.parse(await startGoogleEmulator(options));
  const issue = started.issueTokens;
  const close = started.close;
  return {
    url: started.url,
    clientId: started.clientId,
    clientSecret: started.clientSecret,
    endpoints: started.endpoints,
    issueTokens: (email) => Tokens.parse(issue.call(started, email)),
    close: async () => {
      await close.call(started);
    },
  };
}
