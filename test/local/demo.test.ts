import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalConfigError, parseLocalConfig } from "../../functions/local/config.ts";
import { prepareDemoSeed, shiftEvent, shiftMessage } from "../../functions/local/demo.ts";

const WEEK = 7 * 86_400_000;

describe("shiftMessage", () => {
  const message = [
    "From: Dana <dana@brightwaterholdings.example>",
    "Date: Thu, 13 Mar 2025 12:00:00 -0400",
    "Subject: Drinks?",
    "",
    "Body mentioning Date: Mon, 01 Jan 2001 00:00:00 +0000 stays as written.",
    "BEGIN:VEVENT",
    "DTSTART:20250321T220000Z",
    "DTEND;TZID=America/New_York:20250321T200000",
    "DTSTAMP:20250313T160000Z",
    "END:VEVENT",
  ].join("\r\n");

  it("moves the Date header by whole weeks, keeping the weekday, time and offset", () => {
    const moved = shiftMessage(message, 2 * WEEK);
    expect(moved).toContain("Date: Thu, 27 Mar 2025 12:00:00 -0400");
    expect(
      Date.parse("Thu, 27 Mar 2025 12:00:00 -0400") - Date.parse("Thu, 13 Mar 2025 12:00:00 -0400"),
    ).toBe(2 * WEEK);
  });

  it("moves the invitation's iCalendar times and leaves the body text alone", () => {
    const moved = shiftMessage(message, WEEK);
    expect(moved).toContain("DTSTART:20250328T220000Z");
    expect(moved).toContain("DTEND;TZID=America/New_York:20250328T200000");
    expect(moved).toContain("DTSTAMP:20250320T160000Z");
    expect(moved).toContain("Date: Mon, 01 Jan 2001 00:00:00 +0000 stays as written.");
  });
});

describe("shiftEvent", () => {
  it.each([
    [
      { dateTime: "2025-03-18T10:00:00-04:00", timeZone: "America/New_York" },
      { dateTime: "2025-03-25T14:00:00.000Z", timeZone: "America/New_York" },
    ],
    [{ date: "2025-04-02" }, { date: "2025-04-09" }],
  ])("moves %j to %j", (start, expected) => {
    const moved = JSON.parse(shiftEvent(JSON.stringify({ id: "e", start, end: start }), WEEK));
    expect(moved.start).toEqual(expected);
    expect(moved.id).toBe("e");
  });
});

describe("prepareDemoSeed", () => {
  let dataDir = "";
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("moves the demo to the last few weeks once, and reuses that copy on every later start", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "decorum-demo-"));
    const now = new Date("2026-11-23T15:00:00Z");
    const first = await prepareDemoSeed({ dataDir, now });
    expect(first.fresh).toBe(true);
    expect(first.inboxCount).toBeGreaterThanOrEqual(40);
    expect(first.inboxCount).toBeLessThanOrEqual(60);
    const dates = await messageDates(first.mailboxDir);
    const newest = Math.max(...dates);
    expect(newest).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime() - newest).toBeLessThan(WEEK);
    expect(first.spanDays).toBeGreaterThanOrEqual(28);

    const snapshot = await readAll(first.mailboxDir);
    const later = await prepareDemoSeed({ dataDir, now: new Date(now.getTime() + 5 * WEEK) });
    expect(later.fresh).toBe(false);
    expect(await readAll(later.mailboxDir)).toEqual(snapshot);
    expect((await readdir(later.calendarDir)).length).toBeGreaterThanOrEqual(8);
  });
});

async function messageDates(dir: string): Promise<number[]> {
  const dates: number[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith(".eml")) continue;
    const value = /^Date: (.+)$/m.exec(await readFile(join(dir, name), "utf8"))?.[1] ?? "";
    dates.push(Date.parse(value));
  }
  return dates;
}

async function readAll(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith(".eml")) files[name] = await readFile(join(dir, name), "utf8");
  }
  return files;
}

describe("parseLocalConfig", () => {
  it("runs the demo on port 8787 under .data by default", () => {
    expect(parseLocalConfig({}, "/repo")).toEqual({
      port: 8787,
      dataDir: "/repo/.data",
      mode: { kind: "demo" },
      allowed: [],
      baseUrl: null,
      syncIntervalMs: 60_000,
      sessionKey: null,
      tokenKey: null,
    });
  });

  it("uses Google with both credentials, and reads the allow list and the rest", () => {
    const config = parseLocalConfig(
      {
        PORT: "0",
        DECORUM_DATA_DIR: "/var/decorum",
        GOOGLE_CLIENT_ID: "id.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "secret",
        DECORUM_ALLOWED: "alex@example.com, @morganadvisory.example",
        DECORUM_BASE_URL: "http://localhost:8787/",
        DECORUM_SYNC_INTERVAL_SECONDS: "300",
      },
      "/repo",
    );
    expect(config).toMatchObject({
      port: 0,
      dataDir: "/var/decorum",
      mode: { kind: "google", clientId: "id.apps.googleusercontent.com", clientSecret: "secret" },
      allowed: ["alex@example.com", "@morganadvisory.example"],
      baseUrl: "http://localhost:8787",
      syncIntervalMs: 300_000,
    });
  });

  it("treats empty credentials as none (the demo)", () => {
    expect(parseLocalConfig({ GOOGLE_CLIENT_ID: "", GOOGLE_CLIENT_SECRET: "" }, "/r").mode).toEqual(
      { kind: "demo" },
    );
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ GOOGLE_CLIENT_ID: "id-only" }, "both"],
    [{ DECORUM_SYNC_INTERVAL_SECONDS: "1" }, "DECORUM_SYNC_INTERVAL_SECONDS"],
    [{ DECORUM_BASE_URL: "ftp://example.com" }, "DECORUM_BASE_URL"],
  ])("refuses %j", (env, problem) => {
    expect(() => parseLocalConfig(env, "/r")).toThrow(LocalConfigError);
    expect(() => parseLocalConfig(env, "/r")).toThrow(problem);
  });
});
