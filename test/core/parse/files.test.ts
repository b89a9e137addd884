import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMessage } from "../../../functions/core/model.ts";
import {
  isParseFailure,
  type ParseFailure,
  type ReadProgress,
  readMessages,
} from "../../../functions/core/parse/index.ts";
import { ParsedMessageSchema, ParseFailureSchema } from "./model-schema.ts";

const PARSE = new URL("../../fixtures/parse/", import.meta.url).pathname;
const TREE = join(PARSE, "tree");

async function collect(
  paths: string[],
  onProgress?: (p: ReadProgress) => void,
): Promise<(ParsedMessage | ParseFailure)[]> {
  const results: (ParsedMessage | ParseFailure)[] = [];
  for await (const result of readMessages(paths, onProgress ? { onProgress } : {})) {
    if (isParseFailure(result)) ParseFailureSchema.parse(result);
    else ParsedMessageSchema.parse(result);
    results.push(result);
  }
  return results;
}

describe("readMessages", () => {
  it("walks a nested folder in sorted order, skipping other and hidden files", async () => {
    const results = await collect([TREE]);
    expect(results.map((r) => r.source)).toEqual([
      join(TREE, "C.EML"),
      `${join(TREE, "a/deeper/z.mbox")}#1`,
      `${join(TREE, "a/deeper/z.mbox")}#2`,
      join(TREE, "a/inner.ics"),
      join(TREE, "b-reply.eml"),
    ]);
    expect(results.map((r) => (isParseFailure(r) ? r.error : r.subject))).toEqual([
      "Upper-case extension",
      "first of z",
      "second of z",
      "Tree event",
      "Re: hello",
    ]);
    expect(results.map((r) => ("kind" in r ? r.kind : null))).toEqual([
      "email",
      "email",
      "email",
      "calendar",
      "email",
    ]);
  });

  it("keeps the order of the paths it is given", async () => {
    const results = await collect([join(TREE, "b-reply.eml"), join(TREE, "C.EML")]);
    expect(results.map((r) => r.source)).toEqual([join(TREE, "b-reply.eml"), join(TREE, "C.EML")]);
  });

  it("reports a missing path in words a user can act on, and goes on", async () => {
    const missing = join(TREE, "no-such-folder");
    const results = await collect([missing, join(TREE, "C.EML")]);
    expect(results).toHaveLength(2);
    const [failure, message] = results;
    expect(failure).toEqual({
      source: missing,
      error: expect.stringMatching(/^No such file or folder: .*no-such-folder .*Check the path\.$/),
    });
    expect(message && !isParseFailure(message) && message.subject).toBe("Upper-case extension");
  });

  it("names the relative-path base for a missing relative path", async () => {
    const [failure] = await collect(["definitely/not/here.mbox"]);
    expect(failure && isParseFailure(failure) && failure.error).toContain(process.cwd());
  });

  it("refuses a file of an unsupported type it was given by name", async () => {
    const [failure] = await collect([join(TREE, "readme.txt")]);
    expect(failure && isParseFailure(failure) && failure.error).toMatch(
      /^Unsupported file .*readme\.txt: expected a \.eml, \.ics or \.mbox file, or a folder\.$/,
    );
  });

  it("yields a failure for a file that does not parse, and goes on", async () => {
    const invalid = join(PARSE, "ics/invalid.ics");
    const results = await collect([invalid, join(TREE, "a/inner.ics")]);
    expect(results.map((r) => [r.source, isParseFailure(r)])).toEqual([
      [invalid, true],
      [join(TREE, "a/inner.ics"), false],
    ]);
    expect(results[0] && isParseFailure(results[0]) && results[0].error).toMatch(
      /^Could not parse calendar file .*invalid\.ics: Invalid iCalendar data: /,
    );
  });

  it("reports progress after every result, counting messages and bytes", async () => {
    const progress: ReadProgress[] = [];
    const results = await collect([TREE], (p) => progress.push(p));
    expect(progress.map((p) => [p.source, p.messages])).toEqual(
      results.map((r, i) => [r.source, i + 1]),
    );
    const files = ["C.EML", "a/deeper/z.mbox", "a/inner.ics", "b-reply.eml"];
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(TREE, f))).size));
    expect(progress.at(-1)?.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
    const bytes = progress.map((p) => p.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
  });

  describe("on a folder with a symlink loop", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "decorum-parse-"));
      await mkdir(join(dir, "inner"));
      await writeFile(join(dir, "inner", "m.eml"), "From: a@b.example\nSubject: once\n\nhi\n");
      await symlink(dir, join(dir, "inner", "loop"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("reads each file once and terminates", async () => {
      const results = await collect([dir]);
      expect(results.map((r) => (isParseFailure(r) ? r.error : r.subject))).toEqual(["once"]);
    });
  });
});

describe("isParseFailure", () => {
  it.each([
    [{ source: "a", error: "bad" }, true],
    [{ source: "a", error: 1 }, false],
    [{ source: "a" }, false],
    [{ kind: "email", source: "a", error: "x" }, false],
    [null, false],
    ["error", false],
  ])("reads %j as a failure: %s", (value, expected) => {
    expect(isParseFailure(value)).toBe(expected);
  });
});
