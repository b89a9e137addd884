/**
 * Run in a fresh process by lazy-loading.test.ts: reports which Google packages are loaded after
 * importing the ports, and after the first Gmail call. CommonJS packages, which all three are,
 * land in require.cache however they are reached (import or a transitive require).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PACKAGES = [
  "@googleapis/gmail",
  "@googleapis/calendar",
  "googleapis-common",
  "google-auth-library",
];

function loaded(): string[] {
  const paths = Object.keys(require.cache);
  return PACKAGES.filter((name) => paths.some((p) => p.includes(`/node_modules/${name}/`)));
}

const [target, mode] = process.argv.slice(2);
if (!target || (mode !== "gmail" && mode !== "push")) {
  throw new Error("usage: lazy-probe.ts <module> gmail|push");
}
const before = loaded();
const ports = await import(target);
const afterImport = loaded();

async function useGmail(): Promise<unknown> {
  const { gmail } = ports.createGoogleClients({
    clientId: "probe",
    clientSecret: "probe",
    refreshToken: "probe",
    accessToken: "probe",
    expiryDate: Date.now() + 3_600_000,
    // Nothing listens on port 9: the call fails fast, after loading what it needs.
    rootUrl: "http://127.0.0.1:9/",
    retry: { maxAttempts: 1 },
  });
  return gmail.getProfile();
}

async function usePush(): Promise<unknown> {
  return ports.verifyPushToken("a.b.c", {
    audience: "https://decorum.example/gmail/push",
    serviceAccountEmail: "push@decorum.iam.gserviceaccount.com",
    certsUrl: "http://127.0.0.1:9/oauth2/v1/certs",
  });
}

const failure = await (mode === "gmail" ? useGmail() : usePush()).then(
  () => "no error",
  (error: unknown) => (error instanceof Error ? error.name : "unknown"),
);
const afterUse = loaded();
process.stdout.write(`${JSON.stringify({ before, afterImport, afterUse, failure })}\n`);
