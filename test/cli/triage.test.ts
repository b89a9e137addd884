import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import * as z from "zod";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/cli/", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `decorum` command, as `npx decorum` would, from the CLI fixture folder. */
function decorum(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`${ROOT}bin/decorum.js`, ...args],
      { cwd: FIXTURES, env: { ...process.env, NODE_NO_WARNINGS: "1" } },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const Reason = z.object({ rule: z.string().min(1), explanation: z.string().min(10) });
const Decision = z.object({
  source: z.string(),
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  client: z.string().nullable(),
  subject: z.string(),
  date: z.iso.datetime().nullable(),
  category: z.string(),
  action: z.string(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(Reason).min(1),
  draft: z
    .object({
      to: z.string(),
      subject: z.string(),
      inReplyTo: z.string().nullable(),
      references: z.array(z.string()),
      body: z.string(),
      raw: z.string(),
    })
    .nullable(),
});
const Failure = z.object({ source: z.string(), error: z.string().min(1) }).strict();

function lines(stdout: string): unknown[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("decorum triage --json", () => {
  it("prints one decision per message in date order, mbox messages as path#N", async () => {
    const run = await decorum("triage", "--json", "--settings", "settings.json", "mailbox");
    expect(run.code).toBe(0);
    const decisions = lines(run.stdout).map((line) => Decision.parse(line));
    expect(decisions.map((d) => d.source).sort()).toEqual([
      "mailbox/01-drinks.eml",
      "mailbox/02-dinner.eml",
      "mailbox/03-drinks.eml",
      "mailbox/04-business.eml",
      "mailbox/archive.mbox#1",
      "mailbox/archive.mbox#2",
    ]);
    const invitations = decisions.filter((d) => d.category !== "not_invitation");
    const dates = invitations.map((d) => d.date ?? "");
    expect(dates).toEqual([...dates].sort());
  });

  it("declines the third invitation from one client within 14 days, with a threaded draft", async () => {
    const run = await decorum("triage", "--json", "--settings", "settings.json", "mailbox");
    const bySource = new Map(
      lines(run.stdout)
        .map((l) => Decision.parse(l))
        .map((d) => [d.source, d]),
    );
    expect(bySource.get("mailbox/01-drinks.eml")?.action).toBe("accept");
    expect(bySource.get("mailbox/02-dinner.eml")?.action).toBe("accept");
    const third = bySource.get("mailbox/03-drinks.eml");
    expect(third?.action).toBe("decline");
    expect(third?.client).toBe("halvorsen.example");
    const draft = third?.draft;
    expect(draft?.to).toBe("priya@halvorsen.example");
    expect(draft?.subject).toBe("Re: Pint after work?");
    expect(draft?.inReplyTo).toBe("d3@halvorsen.example");
    const parsed = await PostalMime.parse(draft?.raw ?? "");
    expect(parsed.inReplyTo).toBe("<d3@halvorsen.example>");
    expect(parsed.text).toContain("Priya");
    expect(parsed.text).toContain("Alex Morgan");
    expect(parsed.text).not.toMatch(/third|policy|again/i);
  });

  it("declines a German poker night firmly, in German", async () => {
    const run = await decorum("triage", "--json", "mailbox/archive.mbox");
    const poker = lines(run.stdout)
      .map((l) => Decision.parse(l))
      .find((d) => d.source === "mailbox/archive.mbox#1");
    expect(poker?.category).toBe("objectionable");
    expect(poker?.action).toBe("decline_firmly");
    expect(poker?.draft?.body).toMatch(/Dieter/);
    expect(poker?.reasons.some((r) => /rule 4/i.test(r.explanation))).toBe(true);
  });

  it("reports an unreadable input as {source, error}, goes on with the rest, and exits 2", async () => {
    const run = await decorum("triage", "--json", "broken/invalid.ics", "missing.eml", "mailbox");
    expect(run.code).toBe(2);
    const all = lines(run.stdout);
    const failures = all.filter((l) => Failure.safeParse(l).success).map((l) => Failure.parse(l));
    expect(failures.map((f) => f.source).sort()).toEqual(["broken/invalid.ics", "missing.eml"]);
    expect(all.length).toBe(8);
    expect(run.stderr).toContain("2 input(s) could not be read or parsed");
  });
});

describe("decorum triage (table)", () => {
  it("prints a table with the reasons and a per-client summary", async () => {
    const run = await decorum("triage", "mailbox");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/date\s+from\s+category\s+action/);
    expect(run.stdout).toMatch(
      /halvorsen\.example\s+3\s+meal_or_drinks 3\s+→\s+accept 2, decline 1/,
    );
    expect(run.stdout).toContain("6 messages, 4 invitations from 2 clients");
  });
});

describe("decorum usage errors", () => {
  it.each([
    [["triage"], "name at least one"],
    [["triage", "--store", "cloud", "mailbox"], "--store must be one of memory, local"],
    [
      ["triage", "--settings", "bad-settings.json", "mailbox"],
      "timeZone: must be an IANA time zone",
    ],
    [["triage", "--settings", "nowhere.json", "mailbox"], "cannot read settings file nowhere.json"],
    [["triage", "--frobnicate", "mailbox"], "Unknown option '--frobnicate'"],
    [["dance"], "unknown command 'dance'"],
  ])("decorum %j explains the mistake and exits 1", async (args, message) => {
    const run = await decorum(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it("shows help", async () => {
    const run = await decorum("help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("decorum <command>");
    expect(run.stdout).toContain("triage");
  });
});
