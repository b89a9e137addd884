import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { generateTokenKey } from "../adapters/dynamo/crypto.ts";

/**
 * The local server's two secrets — the session key (signs cookies) and the token key (encrypts
 * refresh tokens at rest) — generated on the first start and kept in the data directory, so a
 * restart keeps sessions and can still open the stored tokens. Deployed, they are SST secrets.
 */
export interface LocalKeys {
  sessionKey: string;
  tokenKey: string;
}

const KeysFile = z.object({ sessionKey: z.string().min(32), tokenKey: z.string().min(1) });

export async function loadLocalKeys(
  dataDir: string,
  overrides: { sessionKey: string | null; tokenKey: string | null },
): Promise<LocalKeys> {
  const path = join(dataDir, "keys.json");
  let stored: LocalKeys | null = null;
  try {
    const parsed = KeysFile.safeParse(JSON.parse(await readFile(path, "utf8")));
    if (!parsed.success) throw new Error(`${path} is not a keys file; move it away to start over`);
    stored = parsed.data;
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
  }
  if (!stored) {
    stored = { sessionKey: randomBytes(48).toString("base64url"), tokenKey: generateTokenKey() };
    await mkdir(dataDir, { recursive: true });
    // Owner-only: the token key opens the stored Google refresh tokens.
    await writeFile(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  }
  return {
    sessionKey: overrides.sessionKey ?? stored.sessionKey,
    tokenKey: overrides.tokenKey ?? stored.tokenKey,
  };
}
