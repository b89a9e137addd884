import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { splitMbox } from "../../../functions/core/parse/index.ts";

// A full collection before each sample turns "memory in use" into "memory retained".
setFlagsFromString("--expose-gc");
const gc: unknown = runInNewContext("gc");

/** Memory still reachable; the pause lets V8 free dead buffers' stores, which it does off-thread. */
async function retained(): Promise<number> {
  if (typeof gc !== "function") throw new Error("gc is not available");
  gc();
  await new Promise((resolve) => setTimeout(resolve, 1));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const MB = 1024 * 1024;
const INPUT = 80 * MB;
const CHUNK = 64 * 1024;
const LARGEST = 2 * MB;

/** One stretch of mbox: messages from half a kilobyte up to LARGEST, with CRLF line ends. */
function pattern(): { bytes: Buffer; sizes: number[] } {
  const parts: Buffer[] = [];
  const sizes: number[] = [];
  const bodySizes = [400, 3_000, 40_000, 250_000, 1_000, LARGEST, 90_000, 12_000];
  bodySizes.forEach((size, i) => {
    const line = `${"x".repeat(74)}\r\n`;
    const body = line.repeat(Math.ceil(size / line.length));
    const message = `From: a${i}@client.example\r\nSubject: m${i}\r\n\r\n>From escaped\r\n${body}`;
    parts.push(Buffer.from(`From ${i}@xxx Mon Jun 03 10:00:00 +0000 2024\r\n${message}\r\n`));
    sizes.push(Buffer.byteLength(message) - 1);
  });
  return { bytes: Buffer.concat(parts), sizes };
}

/** Streams `total` bytes of mbox in fresh chunks, as a file stream would, without holding them. */
async function* generate(stretch: Buffer, total: number): AsyncGenerator<Uint8Array> {
  const repeats = Math.ceil(total / stretch.length);
  for (let r = 0; r < repeats; r++) {
    for (let at = 0; at < stretch.length; at += CHUNK) {
      const slice = stretch.subarray(at, at + CHUNK);
      const chunk = Buffer.allocUnsafe(slice.length);
      slice.copy(chunk);
      yield chunk;
    }
  }
}

describe("splitMbox streaming", () => {
  it("splits an 80 MB mbox retaining memory bounded by the largest message, not the input", async () => {
    const { bytes: stretch, sizes } = pattern();
    const repeats = Math.ceil(INPUT / stretch.length);
    const baseline = await retained();
    let peak = 0;
    let messages = 0;
    let bytes = 0;

    for await (const message of splitMbox(generate(stretch, INPUT))) {
      messages++;
      bytes += message.byteLength;
      // Sampled while the largest message is held, and at a stride that visits every other one.
      if (message.byteLength >= LARGEST || messages % 5 === 0) {
        peak = Math.max(peak, (await retained()) - baseline);
      }
    }

    expect(messages).toBe(sizes.length * repeats);
    // Each message loses one ">" of its ">From" line; nothing else is dropped or repeated.
    expect(bytes).toBe(sizes.reduce((a, b) => a + b, 0) * repeats);
    expect(repeats * stretch.length).toBeGreaterThanOrEqual(INPUT);
    // The consumer holds one message; the splitter holds the next message's first chunks.
    expect(peak).toBeLessThan(3 * LARGEST + 8 * CHUNK);
  });
});
