/**
 * Run in a fresh process by push.test.ts: which Google packages the push Lambda loads, after
 * importing its handler module and after answering a Gmail push. CommonJS packages land in
 * require.cache however they are reached.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PACKAGES = ["@googleapis/gmail", "@googleapis/calendar", "google-auth-library"];

function loaded(): string[] {
  const paths = Object.keys(require.cache);
  return PACKAGES.filter((name) => paths.some((p) => p.includes(`/node_modules/${name}/`)));
}

await import("../../functions/handlers/push.ts");
const afterImport = loaded();
const { createPushRoutes } = await import("../../functions/http/push.ts");
const app = createPushRoutes({
  queue: { enqueue: async () => {} },
  directory: { gmailAccount: async () => "acct", calendarRoute: async () => null },
  gmail: {
    audience: "https://decorum.example/push/gmail",
    serviceAccountEmail: "push@decorum.iam.gserviceaccount.com",
    // Nothing listens on port 9: verification fails fast after loading what it needs.
    certsUrl: "http://127.0.0.1:9/oauth2/v1/certs",
  },
});
const response = await app.request("/push/gmail", {
  method: "POST",
  headers: { authorization: "Bearer a.b.c" },
  body: "{}",
});
process.stdout.write(
  `${JSON.stringify({ afterImport, afterUse: loaded(), status: response.status })}\n`,
);
