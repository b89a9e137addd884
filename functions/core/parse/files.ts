import { createReadStream, type Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { ParsedMessage } from "../model.ts";
import { parseIcs } from "./calendar.ts";
import { parseEmail } from "./email.ts";
import { splitMbox } from "./mbox.ts";

/** A file, or one message of an mbox, that could not be read or parsed. */
export interface ParseFailure {
  source: string;
  /** A sentence the user can act on. */
  error: string;
}

export function isParseFailure(x: unknown): x is ParseFailure {
  return (
    typeof x === "object" &&
    x !== null &&
    !("kind" in x) &&
    "error" in x &&
    typeof x.error === "string" &&
    "source" in x &&
    typeof x.source === "string"
  );
}

export interface ReadProgress {
  /** The file or mbox message just finished (`path#N`). */
  source: string;
  /** Messages and failures yielded so far, over all paths. */
  messages: number;
  /** Bytes read from disk so far, over all paths. */
  bytes: number;
}

export interface ReadOptions {
  onProgress?: (progress: ReadProgress) => void;
}

type FileKind = "eml" | "ics" | "mbox";

const KINDS: Record<string, FileKind> = { ".eml": "eml", ".ics": "ics", ".mbox": "mbox" };

/** Large reads amortise the per-chunk work of splitting. */
const MBOX_CHUNK = 1 << 20;

function kindOf(path: string): FileKind | null {
  return KINDS[extname(path).toLowerCase()] ?? null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | null {
  if (typeof error === "object" && error !== null && "code" in error) {
    return typeof error.code === "string" ? error.code : null;
  }
  return null;
}

/** Explains a file-system error in words that tell the user what to do. */
function fileError(path: string, error: unknown): string {
  switch (errorCode(error)) {
    case "ENOENT":
    case "ENOTDIR":
      return `No such file or folder: ${path} (relative paths start from ${process.cwd()}). Check the path.`;
    case "EACCES":
    case "EPERM":
      return `Permission denied reading ${path}. Make it readable by this user and try again.`;
    case "EISDIR":
      return `${path} is a folder where a file was expected.`;
    default:
      return `Could not read ${path}: ${errorMessage(error)}`;
  }
}

function byName(a: Dirent, b: Dirent): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Supported files under `dir`, depth first in code-point order of names; dot-files skipped. */
async function* walk(dir: string, seen: Set<string>): AsyncGenerator<string | ParseFailure> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    // A symlink back up the tree would otherwise recurse forever.
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield { source: dir, error: fileError(dir, error) };
    return;
  }
  entries.sort(byName);
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue;
      }
    }
    if (isDirectory) yield* walk(path, seen);
    else if (isFile && kindOf(path)) yield path;
  }
}

interface Counter {
  messages: number;
  bytes: number;
}

async function* counted(path: string, counter: Counter): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: MBOX_CHUNK })) {
    if (!(chunk instanceof Uint8Array)) continue;
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}

async function readSingle(
  path: string,
  kind: "eml" | "ics",
  counter: Counter,
): Promise<ParsedMessage | ParseFailure> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    return { source: path, error: fileError(path, error) };
  }
  counter.bytes += raw.byteLength;
  try {
    return kind === "ics" ? parseIcs(raw.toString("utf8"), path) : await parseEmail(raw, path);
  } catch (error) {
    const what = kind === "ics" ? "calendar file" : "email file";
    return { source: path, error: `Could not parse ${what} ${path}: ${errorMessage(error)}` };
  }
}

async function* expand(
  path: string,
): AsyncGenerator<{ path: string; kind: FileKind } | ParseFailure> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    yield { source: path, error: fileError(path, error) };
    return;
  }
  if (info.isDirectory()) {
    for await (const entry of walk(path, new Set())) {
      if (typeof entry !== "string") yield entry;
      else {
        const kind = kindOf(entry);
        if (kind) yield { path: entry, kind };
      }
    }
    return;
  }
  const kind = info.isFile() ? kindOf(path) : null;
  if (kind) yield { path, kind };
  else {
    yield {
      source: path,
      error: `Unsupported file ${path}: expected a .eml, .ics or .mbox file, or a folder.`,
    };
  }
}

/**
 * Reads .eml, .ics and .mbox files and folders of them (recursively, in sorted order), yielding
 * one result per message in input order. An mbox is streamed: one message in memory at a time.
 * Nothing throws: a path or message that cannot be read or parsed yields a ParseFailure.
 */
export async function* readMessages(
  paths: string[],
  options: ReadOptions = {},
): AsyncGenerator<ParsedMessage | ParseFailure> {
  const counter: Counter = { messages: 0, bytes: 0 };
  const report = <T extends ParsedMessage | ParseFailure>(result: T): T => {
    counter.messages++;
    options.onProgress?.({ source: result.source, ...counter });
    return result;
  };
  for (const path of paths) {
    for await (const target of expand(path)) {
      if ("error" in target) {
        yield report(target);
      } else if (target.kind !== "mbox") {
        yield report(await readSingle(target.path, target.kind, counter));
      } else {
        // Inlined rather than delegated: every generator layer costs each of a million messages.
        let n = 0;
        try {
          for await (const raw of splitMbox(counted(target.path, counter))) {
            n++;
            const source = `${target.path}#${n}`;
            let result: ParsedMessage | ParseFailure;
            try {
              result = await parseEmail(raw, source);
            } catch (error) {
              const reason = errorMessage(error);
              result = {
                source,
                error: `Could not parse message ${n} of ${target.path}: ${reason}`,
              };
            }
            yield report(result);
          }
        } catch (error) {
          const stopped = `${fileError(target.path, error)} (stopped after ${n} messages)`;
          yield report({ source: target.path, error: stopped });
        }
      }
    }
  }
}
