import { isParseFailure, type ParseFailure } from "../core/parse/index.ts";
import type { TriageResult } from "../core/triage.ts";

type Row = TriageResult | ParseFailure;

/** A readable table of what Decorum decided, one line per message, reasons beneath. */
export function formatTable(unsorted: readonly Row[]): string {
  const rows = [...unsorted].sort((a, b) => dateOf(a).localeCompare(dateOf(b)));
  const lines: string[] = [];
  const header = ["date", "from", "category", "action", "conf", "subject"];
  const body = rows.map((row) =>
    isParseFailure(row)
      ? ["", row.source, "ERROR", "", "", row.error]
      : [
          row.date?.slice(0, 10) ?? "",
          row.from ?? "",
          row.category,
          row.action,
          row.confidence.toFixed(2),
          row.subject,
        ],
  );
  const widths = [10, 32, 19, 14, 4, 50];
  const padCells = (cells: string[]) =>
    cells.map((cell, i) => truncate(cell, widths[i] ?? 20).padEnd(widths[i] ?? 20)).join("  ");
  lines.push(padCells(header).trimEnd(), widths.map((w) => "─".repeat(w)).join("  "));
  rows.forEach((row, i) => {
    lines.push(padCells(body[i] ?? []).trimEnd());
    if (!isParseFailure(row) && row.action !== "none") {
      const why = row.reasons.at(-1);
      if (why) lines.push(`${" ".repeat(12)}↳ ${why.explanation}`);
    }
  });
  return `${lines.join("\n")}\n`;
}

/** Per client: how many invitations, of which kinds, and what Decorum did. */
export function formatClientSummary(rows: readonly Row[]): string {
  const clients = new Map<
    string,
    { total: number; categories: Map<string, number>; actions: Map<string, number> }
  >();
  let failed = 0;
  for (const row of rows) {
    if (isParseFailure(row)) {
      failed++;
      continue;
    }
    if (!row.client || row.category === "not_invitation" || row.category === "business_meeting") {
      continue;
    }
    const entry = clients.get(row.client) ?? {
      total: 0,
      categories: new Map(),
      actions: new Map(),
    };
    entry.total++;
    increment(entry.categories, row.category);
    increment(entry.actions, row.action);
    clients.set(row.client, entry);
  }
  const invitations = [...clients.values()].reduce((sum, c) => sum + c.total, 0);
  const lines = [
    "",
    `${rows.length} messages, ${invitations} invitations from ${clients.size} clients${failed ? `, ${failed} unreadable` : ""}`,
  ];
  const sorted = [...clients.entries()].sort(
    (a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]),
  );
  for (const [client, entry] of sorted) {
    lines.push(
      `  ${truncate(client, 36).padEnd(36)} ${String(entry.total).padStart(3)}  ${list(entry.categories)}  →  ${list(entry.actions)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Failures first, then by date; undated messages before dated ones. */
function dateOf(row: Row): string {
  return isParseFailure(row) ? "" : (row.date ?? " ");
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
