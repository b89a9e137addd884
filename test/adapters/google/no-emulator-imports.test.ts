import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const functions = join(root, "functions");

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(c|m)?(t|j)sx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Every module specifier: static imports and re-exports, dynamic import(), require(). */
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'`]([^"'`]+)["'`]/gm;

function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? "");
}

describe("production code", () => {
  it("finds the specifiers it scans for", () => {
    const sample = [
      'import { a } from "../../test/emulator/index.ts";',
      'export * from "./x.ts";',
      'const m = await import("../test/emulator/gmail.ts");',
      'import "side-effect";',
    ].join("\n");
    expect(specifiers(sample)).toEqual([
      "../../test/emulator/index.ts",
      "./x.ts",
      "../test/emulator/gmail.ts",
      "side-effect",
    ]);
  });

  it("never imports the Google emulator", async () => {
    const files = await sources(functions);
    expect(files.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(await readFile(file, "utf8"))) {
        if (/(^|\/)test\/emulator(\/|\.ts$|$)/.test(specifier)) {
          offenders.push(`${relative(root, file)} imports ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
