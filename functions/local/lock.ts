import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Another Decorum process is using the data directory. */
export class LocalStoreBusy extends Error {
  override readonly name = "LocalStoreBusy";
}

/**
 * One process at a time per data directory: dynalite's LevelDB cannot be shared, and a second
 * opener crashes inside dynalite rather than failing cleanly. The lock file names the holder's
 * pid; a lock whose process is gone (killed, crashed) is taken over.
 */
export async function lockDataDir(
  dataDir: string,
  holder: string,
): Promise<{ release(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, "decorum.lock");
  const mine = JSON.stringify({ pid: process.pid, holder });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, mine, { flag: "wx" });
      return {
        async release() {
          if ((await readFile(path, "utf8").catch(() => "")) === mine)
            await rm(path, { force: true });
        },
      };
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
    }
    const other = parseLock(await readFile(path, "utf8").catch(() => ""));
    if (other && isAlive(other.pid)) {
      throw new LocalStoreBusy(
        `${other.holder} (process ${other.pid}) is using ${dataDir}; stop it first`,
      );
    }
    await rm(path, { force: true });
  }
  throw new LocalStoreBusy(`could not lock ${dataDir}`);
}

function parseLock(text: string): { pid: number; holder: string } | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const pid = "pid" in value ? value.pid : null;
    const holder = "holder" in value ? value.holder : null;
    return typeof pid === "number" && typeof holder === "string" ? { pid, holder } : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
