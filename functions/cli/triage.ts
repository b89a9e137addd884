import { parseArgs } from "node:util";
import { type Ledger, MemoryLedger } from "../core/ledger.ts";
import { isParseFailure, type ParseFailure, readMessages } from "../core/parse/index.ts";
import { type TriageResult, triageBatch } from "../core/triage.ts";
import type { Settings } from "../schemas/settings.ts";
import { UsageError } from "./errors.ts";
import type { CliIO } from "./main.ts";
import { ClientSummary, formatTable, type TableRow, tableRow } from "./report.ts";
import { loadSettingsFile } from "./settings-file.ts";

const STORES = ["memory", "local"] as const;
type Store = (typeof STORES)[number];

/** `decorum triage [--json] [--settings FILE] [--store memory|local] PATH...` */
export async function runTriage(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (positionals.length === 0) {
    throw new UsageError("name at least one .eml, .ics or .mbox file or folder to triage");
  }
  const store = parseStore(values.store);
  const settings = await loadSettingsFile(values.settings);
  const { ledger, close } = await openLedger(store, settings, io);
  const progress = progressReporter(io);
  const table: TableRow[] = [];
  const summary = new ClientSummary();
  let failures = 0;
  try {
    const messages = readMessages(positionals, { onProgress: progress.read });
    for await (const item of triageBatch(messages, { settings, ledger, now: io.now() })) {
      if (isParseFailure(item)) failures++;
      if (values.json) io.stdout.write(`${JSON.stringify(toJson(item))}\n`);
      else {
        table.push(tableRow(item));
        summary.add(item);
      }
      progress.triaged();
    }
  } finally {
    progress.done();
    await close();
  }
  if (!values.json) {
    for (const chunk of formatTable(table)) io.stdout.write(chunk);
    io.stdout.write(summary.format());
  }
  if (failures > 0) {
    io.stderr.write(
      `decorum triage: ${failures} input(s) could not be read or parsed; each is listed with its error\n`,
    );
  }
  return failures > 0 ? 2 : 0;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        settings: { type: "string" },
        store: { type: "string", default: "memory" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseStore(value: string | undefined): Store {
  const store = STORES.find((candidate) => candidate === value);
  if (!store) throw new UsageError(`--store must be one of ${STORES.join(", ")} (got '${value}')`);
  return store;
}

async function openLedger(
  store: Store,
  settings: Settings,
  io: CliIO,
): Promise<{ ledger: Ledger; close(): Promise<void> }> {
  if (store === "memory") return { ledger: new MemoryLedger(), close: async () => {} };
  const { openLocalLedger, LocalStoreBusy } = await import("../local/store.ts");
  try {
    return await openLocalLedger({ cwd: io.cwd, env: process.env, settings, now: io.now });
  } catch (error) {
    if (error instanceof LocalStoreBusy) throw new UsageError(error.message);
    throw error;
  }
}

/** The JSON Lines shape: stable field order, a failure as {source, error}. */
function toJson(item: TriageResult | ParseFailure) {
  if (isParseFailure(item)) return { source: item.source, error: item.error };
  return {
    source: item.source,
    messageId: item.messageId,
    from: item.from,
    client: item.client,
    subject: item.subject,
    date: item.date,
    category: item.category,
    action: item.action,
    confidence: item.confidence,
    language: item.language,
    reasons: item.reasons,
    recorded: item.recorded,
    draft: item.draft
      ? {
          to: item.draft.to,
          subject: item.draft.subject,
          inReplyTo: item.draft.inReplyTo,
          references: item.draft.references,
          body: item.draft.body,
          raw: item.draft.raw,
        }
      : null,
  };
}

/** Progress on stderr, at most once a second, so long runs show they are alive. */
function progressReporter(io: CliIO) {
  const started = Date.now();
  let lastPrinted = started;
  let read = 0;
  let bytes = 0;
  let triaged = 0;
  let printed = false;
  const print = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastPrinted < 1000) return;
    lastPrinted = now;
    printed = true;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const mb = (bytes / 1_048_576).toFixed(1);
    io.stderr.write(
      `decorum triage: read ${read} messages (${mb} MB), triaged ${triaged} — ${Math.round(triaged / seconds)}/s\n`,
    );
  };
  return {
    read: (p: { messages: number; bytes: number }) => {
      read = p.messages;
      bytes = p.bytes;
      print(false);
    },
    triaged: () => {
      triaged++;
      print(false);
    },
    done: () => {
      if (printed) print(true);
    },
  };
}
