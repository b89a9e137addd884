import { isParseFailure, type ParseFailure } from "../core/parse/index.ts";
import type { TriageResult } from "../core/triage.ts";

type Result = TriageResult | ParseFailure;

/**
 * What the table keeps of one result until the input ends: its line already laid out, and no
 * more. A result carries its reasons and draft; keeping those for every message of a large mbox
 * would make the table cost kilobytes a message.
 */
export interface TableRow {
  /** Sort key: failures first, then by date; undated messages before dated ones. */
  sortKey: string;
  line: string;
  /** Why, for a message that needs something done. */
  why: string | null;
}

const HEADER = ["date", "from", "category", "action", "conf", "subject"];
const WIDTHS = [10, 32, 19, 14, 4, 50];

/** One result as the table shows it: a line of cells, cut to their widths. */
export function tableRow(result: Result): TableRow {
  if (isParseFailure(result)) {
    return {
      sortKey: "",
      line: layOut(["", result.source, "ERROR", "", "", result.error]),
      why: null,
    };
  }
  const cells = [
    result.date?.slice(0, 10) ?? "",
    result.from ?? "",
    result.category,
    result.action,
    result.confidence.toFixed(2),
    result.subject,
  ];
  const why = result.action === "none" ? null : (result.reasons.at(-1)?.explanation ?? null);
  return { sortKey: result.date ?? " ", line: layOut(cells), why };
}

/** Lines written at a time: the table of a large mbox is never one string in memory. */
const LINES_PER_CHUNK = 500;

/**
 * A readable table of what Decorum decided, one line per message by date, reasons beneath, in
 * chunks of text to write one after another.
 */
export function* formatTable(unsorted: readonly TableRow[]): Generator<string> {
  const rows = [...unsorted].sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  let lines = [layOut(HEADER), WIDTHS.map((w) => "─".repeat(w)).join("  ")];
  for (const row of rows) {
    lines.push(row.line);
    if (row.why) lines.push(`${" ".repeat(12)}↳ ${row.why}`);
    if (lines.length >= LINES_PER_CHUNK) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

function layOut(cells: readonly string[]): string {
  return cells
    .map((cell, i) => truncate(cell, WIDTHS[i] ?? 20).padEnd(WIDTHS[i] ?? 20))
    .join("  ")
    .trimEnd();
}

interface ClientTally {
  total: number;
  categories: Map<string, number>;
  actions: Map<string, number>;
}

/** Per client: how many invitations, of which kinds, and what Decorum did. Counts only. */
export class ClientSummary {
  readonly #clients = new Map<string, ClientTally>();
  #messages = 0;
  #failed = 0;

  add(result: Result): void {
    this.#messages++;
    if (isParseFailure(result)) {
      this.#failed++;
      return;
    }
    const { client, category } = result;
    if (!client || category === "not_invitation" || category === "business_meeting") return;
    let tally = this.#clients.get(client);
    if (!tally) {
      tally = { total: 0, categories: new Map(), actions: new Map() };
      this.#clients.set(client, tally);
    }
    tally.total++;
    increment(tally.categories, category);
    increment(tally.actions, result.action);
  }

  format(): string {
    const clients = this.#clients;
    const invitations = [...clients.values()].reduce((sum, tally) => sum + tally.total, 0);
    const failed = this.#failed ? `, ${this.#failed} unreadable` : "";
    const lines = [
      "",
      `${this.#messages} messages, ${invitations} invitations from ${clients.size} clients${failed}`,
    ];
    const sorted = [...clients.entries()].sort(
      (a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]),
    );
    for (const [client, tally] of sorted) {
      lines.push(
        `  ${truncate(client, 36).padEnd(36)} ${String(tally.total).padStart(3)}  ${list(tally.categories)}  →  ${list(tally.actions)}`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

function increment(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function list(map: Map<string, number>): string {
  return [...map.entries()].map(([key, n]) => `${key} ${n}`).join(", ");
}

function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
