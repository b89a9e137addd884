import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as z from "zod";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const probe = fileURLToPath(new URL("./lazy-probe.ts", import.meta.url));
const index = fileURLToPath(
  new URL("../../../functions/adapters/google/index.ts", import.meta.url),
);

const Report = z.object({
  before: z.array(z.string()),
  afterImport: z.array(z.string()),
  afterUse: z.array(z.string()),
  failure: z.string(),
});

async function probeIn(mode: "gmail" | "push") {
  const { stdout } = await run(process.execPath, ["--import", "tsx", probe, index, mode], {
    cwd: root,
    timeout: 25_000,
  });
  return Report.parse(JSON.parse(stdout.trim().split("\n").at(-1) ?? ""));
}

describe("the Google ports' import cost", () => {
  it("loads no Google library until a port is used, then only what that port needs", async () => {
    const report = await probeIn("gmail");
    expect(report.before).toEqual([]);
    expect(report.afterImport).toEqual([]);
    // The control: the probe does see the packages once they are loaded.
    expect(report.afterUse).toEqual([
      "@googleapis/gmail",
      "googleapis-common",
      "google-auth-library",
    ]);
    expect(report.failure).toBe("GoogleError");
  });

  it("verifies a push with google-auth-library alone, never loading the Gmail client", async () => {
    const report = await probeIn("push");
    expect(report.afterImport).toEqual([]);
    expect(report.afterUse).toEqual(["google-auth-library"]);
    expect(report.failure).toBe("GoogleError");
  });
});
