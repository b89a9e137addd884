import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isParseFailure, readMessages, splitMbox } from "../../../functions/core/parse/index.ts";
import { unescapeFromLines } from "../../../functions/core/parse/mbox.ts";

const FIXTURES = new URL("../../fixtures/parse/mbox/", import.meta.url);

async function* chunksOf(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes.length > 0 ? (sizes[i++ % sizes.length] ?? 1) : bytes.length);
    // A fresh copy per chunk, as a file stream hands them out.
    yield Uint8Array.from(bytes.subarray(at, at + size));
    at += size;
  }
}

async function split(input: string | Uint8Array, sizes: readonly number[] = []): Promise<string[]> {
  const bytes = typeof input === "string" ? Buffer.from(input, "latin1") : input;
  const messages: string[] = [];
  for await (const message of splitMbox(chunksOf(bytes, sizes))) {
    messages.push(Buffer.from(message).toString("latin1"));
  }
  return messages;
}

const SEPARATOR = "From 1801234567890123456@xxx Mon Jun 03 10:00:00 +0000 2024";

describe("splitMbox", () => {
  it.each([
    ["LF", "takeout-lf.mbox", "\n"],
    ["CRLF", "takeout-crlf.mbox", "\r\n"],
  ])("splits a Takeout mbox with %s line ends", async (_name, file, eol) => {
    const messages = await split(await readFile(new URL(file, FIXTURES)));
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => m.split(eol)[0])).toEqual([
      "X-GM-THRIFT-ID: 1801234567890123456",
      "X-GM-THRIFT-ID: 1801234567890123457",
      "X-GM-THRIFT-ID: 1801234567890123458",
    ]);
    const first = messages[0] ?? "";
    expect(first).toContain(`${eol}From the desk of Ana: drinks on Friday after work?${eol}`);
    expect(first).toContain(`${eol}>From here the escaping is mboxrd.${eol}`);
    expect(first).toContain(`${eol}From here on, an unescaped line in the middle of a paragraph.`);
    expect(first.endsWith(`Ana${eol}`)).toBe(true);
    expect(messages.every((m) => !m.includes("@xxx"))).toBe(true);
  });

  it.each([
    ["empty input", "", []],
    ["only blank lines", "\n\r\n\n", []],
    ["a lone separator", `${SEPARATOR}\n`, []],
    [
      "text without a separator",
      "Subject: saved as mbox\n\nhello\n",
      ["Subject: saved as mbox\n\nhello\n"],
    ],
    ["no trailing newline", `${SEPARATOR}\nSubject: a\n\nbody`, ["Subject: a\n\nbody"]],
    [
      "a Thunderbird separator",
      "From - Sat Jan 03 10:00:00 2024\nSubject: a\n\nx\n\nFrom - Sat Jan 03 11:00:00 2024\nSubject: b\n",
      ["Subject: a\n\nx\n", "Subject: b\n"],
    ],
    [
      "an unescaped From line after a blank line, without a time",
      `${SEPARATOR}\nSubject: a\n\nFrom my side, yes.\n`,
      ["Subject: a\n\nFrom my side, yes.\n"],
    ],
    [
      "an asctime separator without a blank line before it",
      `${SEPARATOR}\nSubject: a\n\nx\n${SEPARATOR}\nSubject: b\n`,
      ["Subject: a\n\nx\n", "Subject: b\n"],
    ],
    [
      "a loose separator only after a blank line",
      "From a@b 10:00 2024\nSubject: a\nFrom c@d 11:00 2024\n\nFrom e@f 12:00 2024\nSubject: c\n",
      ["Subject: a\nFrom c@d 11:00 2024\n", "Subject: c\n"],
    ],
  ])("handles %s", async (_name, input, expected) => {
    expect(await split(input)).toEqual(expected);
  });

  it("yields the same messages however the input is chunked", async () => {
    const crlf = await readFile(new URL("takeout-crlf.mbox", FIXTURES));
    const lf = await readFile(new URL("takeout-lf.mbox", FIXTURES));
    const long = Buffer.from(
      `${SEPARATOR}\nSubject: long\n\n${"x".repeat(3000)}\nFrom ${"y".repeat(1500)} 10:00\n\n${SEPARATOR}\nSubject: z\n`,
      "latin1",
    );
    for (const input of [crlf, lf, long]) {
      const whole = await split(input);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
          async (sizes) => {
            expect(await split(input, sizes)).toEqual(whole);
          },
        ),
        { numRuns: 150 },
      );
    }
  });

  it("cuts a message longer than the limit and goes on with the next", async () => {
    const input = `${SEPARATOR}\nSubject: big\n\n${"x".repeat(5000)}\n\n${SEPARATOR}\nSubject: next\n`;
    const messages: string[] = [];
    for await (const message of splitMbox(chunksOf(Buffer.from(input), [333]), {
      maxMessageBytes: 100,
    })) {
      messages.push(Buffer.from(message).toString());
    }
    expect(messages).toEqual([`Subject: big\n\n${"x".repeat(86)}`, "Subject: next\n"]);
  });

  it("unescapes mboxrd From lines by one level", () => {
    const input = Buffer.from(">From a\n>>From b\nx >From c\n>>>From d\n>Fromage\n");
    expect(unescapeFromLines(input).toString()).toBe(
      "From a\n>From b\nx >From c\n>>From d\n>Fromage\n",
    );
  });
});

describe("readMessages on an mbox", () => {
  it("numbers the messages of a file and reads Gmail's headers", async () => {
    const path = new URL("takeout-crlf.mbox", FIXTURES).pathname;
    const results = [];
    for await (const result of readMessages([path])) results.push(result);
    expect(results.map((r) => r.source)).toEqual([`${path}#1`, `${path}#2`, `${path}#3`]);
    const [first, second, third] = results;
    if (!first || isParseFailure(first) || !second || isParseFailure(second)) {
      throw new Error("expected messages");
    }
    expect(first.headers).toEqual({
      "x-gm-thrift-id": "1801234567890123456",
      "x-gmail-labels": "Inbox,Opened,Category Personal",
    });
    expect(first.text).toContain("From the desk of Ana: drinks on Friday after work?");
    expect(second).toMatchObject({
      inReplyTo: "mbox-1@client.example",
      newText: "Sounds great, see you there.",
    });
    expect(third).toMatchObject({ htmlOnly: true, subject: "Gala d’été" });
  });

  it("keeps order and numbering across the runs it parses messages in", async () => {
    // Over runs of 64 messages, and two large ones (4.6 MB each) that end a run early by size.
    const count = 600;
    const big = new Set([100, 101]);
    const parts: string[] = [];
    for (let n = 1; n <= count; n++) {
      const body = big.has(n) ? "x".repeat(76).concat("\n").repeat(60_000) : `Message ${n}\n`;
      parts.push(
        `${SEPARATOR}\nMessage-ID: <run-${n}@client.example>\nSubject: Number ${n}\n\n${body}`,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), "decorum-mbox-"));
    try {
      const path = join(dir, "long.mbox");
      await writeFile(path, parts.join("\n"));
      const seen: string[] = [];
      for await (const result of readMessages([path])) {
        if (isParseFailure(result)) throw new Error(result.error);
        seen.push(`${result.source} ${result.messageId} ${result.subject}`);
      }
      expect(seen).toEqual(
        Array.from(
          { length: count },
          (_, i) => `${path}#${i + 1} run-${i + 1}@client.example Number ${i + 1}`,
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
