import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import { startLocalDynamo } from "../../functions/local/dynalite.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` as a newcomer runs it (`node bin/decorum.js start`), on a free port and a temp data dir. */
function startDecorum(dataDir: string): Running {
  const child = spawn(process.execPath, ["bin/decorum.js", "start"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      DECORUM_DATA_DIR: dataDir,
      // Empty wins over a developer's .env: the test always runs the demo.
      GOOGLE_CLIENT_ID: "",
      GOOGLE_CLIENT_SECRET: "",
      DECORUM_BASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    output: () => `${stdout}\n--- stderr ---\n${stderr}`,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null) {
            done();
            reject(new Error(`decorum exited before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Opens the activity page as a browser would: the demo signs its owner in, then shows the page. */
async function activityPage(url: string): Promise<string> {
  const first = await fetch(`${url}/`, { redirect: "manual" });
  expect(first.status).toBe(303);
  const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^decorum_session=/);
  // The activity page shows the newest invitations a page at a time; follow "Older invitations".
  let html = "";
  let next: string | null = "/";
  while (next) {
    const page = await fetch(`${url}${next.replaceAll("&amp;", "&")}`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(page.status).toBe(200);
    const text = await page.text();
    html += text;
    next = /<a[^>]*href="(\/\?cursor=[^"]+)"[^>]*>Older invitations<\/a>/.exec(text)?.[1] ?? null;
  }
  return html;
}

async function stop(running: Running): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  running.child.kill("SIGINT");
  const { code } = await running.exited;
  return { code, ms: Date.now() - started };
}

/** Every invitation in the data directory's ledger, per account (read after decorum stopped). */
async function ledgerKeys(dataDir: string): Promise<string[]> {
  const local = await startLocalDynamo({ dir: join(dataDir, "dynamodb") });
  try {
    const accounts = new AccountStore({
      client: local.client,
      tableName: local.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
    });
    const keys: string[] = [];
    for (const account of (await accounts.listAccounts()).items) {
      const ledger = new DynamoLedger({
        client: local.client,
        tableName: local.tableName,
        accountId: account.accountId,
      });
      let cursor: string | undefined;
      do {
        const page = await ledger.listInvitations(
          { from: new Date(0), to: new Date(Date.now() + 365 * 86_400_000) },
          { limit: 1000, ...(cursor ? { cursor } : {}) },
        );
        keys.push(...page.items.map((record) => `${account.accountId} ${record.key}`));
        cursor = page.cursor ?? undefined;
      } while (cursor);
    }
    return keys.sort();
  } finally {
    await local.close();
  }
}

const DRAFTED = /Reply drafted in Gmail/g;

describe("npm start on a fresh clone", () => {
  let dataDir: string;
  const children: Running[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "decorum-start-"));
  });

  afterAll(async () => {
    for (const running of children) {
      if (running.child.exitCode === null) running.child.kill("SIGKILL");
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  let firstKeys: string[] = [];
  let firstDrafts = 0;

  it("serves the demo with its drafts, and stops cleanly on Ctrl-C", async () => {
    const running = startDecorum(dataDir);
    children.push(running);
    const [, url] = await running.waitFor(/Decorum is running at (http:\/\/localhost:\d+)/, 60_000);
    expect(url).toBeDefined();
    const done = await running.waitFor(/demo mailbox processed: .*?(\d+) reply drafts/, 90_000);
    expect(running.output()).toMatch(/processing demo mailbox: \d+\/\d+…/);
    firstDrafts = Number(done[1]);
    expect(firstDrafts).toBeGreaterThanOrEqual(5);

    const page = await activityPage(url ?? "");
    expect(page).toContain("Drinks Friday with the team?");
    expect(page.match(DRAFTED)?.length).toBe(firstDrafts);

    const stopped = await stop(running);
    expect(stopped.code, running.output()).toBe(0);
    expect(stopped.ms).toBeLessThan(8_000);
    expect(running.output()).toContain("stopped.");

    firstKeys = await ledgerKeys(dataDir);
    expect(firstKeys.length).toBeGreaterThan(20);
  }, 180_000);

  it("resumes on a second start without recording or drafting anything twice", async () => {
    expect(firstKeys.length).toBeGreaterThan(0);
    const running = startDecorum(dataDir);
    children.push(running);
    const [, url] = await running.waitFor(/Decorum is running at (http:\/\/localhost:\d+)/, 60_000);
    await running.waitFor(/demo mailbox already processed/, 90_000);
    expect(running.output()).not.toMatch(/processing demo mailbox/);

    const page = await activityPage(url ?? "");
    expect(page.match(DRAFTED)?.length).toBe(firstDrafts);

    const stopped = await stop(running);
    expect(stopped.code, running.output()).toBe(0);
    expect(await ledgerKeys(dataDir)).toEqual(firstKeys);
  }, 180_000);
});
