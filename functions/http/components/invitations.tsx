import type { LedgerRecord } from "../../core/ledger.ts";
import { ACTION_LABELS, CATEGORY_LABELS, displayText } from "../../core/summary/index.ts";

/** Gmail web links; ids are Gmail's, but they are encoded anyway: they come from stored data. */
export function gmailThreadUrl(threadId: string): string {
  return `https://mail.google.com/mail/u/0/#all/${encodeURIComponent(threadId)}`;
}
export const GMAIL_DRAFTS_URL = "https://mail.google.com/mail/u/0/#drafts";

export function clientPath(client: string): string {
  return `/clients/${encodeURIComponent(client)}`;
}

function formatWhen(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

function draftText(record: LedgerRecord): string | null {
  switch (record.draft.state) {
    case "drafted":
      return "Reply drafted in Gmail";
    case "decided":
    case "drafting":
      return "Reply being drafted";
    default:
      return null;
  }
}

/**
 * One invitation: what it was, what Decorum did and why, and where to find it in Gmail. Every
 * string from mail (subject, sender) is attacker-controlled: hono/jsx escapes it, and
 * displayText removes control and bidi characters that could disguise it.
 */
export function InvitationItem(props: {
  record: LedgerRecord;
  timeZone: string;
  showClient?: boolean;
}) {
  const { record, timeZone } = props;
  const subject = displayText(record.subject, 160) || "(no subject)";
  const sender = record.from
    ? `${displayText(record.from.name, 60)} <${displayText(record.from.address, 100)}>`.trim()
    : "unknown sender";
  const draft = draftText(record);
  return (
    <li>
      <div class="item-head">
        <h3>{subject}</h3>
        <span class={`tag ${record.action}`}>{ACTION_LABELS[record.action]}</span>
        <span class="tag">{CATEGORY_LABELS[record.category]}</span>
      </div>
      <p class="meta">
        {formatWhen(record.receivedAt, timeZone)} · from {sender}
        {props.showClient !== false && record.client ? (
          <>
            {" "}
            · client <a href={clientPath(record.client)}>{displayText(record.client, 100)}</a>
          </>
        ) : null}
      </p>
      {record.event ? (
        <p class="meta">
          Event: {displayText(record.event.summary, 120) || "(untitled)"},{" "}
          {formatWhen(record.event.start, timeZone)}
          {record.event.location ? ` · ${displayText(record.event.location, 80)}` : ""}
        </p>
      ) : null}
      {record.reasons.length > 0 ? (
        <ul class="reasons" aria-label="Why">
          {record.reasons.map((reason) => (
            <li>{displayText(reason.explanation, 300)}</li>
          ))}
        </ul>
      ) : null}
      <p class="links">
        {record.gmail ? (
          <a href={gmailThreadUrl(record.gmail.threadId)} rel="noopener noreferrer" target="_blank">
            Open the thread in Gmail<span class="visually-hidden"> (opens a new tab)</span>
          </a>
        ) : null}
        {draft ? (
          record.draft.state === "drafted" ? (
            <a href={GMAIL_DRAFTS_URL} rel="noopener noreferrer" target="_blank">
              {draft}
              <span class="visually-hidden"> (opens Gmail's drafts in a new tab)</span>
            </a>
          ) : (
            <span>{draft}</span>
          )
        ) : null}
      </p>
    </li>
  );
}
