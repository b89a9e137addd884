import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import { LOCAL_DATA_DIR, runSummary } from "../../functions/cli/summary.ts";
import { startLocalDynamo } from "../../functions/local/dynalite.ts";
import { fullWeek, record } from "../core/summary/seed.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "decorum-summary-"));
  const { records } = fullWeek();
  await writeFile(join(dir, "ledger.jsonl"), records.map((r) => JSON.stringify(r)).join("\n"));
  await writeFile(join(dir, "ledger.json"), JSON.stringify(records));
  await writeFile(
    join(dir, "settings.json"),
    JSON.stringify({ timeZone: "Europe/London", owner: { name: "Alex Morgan" } }),
  );
  await writeFile(join(dir, "bad.jsonl"), JSON.stringify({ ...records[0], category: "party" }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], cwd = dir) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on("data", (chunk: Buffer) => err.push(chunk.toString()));
  const code = await runSummary(argv, {
    stdout,
    stderr,
    cwd,
    now: () => new Date("2025-06-01T12:00:00Z"),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("decorum summary", () => {
  it.each([["ledger.jsonl"], ["ledger.json"]])(
    "renders a week from a ledger file (%s)",
    async (file) => {
      const result = await run([
        "--ledger",
        file,
        "--settings",
        "settings.json",
        "--week",
        "2025-W13",
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Subject: Decorum — your week: 8 invitations, 3 drafts waiting, 1 to review\n/,
      );
      expect(result.stdout).toContain("Mon 24 Mar – Sun 30 Mar 2025");
      expect(result.stdout).toContain("Emma & Leo's wedding");
    },
  );

  it("writes the HTML part with --out", async () => {
    const result = await run([
      "--ledger",
      "ledger.jsonl",
      "--week",
      "2025-W13",
      "--out",
      "preview.html",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("wrote the HTML part to preview.html");
    const html = await readFile(join(dir, "preview.html"), "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("Invitations per week");
  });

  it("shows an empty week, and says why, without a ledger", async () => {
    const result = await run([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("A quiet week");
    expect(result.stderr).toContain("no --ledger given");
  });

  it.each([
    [["--week", "2025-W53"], 1, "not an ISO week"],
    [["--week", "last"], 1, "not an ISO week"],
    [["--store", "cloud"], 1, "--store must be one of memory, local"],
    [["--frobnicate"], 1, "Unknown option"],
    [["--store", "local", "--ledger", "ledger.jsonl"], 1, "either --ledger or --store local"],
    [["--ledger", "missing.jsonl"], 2, "cannot read ledger file"],
    [["--ledger", "bad.jsonl"], 2, "record 0.category"],
    [["--settings", "missing.json"], 1, "cannot read settings file"],
  ])("refuses %j with status %i", async (argv, code, message) => {
    const result = await run(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});

describe("decorum summary --store local", () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "decorum-local-"));
    const local = await startLocalDynamo({ dir: join(cwd, LOCAL_DATA_DIR) });
    const accounts = new AccountStore({
      client: local.client,
      tableName: local.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
    });
    for (const accountId of ["alex", "sam"]) {
      await accounts.createAccount({
        accountId,
        email: `${accountId}@firm.example`,
        settings: {
          timeZone: "Europe/London",
          owner: { name: accountId === "alex" ? "Alex Morgan" : "Sam Lee" },
        },
      });
    }
    const now = () => new Date("2025-04-01T00:00:00Z");
    const ledger = new DynamoLedger({
      client: local.client,
      tableName: local.tableName,
      accountId: "alex",
      now,
    });
    await ledger.record(record({ key: "lunch", receivedAt: "2025-03-25T12:00:00.000Z" }));
    await ledger.record(
      record({ key: "golf", category: "outing", receivedAt: "2025-03-27T12:00:00.000Z" }),
    );
    await local.close();
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("reads the account's settings and ledger from the local store", async () => {
    const result = await run(["--store", "local", "--account", "alex", "--week", "2025-W13"], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Subject: Decorum — your week: 2 invitations");
    expect(result.stdout).toContain("Hello Alex Morgan");
  });

  it.each([
    [["--store", "local"], 1, "has 2 accounts; choose one with --account (alex, sam)"],
    [["--store", "local", "--account", "kim"], 2, "no account 'kim' in the local store"],
  ])("asks which account (%j)", async (argv, code, message) => {
    const result = await run(argv, cwd);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
