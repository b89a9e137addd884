import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoogleClients } from "../../functions/adapters/google/clients.ts";
import { SendRefused } from "../../functions/adapters/google/recipients.ts";
import { GOOGLE_SCOPE_LIST } from "../../functions/adapters/google/scopes.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulator/index.ts";

/**
 * Decorum never sends on the owner's behalf. The only send in the code is the weekly summary,
 * through GmailPort.sendSummary, whose one recipient is bound to the account's own address.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FUNCTIONS = join(ROOT, "functions");
/** The one module that may call Gmail's send. */
const SEND_MODULE = "functions/adapters/google/gmail.ts";
/** Where the summary is sent from, and where the port that guards it is declared. */
const SUMMARY_CALLERS = ["functions/summary/", "functions/adapters/google/"];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

function find(source: string, file: string, pattern: RegExp): Finding[] {
  const found: Finding[] = [];
  for (const match of source.matchAll(pattern)) {
    const line = source.slice(0, match.index).split("\n").length;
    found.push({ file, line, text: match[0].replace(/\s+/g, " ") });
  }
  return found;
}

/** Gmail's two sending methods, however they are reached. */
const GMAIL_SEND = /\b(?:messages|drafts)\s*\.\s*send\b|["'`](?:messages|drafts)\.send["'`]/g;
/** Any `.send(` that is not an AWS SDK `client.send(new XCommand(...))`. */
const OTHER_SEND = /\.send\s*\((?!\s*new\s+\w+Command\s*\()/g;
const SUMMARY_SEND = /\bsendSummary\s*\(/g;

describe("the source", () => {
  it("calls messages.send or drafts.send only in the Gmail adapter, once", async () => {
    const findings: Finding[] = [];
    for (const path of await sources(FUNCTIONS)) {
      const file = relative(ROOT, path);
      findings.push(...find(await readFile(path, "utf8"), file, GMAIL_SEND));
    }
    expect(findings.filter((f) => f.file !== SEND_MODULE)).toEqual([]);
    expect(
      findings.filter((f) => f.file === SEND_MODULE && f.text.includes("messages.send")).length,
    ).toBeGreaterThan(0);
    expect(findings.filter((f) => f.text.includes("drafts"))).toEqual([]);
  });

  it("has no other .send( than AWS SDK commands outside the Gmail adapter", async () => {
    const findings: Finding[] = [];
    for (const path of await sources(FUNCTIONS)) {
      const file = relative(ROOT, path);
      if (file === SEND_MODULE) continue;
      findings.push(...find(await readFile(path, "utf8"), file, OTHER_SEND));
    }
    expect(findings).toEqual([]);
  });

  it("sends the summary only from the summary job", async () => {
    const findings: Finding[] = [];
    for (const path of await sources(FUNCTIONS)) {
      const file = relative(ROOT, path);
      findings.push(...find(await readFile(path, "utf8"), file, SUMMARY_SEND));
    }
    expect(
      findings.filter((f) => !SUMMARY_CALLERS.some((allowed) => f.file.startsWith(allowed))),
    ).toEqual([]);
  });

  it("would notice a send outside the allowed module (the scan itself works)", () => {
    const planted = "await gmail.users.messages.send({ userId: 'me' });\nclient.send(x);";
    expect(find(planted, "x.ts", GMAIL_SEND)).toHaveLength(1);
    expect(find(planted, "x.ts", OTHER_SEND)).toHaveLength(2);
    expect(find("doc.send(\n  new PutCommand({}))", "x.ts", OTHER_SEND)).toEqual([]);
  });
});

describe("the summary path", () => {
  const OWNER = "alex@morganadvisory.example";
  let emulator: GoogleEmulator;
  let gmail: ReturnType<typeof createGoogleClients>["gmail"];
  beforeAll(async () => {
    emulator = await startGoogleEmulator({
      users: [{ email: OWNER }, { email: "jane@harbourbank.example" }],
    });
    const issued = emulator.issueTokens(OWNER, { scopes: [...GOOGLE_SCOPE_LIST] });
    ({ gmail } = createGoogleClients({
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      rootUrl: emulator.url,
      endpoints: { tokenUrl: emulator.endpoints.tokenUrl },
      refreshToken: issued.refresh_token,
      retry: { maxAttempts: 1 },
    }));
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const summary = (headers: string) =>
    `${headers}\r\nSubject: Your week\r\nX-Decorum-Summary: 2026-W10\r\n\r\nThree invitations.\r\n`;

  it.each([
    ["a client", "To: jane@harbourbank.example"],
    ["the owner plus a Cc", `To: ${OWNER}\r\nCc: jane@harbourbank.example`],
    ["the owner plus a Bcc", `To: ${OWNER}\r\nBcc: jane@harbourbank.example`],
    ["a list including the owner", `To: ${OWNER}, jane@harbourbank.example`],
    ["no one", "From: x@y.example"],
  ])("cannot be given another recipient: %s", async (_name, headers) => {
    await expect(gmail.sendSummary({ raw: summary(headers) })).rejects.toBeInstanceOf(SendRefused);
    expect(emulator.state(OWNER).sent).toEqual([]);
    expect(emulator.state("jane@harbourbank.example").messages).toEqual([]);
  });

  it("sends to the owner's own address", async () => {
    await gmail.sendSummary({ raw: summary(`To: Alex Morgan <${OWNER}>`) });
    expect(emulator.state(OWNER).sent).toHaveLength(1);
  });
});
