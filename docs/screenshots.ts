/**
 * Regenerates the README's screenshots from the running demo:
 *   npx tsx docs/screenshots.ts [path-to-chromium]
 * Starts `decorum start` on a free port with a throwaway data directory, lets the demo mailbox
 * finish, and photographs the activity, settings and summary pages with Chromium.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = fileURLToPath(new URL("./", import.meta.url));
const executablePath = process.argv[2] ?? "/usr/bin/chromium";

const dataDir = await mkdtemp(join(tmpdir(), "decorum-screenshots-"));
const child = spawn(process.execPath, ["bin/decorum.js", "start"], {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: "0",
    DECORUM_DATA_DIR: dataDir,
    GOOGLE_CLIENT_ID: "",
    GOOGLE_CLIENT_SECRET: "",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    let found = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
      found ||= /Decorum is running at (\S+)/.exec(output)?.[1] ?? "";
      if (found && /demo mailbox (processed|already processed)/.test(output)) resolve(found);
    });
    child.once("exit", () => reject(new Error(`decorum exited:\n${output}`)));
  });
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    for (const [path, file] of [
      ["/", "activity.png"],
      ["/settings", "settings.png"],
      ["/summary", "summary.png"],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: join(OUT, file), fullPage: false });
      console.log(`wrote docs/${file}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  child.kill("SIGINT");
  await new Promise((resolve) => child.once("exit", resolve));
  await rm(dataDir, { recursive: true, force: true });
}
