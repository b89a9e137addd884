/**
 * Splitting an mbox (as Google Takeout writes it) into messages, incrementally: memory is bounded
 * by the largest message, never by the file.
 */

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM = Buffer.from("From ");
const LF_FROM = Buffer.from("\nFrom ");
const ESCAPED_FROM = Buffer.from(">From ");
const EMPTY = Buffer.alloc(0);
const CRLF_CRLF = Buffer.from("\r\n\r\n");

/**
 * Gmail accepts messages up to 50 MB, about 68 MB once attachments are base64-encoded. Bytes past
 * this limit are dropped so that a file that is not really an mbox cannot exhaust memory.
 */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/** A separator line is short; a longer "From " line is body text. */
const MAX_SEPARATOR = 1000;

// "From 1780000000000000000@xxx Tue Jan 02 10:00:00 +0000 2024" (Takeout), "From - Sat Jan 03 …"
// (Thunderbird), "From ana@example.com Mon Jan  1 10:00:00 2024" (classic asctime).
const ASCTIME_SEPARATOR =
  /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{1,2}:\d\d/;
const LOOSE_SEPARATOR = /^From \S+.*\d:\d\d/;

/**
 * Whether a "From " line starts a new message. Writers that escape ">From " make every such line a
 * separator; writers that do not (mboxo) can leave "From my side…" in a body, so a line not in
 * asctime form counts only after a blank line and only if it carries a time.
 */
function isSeparator(line: string, afterBlank: boolean): boolean {
  return ASCTIME_SEPARATOR.test(line) || (afterBlank && LOOSE_SEPARATOR.test(line));
}

/** Removes one ">" from each line matching /^>+From / (mboxrd; also undoes mboxo's escaping). */
export function unescapeFromLines(message: Buffer): Buffer {
  const removals: number[] = [];
  let at = message.indexOf(ESCAPED_FROM);
  while (at !== -1) {
    let start = at;
    while (start > 0 && message[start - 1] === GT) start--;
    if (start === 0 || message[start - 1] === LF) removals.push(start);
    at = message.indexOf(ESCAPED_FROM, at + 1);
  }
  if (removals.length === 0) return message;
  const out = Buffer.allocUnsafe(message.length - removals.length);
  let written = 0;
  let from = 0;
  for (const skip of removals) {
    written += message.copy(out, written, from, skip);
    from = skip + 1;
  }
  message.copy(out, written, from);
  return out;
}

/** Drops the blank line the mbox format puts before the next separator. */
function withoutTrailingBlank(message: Buffer): Buffer {
  let end = message.length;
  if (end >= 2 && message[end - 1] === LF && message[end - 2] === LF) end -= 1;
  else if (end >= 4 && message.subarray(end - 4).equals(CRLF_CRLF)) end -= 2;
  return end === message.length ? message : message.subarray(0, end);
}

function hasContent(parts: readonly Buffer[]): boolean {
  for (const part of parts) {
    for (const byte of part) {
      if (byte !== LF && byte !== CR && byte !== 0x20 && byte !== 0x09) return true;
    }
  }
  return false;
}

/**
 * Whether the line that ends just before `lineStart` (an LF at `lineStart - 1`) is blank.
 * `blankAtZero` answers for `lineStart === 0`; `midLine` says buf[0] continues an earlier line.
 */
function blankBefore(
  buf: Buffer,
  lineStart: number,
  blankAtZero: boolean,
  midLine: boolean,
): boolean {
  if (lineStart === 0) return blankAtZero;
  let k = lineStart - 2;
  if (k >= 0 && buf[k] === CR) k--;
  if (k < 0) return !midLine;
  return buf[k] === LF;
}

export interface SplitOptions {
  /** Longer messages are cut to this many bytes; MAX_MESSAGE_BYTES by default. */
  maxMessageBytes?: number;
}

/**
 * Splits an mbox stream into raw messages: separator lines removed, ">From " unescaped, CRLF or
 * LF kept as written. Text before the first separator is yielded as a message when it is not
 * blank, so a lone message saved as .mbox still reads. Holds one message plus a chunk at a time.
 */
export async function* splitMbox(
  stream: AsyncIterable<Uint8Array>,
  options: SplitOptions = {},
): AsyncGenerator<Uint8Array> {
  const limit = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  let parts: Buffer[] = [];
  let size = 0;
  const take = (bytes: Buffer) => {
    const room = limit - size;
    if (room <= 0 || bytes.length === 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    parts.push(kept);
    size += kept.length;
  };
  // The start of an unfinished line short enough to be a separator; it begins at a line start.
  let carry: Buffer = EMPTY;
  // Whether the next chunk continues a long line already handed to `parts`.
  let midLine = false;
  // Whether the last complete line was blank; the start of the file counts as blank.
  let lastBlank = true;

  const finish = (): Buffer | null => {
    const keep = hasContent(parts);
    const message = parts.length === 1 ? (parts[0] ?? EMPTY) : Buffer.concat(parts);
    parts = [];
    size = 0;
    return keep ? unescapeFromLines(withoutTrailingBlank(message)) : null;
  };

  for await (const chunk of stream) {
    // Node's streams hand out a fresh buffer per chunk, so viewing it without a copy is safe.
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = carry.length > 0 ? Buffer.concat([carry, incoming]) : incoming;
    let taken = 0;
    let search = 0;

    for (;;) {
      let lineStart: number;
      if (search === 0 && !midLine && buf.subarray(0, FROM.length).equals(FROM)) lineStart = 0;
      else {
        const hit = buf.indexOf(LF_FROM, Math.max(search - 1, 0));
        if (hit === -1) break;
        lineStart = hit + 1;
      }
      const lineEnd = buf.indexOf(LF, lineStart);
      // A line cut by the chunk edge is decided when the rest arrives (it is carried below).
      if (lineEnd === -1) break;
      if (lineEnd - lineStart <= MAX_SEPARATOR) {
        const line = buf.toString("latin1", lineStart, lineEnd).trimEnd();
        if (isSeparator(line, blankBefore(buf, lineStart, lastBlank, midLine))) {
          take(buf.subarray(taken, lineStart));
          const message = finish();
          if (message) yield message;
          taken = lineEnd + 1;
        }
      }
      search = lineEnd + 1;
    }

    const lastLf = buf.lastIndexOf(LF);
    const tailStart = lastLf + 1;
    if (
      lastLf === -1 ? midLine || buf.length > MAX_SEPARATOR : buf.length - tailStart > MAX_SEPARATOR
    ) {
      // Too long to be a separator: hand everything over and remember we are inside a line.
      take(buf.subarray(taken));
      carry = EMPTY;
      midLine = true;
      lastBlank = false;
      continue;
    }
    if (lastLf !== -1) {
      lastBlank = blankBefore(buf, tailStart, lastBlank, midLine);
      midLine = false;
    }
    const from = Math.max(taken, lastLf === -1 ? 0 : tailStart);
    if (from > taken) take(buf.subarray(taken, from));
    carry = Buffer.from(buf.subarray(from));
  }
  take(carry);
  const last = finish();
  if (last) yield last;
}
