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

/**
 * An mbox is parsed this many messages (or bytes of raw mail) at a time, and only then are they
 * handed on: parsing a run back to back, rather than one message between each classification,
 * keeps postal-mime's code and data in the CPU caches. With triage's own runs (CLASSIFY_RUN) it
 * made `npm run bench -- triage` about 13% faster; larger runs gained nothing more.
 */
const PARSE_RUN_MESSAGES = 64;
const PARSE_RUN_BYTES = 4 * 1024 * 1024;

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

async function* counted(path: string, counter: ReadCounter): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: MBOX_CHUNK })) {
    if (!(chunk instanceof Uint8Array)) continue;
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}

/** One message as read from disk, not yet parsed: a whole .eml or .ics file, or one of an mbox. */
interface RawMessage {
  source: string;
  kind: "eml" | "ics";
  bytes: Uint8Array;
  /** For a message of an mbox: the mbox and the message's number in it (1-based). */
  mbox?: { path: string; n: number };
}

/** Parses one raw message; never throws: what cannot be parsed becomes a ParseFailure. */
async function parseRaw(raw: RawMessage): Promise<ParsedMessage | ParseFailure> {
  const { source, kind, bytes, mbox } = raw;
  try {
    if (kind === "ics") {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
      return parseIcs(text, source);
    }
    return await parseEmail(bytes, source);
  } catch (error) {
    const reason = errorMessage(error);
    if (mbox)
      return { source, error: `Could not parse message ${mbox.n} of ${mbox.path}: ${reason}` };
    const what = kind === "ics" ? "calendar file" : "email file";
    return { source, error: `Could not parse ${what} ${source}: ${reason}` };
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

/** Progress over what has been read, shared by the reading and the parsing of one call. */
interface ReadCounter {
  /** Messages and failures handed on so far. */
  messages: number;
  /** Bytes read from disk so far. */
  bytes: number;
}

/**
 * Reads .eml, .ics and .mbox files and folders of them (recursively, in sorted order), yielding
 * each message unparsed, in input order. An mbox is streamed: it is never held whole. Nothing
 * throws: a path that cannot be read yields a ParseFailure and the rest go on.
 */
async function* readRawMessages(
  paths: string[],
  counter: ReadCounter = { messages: 0, bytes: 0 },
): AsyncGenerator<RawMessage | ParseFailure> {
  for (const path of paths) {
    for await (const target of expand(path)) {
      if ("error" in target) {
        yield target;
      } else if (target.kind === "mbox") {
        yield* mboxMessages(target.path, counter);
      } else {
        try {
          const bytes = await readFile(target.path);
          counter.bytes += bytes.byteLength;
          yield { source: target.path, kind: target.kind, bytes };
        } catch (error) {
          yield { source: target.path, error: fileError(target.path, error) };
        }
      }
    }
  }
}

async function* mboxMessages(
  path: string,
  counter: ReadCounter,
): AsyncGenerator<RawMessage | ParseFailure> {
  let n = 0;
  try {
    for await (const bytes of splitMbox(counted(path, counter))) {
      n++;
      yield { source: `${path}#${n}`, kind: "eml", bytes, mbox: { path, n } };
    }
  } catch (error) {
    yield { source: path, error: `${fileError(path, error)} (stopped after ${n} messages)` };
  }
}

/**
 * Groups raw messages into runs of at most PARSE_RUN_MESSAGES messages or PARSE_RUN_BYTES bytes,
 * in order. Whoever parses them parses a run back to back (see PARSE_RUN_MESSAGES).
 */
async function* rawRuns(
  raws: AsyncIterable<RawMessage | ParseFailure>,
): AsyncGenerator<Array<RawMessage | ParseFailure>> {
  let run: Array<RawMessage | ParseFailure> = [];
  let bytes = 0;
  for await (const raw of raws) {
    run.push(raw);
    if ("bytes" in raw) bytes += raw.bytes.byteLength;
    if (run.length >= PARSE_RUN_MESSAGES || bytes >= PARSE_RUN_BYTES) {
      yield run;
      run = [];
      bytes = 0;
    }
  }
  if (run.length > 0) yield run;
}

/** Parses a run of raw messages, in order. */
async function parseRun(
  run: ReadonlyArray<RawMessage | ParseFailure>,
): Promise<Array<ParsedMessage | ParseFailure>> {
  const parsed: Array<ParsedMessage | ParseFailure> = [];
  for (const raw of run) parsed.push("bytes" in raw ? await parseRaw(raw) : raw);
  return parsed;
}

/**
 * Reads and parses .eml, .ics and .mbox files and folders of them (see readRawMessages), yielding
 * one result per message in input order. Nothing throws: a path or message that cannot be read
 * or parsed yields a ParseFailure.
 */
export async function* readMessages(
  paths: string[],
  options: ReadOptions = {},
): AsyncGenerator<ParsedMessage | ParseFailure> {
  const counter: ReadCounter = { messages: 0, bytes: 0 };
  for await (const run of rawRuns(readRawMessages(paths, counter))) {
    for (const result of await parseRun(run)) {
      counter.messages++;
      options.onProgress?.({ source: result.source, ...counter });
      yield result;
    }
  }
}
