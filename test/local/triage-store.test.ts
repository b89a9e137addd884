import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTriage } from "../../functions/cli/triage.ts";
import { LocalStoreBusy, openLocalLedger } from "../../functions/local/store.ts";
import { DEFAULT_SETTINGS } from "../../functions/schemas/settings.ts";

const MAILBOX = fileURLToPath(new URL("../fixtures/demo/mailbox/", import.meta.url));
/** A week after the demo's newest message, so nothing has passed its retention. */
const NOW = new Date("2025-03-20T12:00:00Z");

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.resume();
  return { io: { stdout, stderr, now: () => NOW, cwd: process.cwd() }, out: () => out };
}

describe("decorum triage --store local", () => {
  let dataDir = "";
  let previous: string | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "decorum-triage-local-"));
    previous = process.env.DECORUM_DATA_DIR;
    process.env.DECORUM_DATA_DIR = dataDir;
  });

  afterEach(async () => {
    if (previous === undefined) delete process.env.DECORUM_DATA_DIR;
    else process.env.DECORUM_DATA_DIR = previous;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("records into the local store, so a second run finds every invitation already there", async () => {
    const first = io();
    expect(await runTriage(["--store", "local", "--json", MAILBOX], first.io)).toBe(0);
    const recorded = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).recorded);
    const firstRun = recorded(first.out());
    expect(firstRun.filter((r) => r === "new").length).toBeGreaterThan(20);

    const second = io();
    expect(await runTriage(["--store", "local", "--json", MAILBOX], second.io)).toBe(0);
    const secondRun = recorded(second.out());
    expect(secondRun.filter((r) => r === "new")).toEqual([]);
    expect(secondRun.filter((r) => r === "existing").length).toBe(
      firstRun.filter((r) => r === "new").length,
    );
  }, 60_000);

  it("refuses to open the store while another process holds it", async () => {
    const env = { DECORUM_DATA_DIR: dataDir };
    const held = await openLocalLedger({ cwd: process.cwd(), env, settings: DEFAULT_SETTINGS });
    try {
      await expect(
        openLocalLedger({ cwd: process.cwd(), env, settings: DEFAULT_SETTINGS }),
      ).rejects.toBeInstanceOf(LocalStoreBusy);
    } finally {
      await held.close();
    }
  });
});
