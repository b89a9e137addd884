/**
 * What every function shares, and the plain (non-secret) settings read from the deploying shell's
 * environment or `.env` (SST loads it): see the README's configuration reference.
 */

/**
 * Every function: Node 22 on Graviton (every dependency is plain JavaScript, and arm64 costs a
 * fifth less per GB-second), minified, and split at each dynamic `import()`: the handlers load
 * their dependencies on first use, so a cold start parses only the entry chunk and what a
 * request actually needs. The bundle test and `npm run bench` build with exactly these options.
 */
export const runtime = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  nodejs: { splitting: true, minify: true },
} as const;

/** A deploy-time setting, or "" when unset (the handlers treat "" as not configured). */
export function setting(name: string): string {
  return process.env[name]?.trim() ?? "";
}

/** A custom domain for the settings page and push endpoints, e.g. decorum.example.com. */
export const domain = setting("DECORUM_DOMAIN");
