import type { Hono } from "hono";
import * as z from "zod";
import { MemoryLedger } from "../../core/ledger.ts";
import type { ParsedMessage } from "../../core/model.ts";
import { parseEmail, parseIcs } from "../../core/parse/index.ts";
import { type TriageResult, triageMessage } from "../../core/triage.ts";
import { type AppContext, field, fileField, formOf } from "../context.ts";
import { MessagePage } from "../pages/message.tsx";
import { TryPage } from "../pages/try.tsx";
import type { FieldErrors } from "../settings-form.ts";
import type { WebEnv } from "../types.ts";

const HEADER_LINE = /^([!-9;-~]+):/;
const KNOWN_HEADERS = new Set([
  "from",
  "to",
  "subject",
  "date",
  "message-id",
  "received",
  "return-path",
  "delivered-to",
  "mime-version",
  "content-type",
]);
const Email = z.email();
/** Pasted text is bounded by the body limit too; this keeps the echoed textarea reasonable. */
const MAX_PASTE_CHARS = 1_000_000;

/**
 * Whether pasted text is a whole message (a header block naming at least one usual header)
 * rather than just a body, which may well start with "Dinner: Friday at 8?".
 */
export function looksLikeMessage(text: string): boolean {
  const lines = text.replace(/^\s+/, "").split(/\r?\n/);
  const blank = lines.findIndex((line) => line.trim() === "");
  const head = lines.slice(0, blank < 0 ? lines.length : blank);
  if (head.length === 0) return false;
  let known = false;
  for (const line of head) {
    if (/^[ \t]/.test(line)) continue;
    const name = HEADER_LINE.exec(line)?.[1]?.toLowerCase();
    if (!name) return false;
    if (KNOWN_HEADERS.has(name)) known = true;
  }
  return known;
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

type Parsed = { message: ParsedMessage; bodyOnly: boolean } | { errors: FieldErrors };

async function readInput(form: Parameters<typeof field>[0], now: Date): Promise<Parsed> {
  const file = fileField(form, "file");
  const raw = field(form, "raw");
  try {
    if (file) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
      if (file.name.toLowerCase().endsWith(".ics") || /^BEGIN:VCALENDAR/i.test(head)) {
        return {
          message: parseIcs(new TextDecoder().decode(bytes), "upload.ics"),
          bodyOnly: false,
        };
      }
      return { message: await parseEmail(bytes, "upload.eml"), bodyOnly: false };
    }
  } catch {
    return {
      errors: { file: ["Decorum could not read this file as an email or a calendar invitation."] },
    };
  }
  if (raw.trim() === "") {
    return { errors: { raw: ["Paste an email, or choose a file to upload."] } };
  }
  if (raw.length > MAX_PASTE_CHARS) {
    return { errors: { raw: ["That is too long to try here; upload it as a file instead."] } };
  }
  try {
    if (/^\s*BEGIN:VCALENDAR/i.test(raw)) {
      return { message: parseIcs(raw, "pasted.ics"), bodyOnly: false };
    }
    if (looksLikeMessage(raw)) {
      return { message: await parseEmail(raw.trimStart(), "pasted.eml"), bodyOnly: false };
    }
  } catch {
    return {
      errors: { raw: ["Decorum could not read this as an email or a calendar invitation."] },
    };
  }
  // Just a body: wrap it in the headers the owner gave (CR/LF removed: no header injection).
  const from = singleLine(field(form, "from")) || "someone@client.example";
  if (!Email.safeParse(from).success) {
    return { errors: { from: ["Enter the sender’s email address, like ana@client.example."] } };
  }
  const subject = singleLine(field(form, "subject")) || "(pasted text)";
  const message = [
    `From: ${from}`,
    `Subject: ${subject}`,
    `Date: ${now.toUTCString()}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    raw.replace(/\r\n?/g, "\n"),
  ].join("\r\n");
  return { message: await parseEmail(message, "pasted.txt"), bodyOnly: true };
}

/** Try it: triage one pasted or uploaded message against a throwaway in-memory ledger. */
export function tryRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps, config } = ctx;

  app.get("/try", (c) =>
    c.html(<TryPage auth={c.get("auth")} fields={{}} errors={{}} result={null} bodyOnly={false} />),
  );

  app.post("/try", async (c) => {
    const auth = c.get("auth");
    const decision = await deps.stores.limiter.take(
      "try",
      auth.account.accountId,
      config.rateLimits.tryIt,
    );
    if (!decision.allowed) {
      c.header("Retry-After", String(decision.retryAfterSeconds));
      return c.html(
        <MessagePage title="Please slow down" auth={auth} kind="warn">
          You have tried many messages in a short time. Please wait a few minutes.
        </MessagePage>,
        429,
      );
    }
    const form = formOf(c);
    const fields = {
      raw: field(form, "raw").slice(0, MAX_PASTE_CHARS),
      from: field(form, "from"),
      subject: field(form, "subject"),
    };
    const now = deps.now();
    const input = await readInput(form, now);
    if ("errors" in input) {
      return c.html(
        <TryPage
          auth={auth}
          fields={fields}
          errors={input.errors}
          result={null}
          bodyOnly={false}
        />,
        422,
      );
    }
    // A fresh MemoryLedger per request: nothing the owner tries is stored or counted.
    const result: TriageResult = await triageMessage(input.message, {
      settings: auth.account.settings,
      ledger: new MemoryLedger(),
      now,
    });
    return c.html(
      <TryPage auth={auth} fields={fields} errors={{}} result={result} bodyOnly={input.bodyOnly} />,
    );
  });
}
