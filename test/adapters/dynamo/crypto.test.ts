import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { generateTokenKey, TokenCipher } from "../../../functions/adapters/dynamo/crypto.ts";

const KEY = generateTokenKey();

describe("TokenCipher", () => {
  it("round-trips a token and never shows the plaintext in the sealed form", () => {
    const cipher = TokenCipher.fromBase64(KEY);
    const token = "1//0gRefreshTokenExample-abc_DEF";
    const sealed = cipher.seal(token, "account-1");

    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(token);
    expect(cipher.open(sealed, "account-1")).toBe(token);
  });

  it("seals the same token differently each time (fresh IV)", () => {
    const cipher = TokenCipher.fromBase64(KEY);
    expect(cipher.seal("same", "a")).not.toBe(cipher.seal("same", "a"));
  });

  it.each([
    ["another context", (sealed: string) => ({ sealed, context: "account-2", key: KEY })],
    [
      "another key",
      (sealed: string) => ({ sealed, context: "account-1", key: generateTokenKey() }),
    ],
    [
      "an altered ciphertext",
      (sealed: string) => ({
        sealed: `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "BB" : "AA"}`,
        context: "account-1",
        key: KEY,
      }),
    ],
    ["a foreign format", () => ({ sealed: "plain-token", context: "account-1", key: KEY })],
  ])("refuses to open a token with %s", (_, change) => {
    const sealed = TokenCipher.fromBase64(KEY).seal("secret-token", "account-1");
    const attempt = change(sealed);
    expect(() => TokenCipher.fromBase64(attempt.key).open(attempt.sealed, attempt.context)).toThrow(
      expect.objectContaining({ kind: "corrupt" }),
    );
  });

  it.each([
    ["missing", undefined, /missing/],
    ["empty", "  ", /missing/],
    ["not base64", "not base64 at all!", /not valid base64/],
    ["short (16 bytes)", Buffer.alloc(16, 1).toString("base64"), /32 bytes.*decodes to 16/],
    ["long (48 bytes)", Buffer.alloc(48, 1).toString("base64"), /decodes to 48/],
  ])("explains a %s key without echoing it", (_, value, message) => {
    let thrown: unknown;
    try {
      TokenCipher.fromBase64(value, "DECORUM_TOKEN_KEY");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ kind: "config", message: expect.stringMatching(message) });
    expect(String(thrown)).toContain("DECORUM_TOKEN_KEY");
    if (value?.trim()) expect(String(thrown)).not.toContain(value);
  });

  it("does not reveal the key when printed or serialised", () => {
    const cipher = TokenCipher.fromBase64(KEY);
    const raw = Buffer.from(KEY, "base64");
    for (const shown of [
      inspect(cipher, { showHidden: true }),
      JSON.stringify({ cipher }),
      String(Object.keys(cipher)),
    ]) {
      expect(shown).not.toContain(KEY);
      expect(shown).not.toContain(raw.toString("hex"));
    }
  });
});
