import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { StoreError } from "./errors.ts";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = "v1";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * AES-256-GCM for secrets at rest (Google refresh tokens). The key never leaves this object: it
 * is not enumerable, and printing or serialising the cipher shows nothing of it.
 *
 * A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` is bound in as
 * additional authenticated data, so a token copied onto another account's item fails to open.
 */
export class TokenCipher {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /**
   * Reads a 32-byte key given as base64. `name` is only used in error messages, which never
   * contain the value.
   */
  static fromBase64(value: string | undefined, name = "the token encryption key"): TokenCipher {
    const trimmed = value?.trim() ?? "";
    if (trimmed === "") {
      throw new StoreError(
        "config",
        `${name} is missing: set it to 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`,
      );
    }
    if (!BASE64.test(trimmed)) {
      throw new StoreError("config", `${name} is not valid base64`);
    }
    const key = Buffer.from(trimmed, "base64");
    if (key.length !== KEY_BYTES) {
      throw new StoreError(
        "config",
        `${name} must decode to ${KEY_BYTES} bytes for AES-256-GCM, but it decodes to ${key.length}`,
      );
    }
    return new TokenCipher(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split(".");
    const [version, iv, tag, ciphertext] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      iv === undefined ||
      tag === undefined ||
      ciphertext === undefined ||
      !BASE64URL.test(iv) ||
      !BASE64URL.test(tag) ||
      !(ciphertext === "" || BASE64URL.test(ciphertext))
    ) {
      throw new StoreError("corrupt", "An encrypted token is not in the v1 format");
    }
    const ivBytes = Buffer.from(iv, "base64url");
    const tagBytes = Buffer.from(tag, "base64url");
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new StoreError("corrupt", "An encrypted token is not in the v1 format");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, ivBytes);
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tagBytes);
      const plain = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]);
      return plain.toString("utf8");
    } catch (error) {
      throw new StoreError(
        "corrupt",
        "An encrypted token failed authentication (wrong key, or altered)",
        { cause: error },
      );
    }
  }

  toJSON(): string {
    return "[TokenCipher]";
  }

  [inspect.custom](): string {
    return "[TokenCipher]";
  }
}

/** A fresh random key in the form `TokenCipher.fromBase64` reads (for local setup). */
export function generateTokenKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}
