import type { Hono } from "hono";
import type { Account } from "../../adapters/dynamo/accounts.ts";
import type { LedgerRecord } from "../../core/ledger.ts";
import { type HealthInput, LOOKBACK_DAYS, renderSummaryPreview } from "../../core/summary/index.ts";
import { isoWeekPeriod, localDate, periodEndingOn } from "../../core/summary/week.ts";
import type { AppContext } from "../context.ts";
import { SummaryPage } from "../pages/summary.tsx";
import type { WebEnv } from "../types.ts";

const DAY_MS = 86_400_000;
const WEEK = /^\d{4}-W\d{2}$/;

/**
 * The framed document's own policy: the summary is email HTML, inline styles and all (Gmail
 * ignores stylesheets), so it gets `style-src 'unsafe-inline'` — and nothing else: no script,
 * sandboxed, framed only by this site. Everything in it was escaped by the summary builder.
 */
const FRAME_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

function health(account: Account): HealthInput {
  const connected = account.connection.state === "connected" && account.hasRefreshToken;
  return {
    google: connected ? "connected" : "disconnected",
    problems:
      account.connection.state === "disconnected"
        ? [`Google is disconnected: ${account.connection.reason}.`]
        : [],
    parseFailures: 0,
  };
}

export function summaryRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps, config } = ctx;

  const render = async (account: Account, weekQuery: string | undefined) => {
    const now = deps.now();
    const zone = account.settings.timeZone;
    const requested = weekQuery?.trim().toUpperCase() ?? "";
    const period =
      WEEK.test(requested) && isoWeekPeriod(requested, zone)
        ? isoWeekPeriod(requested, zone)
        : null;
    const badWeek = requested !== "" && period === null;
    const end = (period ?? periodEndingOn(localDate(now, zone), zone)).end;
    const records: LedgerRecord[] = [];
    const ledger = deps.ledger(account.accountId);
    const bounds = {
      from: new Date(end.getTime() - LOOKBACK_DAYS * DAY_MS),
      to: new Date(Math.max(now.getTime(), end.getTime())),
    };
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await ledger.listInvitations(bounds, {
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      records.push(...result.items);
      if (!result.cursor) break;
      cursor = result.cursor;
    }
    const preview = renderSummaryPreview({
      records,
      settings: account.settings,
      now,
      ...(period ? { week: requested } : {}),
      health: health(account),
      settingsUrl: `${config.origin}/settings`,
    });
    return { preview, week: period ? requested : "", badWeek };
  };

  app.get("/summary", async (c) => {
    const auth = c.get("auth");
    const { preview, week, badWeek } = await render(auth.account, c.req.query("week"));
    return c.html(
      <SummaryPage
        auth={auth}
        week={week}
        badWeek={badWeek}
        subject={preview.subject}
        text={preview.text}
      />,
    );
  });

  app.get("/summary/frame", async (c) => {
    const auth = c.get("auth");
    const { preview } = await render(auth.account, c.req.query("week"));
    c.header("Content-Security-Policy", FRAME_CSP);
    c.header("X-Frame-Options", "SAMEORIGIN");
    return c.html(preview.html);
  });
}
