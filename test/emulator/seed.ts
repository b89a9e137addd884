import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { EventFile, eventsFromIcs, normalizeEvent } from "./calendar.ts";
import type { Core } from "./core.ts";
import { headerValue, parseMime } from "./mime.ts";
import type { Mailbox } from "./store.ts";

/** Folder names that map to a system label; files at the top level are INBOX mail. */
const FOLDER_LABELS: Record<string, string[]> = {
  sent: ["SENT"],
  spam: ["SPAM"],
  trash: ["TRASH"],
};

/**
 * Seeds a mailbox from `.eml` files: the top level becomes unread INBOX mail, `sent/` SENT,
 * `spam/` and `trash/` likewise. Messages are added oldest first, so replies thread onto their
 * originals by In-Reply-To/References and subject, as Gmail threads incoming mail.
 */
export function seedMailbox(core: Core, box: Mailbox, dir: string): void {
  const files: Array<{ path: string; labels: string[] }> = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const labels = FOLDER_LABELS[name.toLowerCase()];
      if (!labels) continue;
      for (const inner of readdirSync(path).sort()) {
        if (inner.toLowerCase().endsWith(".eml")) files.push({ path: join(path, inner), labels });
      }
    } else if (name.toLowerCase().endsWith(".eml")) {
      files.push({ path, labels: ["INBOX", "UNREAD"] });
    }
  }
  const loaded = files.map((f) => {
    const raw = readFileSync(f.path);
    const date = Date.parse(headerValue(parseMime(raw).headers, "date") ?? "");
    return { ...f, raw, internalDate: Number.isNaN(date) ? core.now() : date };
  });
  loaded.sort((a, b) => a.internalDate - b.internalDate);
  for (const f of loaded) {
    const mime = parseMime(f.raw);
    box.addMessage({
      id: core.ids.message(),
      raw: f.raw,
      labelIds: f.labels,
      internalDate: f.internalDate,
      threadId: box.resolveThread(mime, undefined, "incoming"),
    });
  }
}

/** Seeds the primary calendar from Calendar-shaped `.json` files and `.ics` files. */
export function seedCalendar(core: Core, box: Mailbox, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const lower = name.toLowerCase();
    let inputs: ReturnType<typeof eventsFromIcs> = [];
    if (lower.endsWith(".json")) {
      const parsed = EventFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (!parsed.success)
        throw new Error(`emulator: ${name} is not a Calendar event (or list of them)`);
      inputs = parsed.data;
    } else if (lower.endsWith(".ics")) {
      inputs = eventsFromIcs(readFileSync(path, "utf8"));
    }
    for (const input of inputs) {
      const existing = input.id ? box.events.get(input.id)?.event : undefined;
      box.touchEvent(normalizeEvent(core, box, input, existing));
    }
  }
}
