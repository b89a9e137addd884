import { readFile, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { LedgerRecordSchema } from "../adapters/dynamo/items.ts";
import type { LedgerRecord } from "../core/ledger.ts";
import { LOOKBACK_DAYS, previewPeriod, renderSummaryPreview } from "../core/summary/index.ts";
import type { Settings } from "../schemas/settings.ts";
import { UsageError } from "./errors.ts";
import { loadSettingsFile } from "./settings-file.ts";

/** Where `--store local` finds the local DynamoDB (dynalite) data, under the working directory. */
export const LOCAL_DATA_DIR = join(".data", "dynamodb");

export interface SummaryCliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  now: () => Date;
  cwd: string;
}

export const SUMMARY_USAGE = `Usage: decorum summary [options]

Renders the weekly summary from a ledger without sending it: the plain-text part on stdout,
the HTML part into --out.

Options:
  --store memory|local  memory (default): the records of --ledger FILE; local: the local
                        store in ${LOCAL_DATA_DIR} (stop \`decorum start\` first)
  --ledger FILE         a JSON array or JSON Lines file of ledger records
  --account ID          the account to summarise in the local store (default: the only one)
  --settings FILE       settings JSON (default: the account's, or the defaults)
  --week YYYY-Www       the ISO week to summarise, in the owner's time zone
                        (default: the seven days before today)
  --out FILE.html       also write the HTML part here
`;

const STORES = ["memory", "local"] as const;

interface Source {
  records: LedgerRecord[];
  settings: Settings | null;
}

/**
 * `decorum summary`: 0 when rendered, 1 for bad usage or settings, 2 when the ledger or the local
 * store cannot be read or the HTML cannot be written.
 */
export async function runSummary(argv: string[], io: SummaryCliIO): Promise<number> {
  try {
    return await summary(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`decorum summary: ${error.message}\n`);
      return 1;
    }
    if (error instanceof InputError) {
      io.stderr.write(`decorum summary: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

class InputError extends Error {}

async function summary(argv: string[], io: SummaryCliIO): Promise<number> {
  const { values } = parseOptions(argv);
  if (values.help) {
    io.stdout.write(SUMMARY_USAGE);
    return 0;
  }
  const store = STORES.find((candidate) => candidate === values.store);
  if (!store)
    throw new UsageError(`--store must be one of ${STORES.join(", ")} (got '${values.store}')`);
  if (store === "local" && values.ledger)
    throw new UsageError("give either --ledger or --store local");
  if (store === "memory" && values.account) throw new UsageError("--account needs --store local");

  const now = io.now();
  const fileSettings = values.settings ? await loadSettingsFile(at(io.cwd, values.settings)) : null;
  // The period depends on the owner's zone, which may come from the store: check the key first.
  if (values.week !== undefined) checkWeek(values.week);

  const source: Source =
    store === "local"
      ? await readLocalStore(io.cwd, values.account, io.now, (zone) =>
          range(values.week, fileSettings?.timeZone ?? zone, now),
        )
      : {
          records: values.ledger ? await readLedgerFile(at(io.cwd, values.ledger)) : [],
          settings: null,
        };
  const settings = fileSettings ?? source.settings ?? (await loadSettingsFile(undefined));
  if (store === "memory" && !values.ledger) {
    io.stderr.write("decorum summary: no --ledger given; showing an empty week\n");
  }

  const preview = renderSummaryPreview({
    records: source.records,
    settings,
    now,
    ...(values.week !== undefined ? { week: values.week } : {}),
  });
  io.stdout.write(`Subject: ${preview.subject}\n\n${preview.text}`);
  if (values.out) {
    const out = at(io.cwd, values.out);
    try {
      await writeFile(out, preview.html, "utf8");
    } catch (error) {
      throw new InputError(`cannot write ${values.out}: ${describe(error)}`);
    }
    io.stderr.write(`decorum summary: wrote the HTML part to ${values.out}\n`);
  }
  return 0;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        store: { type: "string", default: "memory" },
        ledger: { type: "string" },
        account: { type: "string" },
        settings: { type: "string" },
        week: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(describe(error));
  }
}

function checkWeek(week: string): void {
  try {
    previewPeriod(week, "UTC", new Date());
  } catch (error) {
    throw new UsageError(`--week: ${describe(error)}`);
  }
}

/** The arrival times a preview reads: its period, the lookback before it, and up to now. */
function range(week: string | undefined, zone: string, now: Date): { from: Date; to: Date } {
  const period = previewPeriod(week, zone, now);
  return {
    from: new Date(period.end.getTime() - LOOKBACK_DAYS * 86_400_000),
    to: new Date(Math.max(now.getTime(), period.end.getTime())),
  };
}

const LedgerFile = z.array(LedgerRecordSchema);

/** A JSON array of ledger records, or one record per line (JSON Lines). */
export async function readLedgerFile(path: string): Promise<LedgerRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ledger file ${path}: ${describe(error)}`);
  }
  const trimmed = text.trim();
  let json: unknown;
  try {
    json = trimmed.startsWith("[")
      ? JSON.parse(trimmed)
      : trimmed
          .split(/\r?\n/)
          .filter((line) => line.trim() !== "")
          .map((line) => JSON.parse(line));
  } catch (error) {
    throw new InputError(`ledger file ${path} is not JSON or JSON Lines: ${describe(error)}`);
  }
  const parsed = LedgerFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `  record ${issue.path.join(".")}: ${issue.message}`);
  throw new InputError(`ledger file ${path} has invalid records:\n${problems.join("\n")}`);
}

/**
 * Opens the local store the way `decorum start` keeps it (dynalite persisting under
 * LOCAL_DATA_DIR, the table from the shared definition) and reads one account's settings and
 * ledger. Read-only: nothing is written.
 */
async function readLocalStore(
  cwd: string,
  accountId: string | undefined,
  now: () => Date,
  rangeFor: (timeZone: string) => { from: Date; to: Date },
): Promise<Source> {
  const [
    { startLocalDynamo },
    { AccountStore },
    { DynamoLedger },
    { generateTokenKey, TokenCipher },
  ] = await Promise.all([
    import("../local/dynalite.ts"),
    import("../adapters/dynamo/accounts.ts"),
    import("../adapters/dynamo/ledger.ts"),
    import("../adapters/dynamo/crypto.ts"),
  ]);
  let local: Awaited<ReturnType<typeof startLocalDynamo>>;
  try {
    local = await startLocalDynamo({ dir: join(cwd, LOCAL_DATA_DIR) });
  } catch (error) {
    throw new InputError(
      `cannot open the local store in ${LOCAL_DATA_DIR} (is \`decorum start\` running?): ${describe(error)}`,
    );
  }
  try {
    // Listing never opens a token, so a throwaway key satisfies the store's constructor.
    const accounts = new AccountStore({
      client: local.client,
      tableName: local.tableName,
      cipher: TokenCipher.fromBase64(generateTokenKey()),
    });
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await accounts.listAccounts(cursor ? { cursor } : {});
      all.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    const account = accountId ? all.find((a) => a.accountId === accountId) : all[0];
    if (!account) {
      throw new InputError(
        accountId
          ? `no account '${accountId}' in the local store (it has: ${all.map((a) => a.accountId).join(", ") || "none"})`
          : "the local store has no account yet: connect one with `decorum start` first",
      );
    }
    if (!accountId && all.length > 1) {
      throw new UsageError(
        `the local store has ${all.length} accounts; choose one with --account (${all.map((a) => a.accountId).join(", ")})`,
      );
    }
    const ledger = new DynamoLedger({
      client: local.client,
      tableName: local.tableName,
      accountId: account.accountId,
      retentionDays: account.settings.retentionDays,
      // Expiry is judged by the CLI's clock, like everything else in the preview.
      now,
    });
    const records: LedgerRecord[] = [];
    let page: string | undefined;
    do {
      const listed = await ledger.listInvitations(rangeFor(account.settings.timeZone), {
        limit: 1000,
        ...(page ? { cursor: page } : {}),
      });
      records.push(...listed.items);
      page = listed.cursor ?? undefined;
    } while (page);
    const settings = account.settings.owner.email
      ? account.settings
      : { ...account.settings, owner: { ...account.settings.owner, email: account.email } };
    return { records, settings };
  } finally {
    await local.close();
  }
}

function at(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
