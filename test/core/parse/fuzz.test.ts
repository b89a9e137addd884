import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isParseFailure,
  parseEmail,
  parseIcs,
  readMessages,
} from "../../../functions/core/parse/index.ts";
import { ParsedMessageSchema, ParseFailureSchema } from "./model-schema.ts";

/** Properties here share a ~20 s budget; each run parses a few kilobytes at most. */
const RUNS = 500;

const PARSE = new URL("../../fixtures/parse/", import.meta.url).pathname;

async function fixtures(folder: string): Promise<Uint8Array[]> {
  const names = (await readdir(join(PARSE, folder))).sort();
  return Promise.all(names.map((name) => readFile(join(PARSE, folder, name))));
}

let dir = "";
let eml: Uint8Array[] = [];
let ics: Uint8Array[] = [];
let mbox: Uint8Array[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "decorum-fuzz-"));
  [eml, ics, mbox] = await Promise.all([fixtures("eml"), fixtures("ics"), fixtures("mbox")]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// --- arbitraries ------------------------------------------------------------------------------

type Edit = {
  op: "flip" | "insert" | "delete" | "duplicate";
  at: number;
  byte: number;
  len: number;
};

const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom("flip", "insert", "delete", "duplicate"),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
  len: fc.integer({ min: 1, max: 64 }),
});

function applyEdits(base: Uint8Array, edits: readonly Edit[], cut: number | null): Uint8Array {
  let bytes = Buffer.from(base);
  for (const { op, at, byte, len } of edits) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (op === "flip") bytes[i] = byte;
    else if (op === "insert")
      bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    else if (op === "delete")
      bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + len)]);
    else bytes = Buffer.concat([bytes.subarray(0, i + len), bytes.subarray(i)]);
  }
  return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
}

/** Real fixtures, mutated byte by byte and maybe truncated. */
const mutated = (pool: () => Uint8Array[]) =>
  fc
    .record({
      index: fc.nat(),
      edits: fc.array(edit, { maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: null }),
    })
    .map(({ index, edits, cut }) => {
      const all = pool();
      return applyEdits(all[index % all.length] ?? new Uint8Array(), edits, cut);
    });

const text = fc.string({ unit: "binary", maxLength: 80 });
const charset = fc.constantFrom(
  "utf-8",
  "windows-1252",
  "iso-8859-1",
  "iso-2022-jp",
  "gb18030",
  "utf-7",
  "x-unknown",
  "",
  '"unterminated',
);
const encoding = fc.constantFrom(
  "base64",
  "quoted-printable",
  "7bit",
  "8bit",
  "binary",
  "x-uuencode",
  "bogus",
);
const brokenBody = fc.oneof(
  text,
  fc.constantFrom(
    "====",
    "=ZZ=\n=",
    "@@@@!!",
    "=?utf-8?B?####?=",
    "=E9=\r\n=0",
    "\u0000\u0001\u0002",
  ),
);

/** MIME assembled from parts that disagree: undeclared boundaries, bad charsets and encodings. */
const brokenMime = fc
  .record({
    declared: fc.constantFrom("b1", "b2", "", '"b1'),
    used: fc.array(fc.constantFrom("b1", "b2", "b3"), { maxLength: 4 }),
    close: fc.boolean(),
    parts: fc.array(
      fc.record({
        type: fc.constantFrom(
          "text/plain",
          "text/html",
          "text/calendar",
          "message/rfc822",
          "multipart/mixed",
          "application/ics",
        ),
        charset,
        encoding,
        body: brokenBody,
      }),
      { maxLength: 4 },
    ),
    subject: fc.oneof(
      text,
      fc.constantFrom("=?bogus?Q?=FF?=", "=?utf-8?B?", "=?iso-2022-jp?B?GyRC?="),
    ),
    from: fc.oneof(
      text,
      fc.constantFrom("<>", "a@", "Group: ;", '"unterminated <a@b>', "=?utf-8?Q?=C3?= <x@y>"),
    ),
  })
  .map(({ declared, used, close, parts, subject, from }) => {
    const lines = [
      `From: ${from}`,
      `Subject: ${subject}`,
      "Date: Tue, 31 Feb 2024 25:61:00 +9999",
      `Content-Type: multipart/mixed; boundary=${declared}`,
      "",
    ];
    parts.forEach((part, i) => {
      lines.push(`--${used[i % Math.max(used.length, 1)] ?? declared}`);
      lines.push(`Content-Type: ${part.type}; charset=${part.charset}; method=request`);
      lines.push(`Content-Transfer-Encoding: ${part.encoding}`, "", part.body);
    });
    if (close) lines.push(`--${declared}--`);
    return Buffer.from(lines.join("\r\n"), "latin1");
  });

/** A value that is mostly right, sometimes subtly wrong, sometimes noise. */
const value = (good: string[], bad: string[] = []) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 12 },
    { arbitrary: bad.length > 0 ? fc.constantFrom(...bad) : text, weight: 1 },
    { arbitrary: text, weight: 1 },
  );
const dateTime = value(
  ["20241108T190000", "20241108T190000Z", "20240310T023000", "20241027T023000"],
  ["20241340T256199", "2024", ""],
);
const tzid = value(
  [
    "W. Europe Standard Time",
    "Pacific Standard Time",
    "Europe/Berlin",
    "/mozilla.org/20070129_1/Europe/Paris",
  ],
  ["Nowhere/Never", ""],
);

/**
 * iCalendar that keeps its structure but carries odd values: missing or impossible dates, unknown
 * and Windows zones, broken rules and attendees. Each property may also be left out.
 */
const brokenIcs = fc
  .record({
    method: fc.option(value(["REQUEST", "CANCEL", "publish"]), { freq: 3 }),
    wrZone: fc.option(tzid),
    vtimezone: fc.boolean(),
    offset: value(["+0100", "-0800"], ["+2500", "x"]),
    start: fc.option(fc.tuple(fc.option(tzid), fc.boolean(), dateTime)),
    end: fc.option(fc.tuple(fc.option(tzid), dateTime)),
    duration: fc.option(value(["PT2H", "P1D", "-PT1H"], ["PTXH"])),
    rrule: fc.option(
      value(
        ["FREQ=WEEKLY;BYDAY=TH", "INTERVAL=2;FREQ=DAILY;UNTIL=20241231"],
        ["FREQ=", "BYDAY=XX"],
      ),
    ),
    organizer: fc.option(value(["mailto:Ana@Client.Example", "MAILTO:", "not-an-address", " "])),
    attendees: fc.array(
      fc.tuple(value(["ACCEPTED", "needs-action", "BOGUS"]), value(["mailto:b@c.example", ""])),
      { maxLength: 3 },
    ),
    sequence: fc.option(value(["0", "3", "-1", "1.5", "many"])),
    status: fc.option(value(["CONFIRMED", "cancelled"])),
    summary: fc.option(text),
    events: fc.integer({ min: 1, max: 3 }),
  })
  .map((c) => {
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0"];
    if (c.method !== null) lines.push(`METHOD:${c.method}`);
    if (c.wrZone !== null) lines.push(`X-WR-TIMEZONE:${c.wrZone}`);
    if (c.vtimezone) {
      lines.push("BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD");
      lines.push("DTSTART:16010101T030000", `TZOFFSETFROM:${c.offset}`, `TZOFFSETTO:${c.offset}`);
      lines.push("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "END:STANDARD", "END:VTIMEZONE");
    }
    for (let i = 0; i < c.events; i++) {
      lines.push("BEGIN:VEVENT", `UID:fuzz-${i}`);
      if (c.start !== null) {
        const [zone, isDate, at] = c.start;
        const params = `${zone === null ? "" : `;TZID=${zone}`}${isDate ? ";VALUE=DATE" : ""}`;
        lines.push(`DTSTART${params}:${at}`);
      }
      if (c.end !== null)
        lines.push(`DTEND${c.end[0] === null ? "" : `;TZID=${c.end[0]}`}:${c.end[1]}`);
      if (c.duration !== null) lines.push(`DURATION:${c.duration}`);
      if (c.rrule !== null) lines.push(`RRULE:${c.rrule}`);
      if (c.organizer !== null) lines.push(`ORGANIZER;CN=Ana:${c.organizer}`);
      for (const [partstat, address] of c.attendees)
        lines.push(`ATTENDEE;PARTSTAT=${partstat}:${address}`);
      if (c.sequence !== null) lines.push(`SEQUENCE:${c.sequence}`);
      if (c.status !== null) lines.push(`STATUS:${c.status}`);
      if (c.summary !== null) lines.push(`SUMMARY:${c.summary}`);
      lines.push("END:VEVENT");
    }
    lines.push("END:VCALENDAR", "");
    return Buffer.from(lines.join("\r\n"), "utf8");
  });

/** An email carrying such a calendar as its text/calendar part. */
const invitationEmail = brokenIcs.map((calendar) =>
  Buffer.concat([
    Buffer.from("From: a@client.example\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n"),
    calendar,
  ]),
);

/** mbox built from separators, escaped lines, line ends and fragments of real messages. */
const brokenMbox = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "From a@b Mon Jun 03 10:00:00 +0000 2024\n",
        "From 1@xxx Tue Jun 04 08:30:00 +0000 2024\r\n",
        ">From x\n",
        ">>From y\r\n",
        "From \n",
        "\n",
        "\r\n",
        "\r",
        "Subject: s\n",
        "Content-Type: multipart/mixed; boundary=q\n\n--q\n",
      ),
      text.map((s) => Buffer.from(s, "latin1").toString("latin1")),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => Buffer.from(pieces.join(""), "latin1"));

const anyEml = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  mutated(() => eml),
  brokenMime,
  invitationEmail,
);
const anyIcs = fc.oneof(
  fc.uint8Array({ maxLength: 1024 }),
  mutated(() => ics),
  brokenIcs,
);
const anyMbox = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  mutated(() => mbox),
  brokenMbox,
  fc
    .tuple(brokenMbox, brokenMime)
    .map(([a, b]) => Buffer.concat([a, Buffer.from("\n\nFrom z@z Mon Jun 03 10:00:00 2024\n"), b])),
);

// --- properties -------------------------------------------------------------------------------

async function readBack(bytes: Uint8Array, extension: string) {
  const path = join(dir, `input.${extension}`);
  await writeFile(path, bytes);
  const results = [];
  for await (const result of readMessages([path])) {
    if (isParseFailure(result)) ParseFailureSchema.parse(result);
    else ParsedMessageSchema.parse(result);
    results.push(result);
  }
  return { path, results };
}

describe("fuzz: malformed input never escapes as an exception", () => {
  it("reads any .eml as exactly one message or failure", async () => {
    await fc.assert(
      fc.asyncProperty(anyEml, async (bytes) => {
        const { path, results } = await readBack(bytes, "eml");
        expect(results.map((r) => r.source)).toEqual([path]);
      }),
      { numRuns: RUNS },
    );
  });

  it("reads any .ics as exactly one calendar message or failure", async () => {
    await fc.assert(
      fc.asyncProperty(anyIcs, async (bytes) => {
        const { path, results } = await readBack(bytes, "ics");
        expect(results.map((r) => r.source)).toEqual([path]);
        for (const result of results) {
          if (!isParseFailure(result)) expect(result.kind).toBe("calendar");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("reads any .mbox as numbered messages or failures", async () => {
    await fc.assert(
      fc.asyncProperty(anyMbox, async (bytes) => {
        const { path, results } = await readBack(bytes, "mbox");
        expect(results.map((r) => r.source)).toEqual(results.map((_, i) => `${path}#${i + 1}`));
      }),
      { numRuns: RUNS },
    );
  });

  it("parseEmail resolves to a valid message or rejects with an Error", async () => {
    await fc.assert(
      fc.asyncProperty(anyEml, async (bytes) => {
        const outcome = await parseEmail(bytes, "fuzz").then(
          (message) => ({ message: ParsedMessageSchema.parse(message) }),
          (error: unknown) => ({ error }),
        );
        if ("error" in outcome) expect(outcome.error).toBeInstanceOf(Error);
      }),
      { numRuns: RUNS },
    );
  });

  it("parseIcs returns a valid message or throws a clear Error", () => {
    fc.assert(
      fc.property(anyIcs, (bytes) => {
        try {
          ParsedMessageSchema.parse(parseIcs(Buffer.from(bytes).toString("utf8"), "fuzz"));
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect(error instanceof Error && error.message).toMatch(/^Invalid iCalendar data: ./);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
