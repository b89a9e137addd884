import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { parseSettings, type Settings } from "../schemas/settings.ts";

/**
 * The demo's mailbox and calendar: test/fixtures/demo, written for a fixed moment (`anchor` in
 * demo.json) and moved forward by whole weeks on the first start, so the demo always shows the
 * last few weeks and every "Thursday" in a message is still a Thursday. The moved copies are kept
 * under the data directory: every later start seeds the emulator with exactly the same messages
 * (same Message-IDs, same dates), so the ledger recognises them and nothing is counted twice.
 */

export const DEMO_FIXTURES = fileURLToPath(new URL("../../test/fixtures/demo/", import.meta.url));

const WEEK_MS = 7 * 86_400_000;

const DemoFile = z.object({
  anchor: z.iso.datetime(),
  account: z.object({ email: z.email(), name: z.string(), timeZone: z.string() }),
  settings: z.unknown(),
});

const SeedFile = z.object({ shiftWeeks: z.number().int(), seededAt: z.iso.datetime() });

export interface DemoSeed {
  email: string;
  name: string;
  timeZone: string;
  settings: Settings;
  mailboxDir: string;
  calendarDir: string;
  /** Messages in the inbox (what the demo's progress counts to). */
  inboxCount: number;
  /** How far back the oldest message is from now, in whole days (the first sync's reach). */
  spanDays: number;
  /** True when this start wrote the seed (the first start in this data directory). */
  fresh: boolean;
}

/** The seeded mailbox as a user of the Google emulator. */
export function demoUser(seed: DemoSeed) {
  const { email, name, mailboxDir, calendarDir, timeZone } = seed;
  return { email, name, mailboxDir, calendarDir, timeZone };
}

export async function prepareDemoSeed(options: {
  dataDir: string;
  now: Date;
  fixturesDir?: string;
}): Promise<DemoSeed> {
  const fixtures = options.fixturesDir ?? DEMO_FIXTURES;
  const demo = DemoFile.parse(JSON.parse(await readFile(join(fixtures, "demo.json"), "utf8")));
  const settings = parseSettings(demo.settings, "test/fixtures/demo/demo.json settings");
  const root = join(options.dataDir, "demo");
  const seedPath = join(root, "seed.json");
  let seed = await readSeed(seedPath);
  const fresh = seed === null;
  if (!seed) {
    const shiftWeeks = Math.floor((options.now.getTime() - Date.parse(demo.anchor)) / WEEK_MS);
    await writeShiftedCopies(fixtures, root, shiftWeeks * WEEK_MS);
    seed = { shiftWeeks, seededAt: options.now.toISOString() };
    // Written last: a start interrupted while copying redoes the copies next time.
    await writeFile(seedPath, `${JSON.stringify(seed, null, 2)}\n`);
  }
  const mailboxDir = join(root, "mailbox");
  const inbox = (await readdir(mailboxDir)).filter((name) => name.endsWith(".eml"));
  const oldest = await oldestDate(mailboxDir, inbox, options.now.getTime());
  const spanDays = Math.ceil((options.now.getTime() - oldest) / 86_400_000) + 1;
  return {
    email: demo.account.email,
    name: demo.account.name,
    timeZone: demo.account.timeZone,
    settings,
    mailboxDir,
    calendarDir: join(root, "calendar"),
    inboxCount: inbox.length,
    spanDays: Math.max(1, spanDays),
    fresh,
  };
}

async function readSeed(path: string): Promise<z.infer<typeof SeedFile> | null> {
  try {
    return SeedFile.parse(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
}

async function writeShiftedCopies(fixtures: string, root: string, shiftMs: number): Promise<void> {
  const staging = join(root, "staging");
  await rm(staging, { recursive: true, force: true });
  for (const folder of ["mailbox", "mailbox/sent", "calendar"]) {
    await mkdir(join(staging, folder), { recursive: true });
    for (const entry of await readdir(join(fixtures, folder), { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const text = await readFile(join(fixtures, folder, entry.name), "utf8");
      const shifted = entry.name.endsWith(".eml")
        ? shiftMessage(text, shiftMs)
        : entry.name.endsWith(".json")
          ? shiftEvent(text, shiftMs)
          : text;
      await writeFile(join(staging, folder, entry.name), shifted);
    }
  }
  for (const folder of ["mailbox", "calendar"]) {
    await rm(join(root, folder), { recursive: true, force: true });
    await rename(join(staging, folder), join(root, folder));
  }
  await rm(staging, { recursive: true, force: true });
}

const DATE_HEADER = /^Date: (.+)$/m;
const ICS_TIME = /^(DTSTART|DTEND|DTSTAMP)([^:\r\n]*):(\d{8}T\d{6}Z?)$/gm;

/** Moves a message's Date header and its iCalendar times (a text/calendar part) by `shiftMs`. */
export function shiftMessage(text: string, shiftMs: number): string {
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const rest = headerEnd < 0 ? "" : text.slice(headerEnd);
  const movedHead = head.replace(DATE_HEADER, (_line, value: string) => {
    return `Date: ${formatRfc2822(Date.parse(value) + shiftMs, offsetOf(value))}`;
  });
  const movedBody = rest.replace(ICS_TIME, (_line, name: string, params: string, value: string) => {
    return `${name}${params}:${shiftIcsTime(value, shiftMs)}`;
  });
  return movedHead + movedBody;
}

const EventTime = z.looseObject({ dateTime: z.string().optional(), date: z.string().optional() });
const EventJson = z.looseObject({ start: EventTime.optional(), end: EventTime.optional() });

/** Moves a Calendar API event's start and end by `shiftMs` (a date-only event by whole days). */
export function shiftEvent(text: string, shiftMs: number): string {
  const event = EventJson.parse(JSON.parse(text));
  const move = (time: z.infer<typeof EventTime> | undefined) => {
    if (!time) return time;
    if (time.dateTime) {
      return { ...time, dateTime: new Date(Date.parse(time.dateTime) + shiftMs).toISOString() };
    }
    if (time.date) {
      const moved = new Date(Date.parse(`${time.date}T00:00:00Z`) + shiftMs);
      return { ...time, date: moved.toISOString().slice(0, 10) };
    }
    return time;
  };
  return `${JSON.stringify({ ...event, start: move(event.start), end: move(event.end) }, null, 2)}\n`;
}

function shiftIcsTime(value: string, shiftMs: number): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!m) return value;
  // Floating and TZID times move by the same wall-clock amount as UTC ones: whole weeks.
  const moved = new Date(
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    ) + shiftMs,
  );
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${moved.getUTCFullYear()}${pad(moved.getUTCMonth() + 1)}${pad(moved.getUTCDate())}T${pad(moved.getUTCHours())}${pad(moved.getUTCMinutes())}${pad(moved.getUTCSeconds())}${m[7]}`;
}

/** The numeric offset of an RFC 2822 date in minutes east of UTC (0 when it has none). */
function offsetOf(value: string): number {
  const m = /([+-])(\d{2})(\d{2})\s*$/.exec(value.trim());
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatRfc2822(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${DAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

async function oldestDate(dir: string, names: string[], now: number): Promise<number> {
  let oldest = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const text = await readFile(join(dir, name), "utf8");
    const value = DATE_HEADER.exec(text)?.[1];
    const time = value ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(time)) oldest = Math.min(oldest, time);
  }
  return Number.isFinite(oldest) ? oldest : now;
}
