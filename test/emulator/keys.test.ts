import { describe, expect, it } from "vitest";
import { integer } from "./keys.ts";

describe("the emulator's DER INTEGER encoding", () => {
  it.each([
    ["a small positive number", [0x05], [0x02, 0x01, 0x05]],
    ["a leading 1-bit, padded with a zero byte", [0x80, 0x01], [0x02, 0x03, 0x00, 0x80, 0x01]],
    ["leading zero bytes, stripped", [0x00, 0x00, 0x12], [0x02, 0x01, 0x12]],
    [
      "a stripped zero before a 1-bit, kept as the sign byte",
      [0x00, 0x00, 0x9a],
      [0x02, 0x02, 0x00, 0x9a],
    ],
    ["zero itself", [0x00, 0x00], [0x02, 0x01, 0x00]],
  ])("encodes %s minimally", (_name, input, expected) => {
    expect([...integer(Buffer.from(input))]).toEqual(expected);
  });
});
