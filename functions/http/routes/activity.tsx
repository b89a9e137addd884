import type { Hono } from "hono";
import { StoreError } from "../../adapters/dynamo/errors.ts";
import type { Page } from "../../adapters/dynamo/paging.ts";
import type { LedgerRecord } from "../../core/ledger.ts";
import { addDays, isoWeekday, isoWeekOf, localDate } from "../../core/summary/week.ts";
import { Category } from "../../core/vocabulary.ts";
import type { WeekCount } from "../components/chart.tsx";
import type { AppContext } from "../context.ts";
import { ActivityPage, ClientPage } from "../pages/activity.tsx";
import type { WebEnv } from "../types.ts";

const DAY_MS = 86_400_000;
const PAGE_SIZE = 25;
export const CHART_WEEKS = 12;
const MAX_CLIENT_LENGTH = 320;

/** The activity list and the per-client view. Every read is of the session's own account. */
export function activityRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps } = ctx;

  const range = (retentionDays: number) => {
    const now = deps.now();
    // A sender can write a future date into a header; a year ahead still lists it.
    return {
      from: new Date(now.getTime() - retentionDays * DAY_MS),
      to: new Date(now.getTime() + 366 * DAY_MS),
    };
  };

  /** A page of the listing; a cursor that does not fit (edited, or from elsewhere) restarts it. */
  const list = async (
    accountId: string,
    bounds: { from: Date; to: Date },
    options: { client?: string; category?: Category; cursor?: string; limit: number },
  ): Promise<{ page: Page<LedgerRecord>; badCursor: boolean }> => {
    const ledger = deps.ledger(accountId);
    try {
      return { page: await ledger.listInvitations(bounds, options), badCursor: false };
    } catch (error) {
      if (!(error instanceof StoreError && error.kind === "invalid" && options.cursor)) throw error;
      const { cursor: _dropped, ...rest } = options;
      return { page: await ledger.listInvitations(bounds, rest), badCursor: true };
    }
  };

  app.get("/", async (c) => {
    const auth = c.get("auth");
    const { settings, accountId } = auth.account;
    const clientQuery = (c.req.query("client") ?? "").trim().toLowerCase();
    const client = clientQuery.slice(0, MAX_CLIENT_LENGTH) || undefined;
    const categoryQuery = Category.safeParse(c.req.query("category"));
    const category = categoryQuery.success ? categoryQuery.data : undefined;
    const cursor = c.req.query("cursor") || undefined;
    const { page, badCursor } = await list(accountId, range(settings.retentionDays), {
      limit: PAGE_SIZE,
      ...(client ? { client } : {}),
      ...(category ? { category } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const message = c.req.query("m");
    return c.html(
      <ActivityPage
        auth={auth}
        records={page.items}
        next={page.cursor}
        filters={{ client: client ?? "", category: category ?? "" }}
        notices={{ watchFailed: message === "watch-failed", badCursor }}
      />,
    );
  });

  app.get("/clients/:client", async (c) => {
    const auth = c.get("auth");
    const { settings, accountId } = auth.account;
    const client = c.req.param("client").trim().toLowerCase();
    if (client === "" || client.length > MAX_CLIENT_LENGTH) return c.notFound();
    const cursor = c.req.query("cursor") || undefined;
    const now = deps.now();
    const zone = settings.timeZone;
    const thisMonday = mondayOf(localDate(now, zone));
    const firstMonday = addDays(thisMonday, -7 * (CHART_WEEKS - 1));
    const chartFrom = new Date(now.getTime() - (CHART_WEEKS * 7 + 1) * DAY_MS);

    const [history, recent] = await Promise.all([
      list(accountId, range(settings.retentionDays), {
        client,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
      allInvitations(deps.ledger(accountId), { from: chartFrom, to: range(0).to }, client),
    ]);
    const weeks = weeklyCounts(recent, zone, firstMonday, CHART_WEEKS);
    const windowFrom = now.getTime() - settings.frequency.windowDays * DAY_MS;
    const inWindow = recent.filter((record) => {
      const at = Date.parse(record.receivedAt);
      return at >= windowFrom && at <= now.getTime();
    }).length;
    return c.html(
      <ClientPage
        auth={auth}
        client={client}
        records={history.page.items}
        next={history.page.cursor}
        weeks={weeks}
        inWindow={inWindow}
        badCursor={history.badCursor}
      />,
    );
  });
}

async function allInvitations(
  ledger: ReturnType<AppContext["deps"]["ledger"]>,
  bounds: { from: Date; to: Date },
  client: string,
): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  let cursor: string | undefined;
  // A client with more than a few thousand invitations in 12 weeks is not a real client.
  for (let page = 0; page < 10; page++) {
    const result = await ledger.listInvitations(bounds, {
      client,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...result.items);
    if (!result.cursor) break;
    cursor = result.cursor;
  }
  return out;
}

function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** Invitations per ISO week (the owner's zone), for `count` weeks from `firstMonday`. */
export function weeklyCounts(
  records: readonly LedgerRecord[],
  timeZone: string,
  firstMonday: string,
  count: number,
): WeekCount[] {
  const weeks: WeekCount[] = [];
  const index = new Map<string, WeekCount>();
  for (let i = 0; i < count; i++) {
    const monday = addDays(firstMonday, 7 * i);
    const week = { week: isoWeekOf(monday), monday, count: 0 };
    weeks.push(week);
    index.set(week.week, week);
  }
  for (const record of records) {
    const at = new Date(record.receivedAt);
    if (Number.isNaN(at.getTime())) continue;
    const week = index.get(isoWeekOf(localDate(at, timeZone)));
    if (week) week.count++;
  }
  return weeks;
}
