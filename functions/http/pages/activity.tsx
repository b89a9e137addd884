import type { LedgerRecord } from "../../core/ledger.ts";
import { CATEGORY_LABELS, displayText } from "../../core/summary/index.ts";
import { CATEGORIES } from "../../core/vocabulary.ts";
import { type WeekCount, WeeklyChart } from "../components/chart.tsx";
import { InvitationItem } from "../components/invitations.tsx";
import { Layout, Notice } from "../components/layout.tsx";
import type { AuthState } from "../types.ts";

function AccountNotices(props: { auth: AuthState }) {
  const { account } = props.auth;
  const { connection, settings } = account;
  return (
    <>
      {connection.state === "disconnected" ? (
        <Notice kind="warn" role="alert">
          Decorum is not connected to Google ({connection.reason}), so it is not reading your mail.{" "}
          <a href="/auth/google">Connect Google again</a>.
        </Notice>
      ) : null}
      {settings.paused ? (
        <Notice kind="warn">
          Decorum is paused: it does nothing until you turn this off in{" "}
          <a href="/settings#paused">Settings</a>.
        </Notice>
      ) : null}
      {settings.dryRun ? (
        <Notice>
          Dry run: Decorum records its decisions but writes no drafts (
          <a href="/settings#dryRun">Settings</a>).
        </Notice>
      ) : null}
    </>
  );
}

function pageLink(base: string, params: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ""));
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

export function ActivityPage(props: {
  auth: AuthState;
  records: readonly LedgerRecord[];
  next: string | null;
  filters: { client: string; category: string };
  notices: { watchFailed: boolean; badCursor: boolean };
}) {
  const { auth, records, filters } = props;
  const { settings } = auth.account;
  const clients = [
    ...new Set([
      ...records.flatMap((record) => (record.client ? [record.client] : [])),
      ...settings.clients.domains,
      ...settings.clients.addresses,
    ]),
  ].sort();
  const filtered = filters.client !== "" || filters.category !== "";
  return (
    <Layout title="Activity" current="/" auth={auth}>
      <h1>Activity</h1>
      <p class="lead">
        The invitations Decorum has seen from your clients, newest first, with what it did and why.
      </p>
      <AccountNotices auth={auth} />
      {props.notices.watchFailed ? (
        <Notice kind="warn">
          You are signed in, but Decorum could not start watching Gmail and Calendar yet. It also
          checks every 15 minutes, and will try again.
        </Notice>
      ) : null}
      {props.notices.badCursor ? (
        <Notice kind="warn">
          That page link no longer fits this list, so it starts again here.
        </Notice>
      ) : null}
      <form class="filters" method="get" action="/" aria-label="Filter invitations">
        <div class="field">
          <label for="filter-client">Client</label>
          <input
            type="search"
            id="filter-client"
            name="client"
            value={filters.client}
            list="known-clients"
            autocomplete="off"
            placeholder="domain or address"
          />
          <datalist id="known-clients">
            {clients.map((client) => (
              <option value={client} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="filter-category">Category</label>
          <select id="filter-category" name="category">
            <option value="" selected={filters.category === ""}>
              All categories
            </option>
            {CATEGORIES.filter((c) => c !== "not_invitation").map((category) => (
              <option value={category} selected={filters.category === category}>
                {CATEGORY_LABELS[category]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
        {filtered ? (
          <a class="button secondary" href="/">
            Clear filters
          </a>
        ) : null}
      </form>
      <h2 class="visually-hidden">Invitations</h2>
      {records.length === 0 ? (
        <p>
          {filtered
            ? "No invitations match these filters."
            : "No invitations yet. Decorum lists them here as they arrive; you can also try one on the Try it page."}
        </p>
      ) : (
        <ol class="items">
          {records.map((record) => (
            <InvitationItem record={record} timeZone={settings.timeZone} />
          ))}
        </ol>
      )}
      {props.next ? (
        <p>
          <a class="button secondary" href={pageLink("/", { ...filters, cursor: props.next })}>
            Older invitations
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function ClientPage(props: {
  auth: AuthState;
  client: string;
  records: readonly LedgerRecord[];
  next: string | null;
  weeks: readonly WeekCount[];
  inWindow: number;
  badCursor: boolean;
}) {
  const { auth, client } = props;
  const { settings } = auth.account;
  const name = displayText(client, 120);
  const established = settings.clients.established.includes(client);
  const { threshold, windowDays } = settings.frequency;
  const total = props.weeks.reduce((sum, week) => sum + week.count, 0);
  return (
    <Layout title={`Client ${name}`} current="/" auth={auth}>
      <p>
        <a href="/">← All activity</a>
      </p>
      <h1>Client: {name}</h1>
      <dl class="facts">
        <dt>Relationship</dt>
        <dd>
          {established
            ? "Established — you marked it so (rule 2: home visits may be accepted)."
            : `Not marked established; after ${settings.clients.establishedAfterDays} days of correspondence it counts as established (rule 2).`}
        </dd>
        <dt>Last {windowDays} days</dt>
        <dd>
          {props.inWindow} invitation{props.inWindow === 1 ? "" : "s"}; the {threshold}
          {ordinalSuffix(threshold)} meal, drink, outing or home visit in {windowDays} days is
          declined (rule 4).
        </dd>
      </dl>
      <h2>Invitations per week</h2>
      <WeeklyChart
        weeks={props.weeks}
        label={`Invitations from ${name} per week, last ${props.weeks.length} weeks: ${total} in all`}
      />
      <h2>History</h2>
      {props.badCursor ? (
        <Notice kind="warn">
          That page link no longer fits this list, so it starts again here.
        </Notice>
      ) : null}
      {props.records.length === 0 ? (
        <p>No invitations from this client are on record.</p>
      ) : (
        <ol class="items">
          {props.records.map((record) => (
            <InvitationItem record={record} timeZone={settings.timeZone} showClient={false} />
          ))}
        </ol>
      )}
      {props.next ? (
        <p>
          <a
            class="button secondary"
            href={pageLink(`/clients/${encodeURIComponent(client)}`, { cursor: props.next })}
          >
            Older invitations
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function ordinalSuffix(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
