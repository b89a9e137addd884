import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { MemoryLedger } from "../functions/core/ledger.ts";
import type { ParsedMessage } from "../functions/core/model.ts";
import { isParseFailure, readMessages } from "../functions/core/parse/index.ts";
import { type TriageResult, triageBatch } from "../functions/core/triage.ts";
import {
  type Category,
  Category as CategorySchema,
  Language,
} from "../functions/core/vocabulary.ts";
import { parseSettings } from "../functions/schemas/settings.ts";

/**
 * The accuracy gate: every message of the labelled corpus goes through parsing and triage (a fresh
 * in-memory ledger, date order), and the results are compared with the hand-written labels.
 * Product code never reads the labels; only this test does.
 */

const CORPUS = fileURLToPath(new URL("./fixtures/corpus/", import.meta.url));
const MIN_ACCURACY = 0.92;
const NEVER_DECLINED: readonly Category[] = [
  "not_invitation",
  "business_meeting",
  "family_function",
];

const Labels = z.record(
  z.string(),
  z.object({ category: CategorySchema, language: Language, note: z.string() }),
);

const settings = parseSettings({
  owner: { name: "Alex Morgan", email: "alex@morganadvisory.example" },
});

interface Row {
  key: string;
  expected: Category;
  result: TriageResult | null;
  note: string;
}

async function runCorpus(): Promise<{ rows: Row[]; failures: string[] }> {
  const labels = Labels.parse(JSON.parse(await readFile(`${CORPUS}labels.json`, "utf8")));
  const messages: ParsedMessage[] = [];
  const failures: string[] = [];
  for await (const item of readMessages([CORPUS])) {
    if (isParseFailure(item)) failures.push(`${item.source}: ${item.error}`);
    else messages.push(item);
  }
  const results = new Map<string, TriageResult>();
  const deps = { settings, ledger: new MemoryLedger(), now: new Date("2026-12-01T00:00:00Z") };
  for await (const result of triageBatch(messages, deps)) {
    if (isParseFailure(result)) continue;
    results.set(relative(CORPUS, result.source).split("\\").join("/"), result);
  }
  const rows = Object.entries(labels).map(([key, label]) => ({
    key,
    expected: label.category,
    result: results.get(key) ?? null,
    note: label.note,
  }));
  return { rows, failures };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function summary(rows: readonly Row[]): string {
  const lines: string[] = [];
  const byCategory = new Map<Category, { total: number; right: number }>();
  const confusion = new Map<string, string[]>();
  for (const row of rows) {
    const got = row.result?.category ?? "(missing)";
    const entry = byCategory.get(row.expected) ?? { total: 0, right: 0 };
    entry.total++;
    if (got === row.expected) entry.right++;
    else {
      const pair = `${row.expected} → ${got}`;
      confusion.set(pair, [...(confusion.get(pair) ?? []), row.key]);
    }
    byCategory.set(row.expected, entry);
  }
  lines.push("per category:");
  for (const [category, { total, right }] of [...byCategory].sort()) {
    lines.push(`  ${category.padEnd(20)} ${right}/${total}  ${percent(right / total)}`);
  }
  lines.push("confusions (expected → got):");
  for (const [pair, keys] of [...confusion].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${pair}  ×${keys.length}: ${keys.join(", ")}`);
  }
  return lines.join("\n");
}

describe("the labelled corpus", async () => {
  const { rows, failures } = await runCorpus();
  const right = rows.filter((row) => row.result?.category === row.expected).length;
  const accuracy = right / rows.length;

  it("parses every file of the corpus", () => {
    expect(failures).toEqual([]);
    expect(rows.filter((row) => row.result === null).map((row) => row.key)).toEqual([]);
  });

  it(`classifies at least ${percent(MIN_ACCURACY)} of the messages into their labelled category`, () => {
    const report = `accuracy ${right}/${rows.length} = ${percent(accuracy)}\n${summary(rows)}`;
    expect(accuracy, report).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });

  it("never declines ordinary mail, a business meeting or a family function", () => {
    const declined = rows
      .filter(
        (row) =>
          NEVER_DECLINED.includes(row.expected) &&
          (row.result?.action === "decline" || row.result?.action === "decline_firmly"),
      )
      .map(
        (row) => `${row.key} (${row.expected}, got ${row.result?.category}/${row.result?.action})`,
      );
    expect(declined).toEqual([]);
  });
});
