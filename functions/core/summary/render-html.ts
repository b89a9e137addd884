import { displayText, type HtmlValue, html, type SafeHtml } from "./html.ts";
import { ACTION_LABELS, CATEGORY_LABELS, plural, senderText } from "./labels.ts";
import type {
  ChartWeek,
  ClientRow,
  Limited,
  SummaryItem,
  SummaryModel,
  UpcomingItem,
} from "./model.ts";
import { formatDate, formatLocal, formatPeriod } from "./week.ts";

/*
 * Email HTML that Gmail, Outlook (Word engine) and Apple Mail render alike: table layout, inline
 * styles and bgcolor/width attributes only — no <style> classes, scripts, web fonts or remote
 * images. The 600px column shrinks on phones (max-width, percentage bars); the MSO conditional
 * table pins it to 600px in Outlook, which ignores max-width.
 */

const FONT =
  "font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif";
const INK = "#1f2937";
const MUTED = "#6b7280";
const ACCENT = "#1f3a5f";
const BAR = "#3b6ea5";
const BAR_CURRENT = "#c2410c";
const RULE = "#e5e7eb";
const WARN_BG = "#fef3c7";
const WRAP = "word-break:break-word;overflow-wrap:anywhere;";

/** The HTML part: a whole document. */
export function renderSummaryHtml(model: SummaryModel): string {
  const title = `Decorum — your week, ${formatPeriod(model.period)}`;
  const body = model.empty ? emptyBody(model) : fullBody(model);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f5" style="background-color:#f4f4f5;">
<tr><td align="center" style="padding:16px 0;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;${FONT};color:${INK};font-size:15px;line-height:1.5;">
${header(model)}
${body}
${footer(model)}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`.toString();
}

function header(model: SummaryModel): SafeHtml {
  const name = displayText(model.owner.name, 60);
  return html`<tr><td bgcolor="${ACCENT}" style="background-color:${ACCENT};color:#ffffff;padding:20px 24px;">
<div style="font-size:12px;letter-spacing:2px;text-transform:uppercase;opacity:0.85;">Decorum</div>
<div style="font-size:22px;font-weight:bold;margin-top:4px;">Your week</div>
<div style="font-size:14px;margin-top:2px;">${formatPeriod(model.period)}</div>
</td></tr>
<tr><td style="padding:20px 24px 0 24px;${WRAP}">Hello ${name}, here is what Decorum saw and did for you this week.</td></tr>`;
}

function emptyBody(model: SummaryModel): SafeHtml {
  return html`<tr><td style="padding:16px 24px;">A quiet week: no invitations from clients, no drafts waiting, and nothing that needs you. Decorum is connected and watching.</td></tr>
${model.settingsUrl ? html`<tr><td style="padding:0 24px 16px 24px;color:${MUTED};font-size:13px;">Prefer no email on quiet weeks? ${link(model.settingsUrl, "summary", "Change it in your summary settings")}.</td></tr>` : ""}`;
}

function fullBody(model: SummaryModel): SafeHtml {
  return html`${numbers(model)}
${attention(model)}
${clients(model.clients)}
${upcoming(model)}
${chart(model.chart)}
${health(model)}`;
}

function section(title: string, content: HtmlValue): SafeHtml {
  return html`<tr><td style="padding:20px 24px 0 24px;">
<div style="font-size:17px;font-weight:bold;color:${ACCENT};border-bottom:1px solid ${RULE};padding-bottom:6px;margin-bottom:10px;">${title}</div>
${content}
</td></tr>`;
}

function numbers(model: SummaryModel): SafeHtml {
  const n = model.numbers;
  const tile = (value: string, label: string) =>
    html`<td width="33%" align="center" valign="top" bgcolor="#f8fafc" style="width:33%;background-color:#f8fafc;border:1px solid ${RULE};padding:10px 4px;">
<div style="font-size:26px;font-weight:bold;color:${ACCENT};">${value}</div>
<div style="font-size:12px;color:${MUTED};">${label}</div></td>`;
  const waiting = n.draftsWaiting === null ? "?" : String(n.draftsWaiting);
  const tiles = html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;"><tr>
${tile(String(n.invitations), n.invitations === 1 ? "invitation" : "invitations")}
<td width="8" style="width:8px;"></td>
${tile(String(n.draftsCreated), n.draftsCreated === 1 ? "draft created" : "drafts created")}
<td width="8" style="width:8px;"></td>
${tile(waiting, "still unsent in Gmail")}
</tr></table>`;
  const categories = n.byCategory.map((row) => `${CATEGORY_LABELS[row.category]} ${row.count}`);
  const actions = n.byAction.map((row) => `${ACTION_LABELS[row.action]} ${row.count}`);
  const gone =
    n.draftsGone && n.draftsGone > 0
      ? html`<div style="margin-top:6px;color:${MUTED};font-size:13px;">${plural(n.draftsGone, "draft")} from this week already sent or discarded.</div>`
      : "";
  return section(
    "The week in numbers",
    html`${tiles}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin-top:10px;font-size:14px;">
<tr><td valign="top" width="50%" style="width:50%;padding-right:8px;${WRAP}"><strong>By category</strong><br>${categories.length ? categories.join(" · ") : "—"}</td>
<td valign="top" width="50%" style="width:50%;padding-left:8px;${WRAP}"><strong>What Decorum did</strong><br>${actions.length ? actions.join(" · ") : "—"}</td></tr>
</table>${gone}`,
  );
}

function attention(model: SummaryModel): SafeHtml {
  const { review, declinedFirmly, socialPersonal, draftsWaiting } = model.attention;
  const tz = model.period.timeZone;
  const groups = [
    group("Drafts waiting for you to send", draftsWaiting, tz),
    group("Decide these yourself", review, tz),
    group("Declined firmly", declinedFirmly, tz),
    group("Personal social-network requests to ignore", socialPersonal, tz),
  ].filter((g) => g !== null);
  const content = groups.length
    ? groups
    : html`<div style="color:${MUTED};">Nothing needs you this week.</div>`;
  return section("What needs you", content);
}

function group(title: string, list: Limited<SummaryItem>, timeZone: string): SafeHtml | null {
  if (list.items.length === 0) return null;
  return html`<div style="font-weight:bold;margin:8px 0 4px 0;">${title} (${list.items.length + list.more})</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;">
${list.items.map((item) => itemRow(item, timeZone))}
</table>${more(list.more)}`;
}

function itemRow(item: SummaryItem, timeZone: string): SafeHtml {
  const sender = senderText(item.fromName, item.fromAddress);
  const draft =
    item.draft === "waiting"
      ? " · draft waiting in Gmail"
      : item.draft === "sent_or_discarded"
        ? " · draft sent or discarded"
        : "";
  return html`<tr><td style="padding:6px 0 6px 10px;border-left:3px solid ${BAR};${WRAP}">
<div><strong>${displayText(item.subject || "(no subject)")}</strong></div>
<div style="font-size:13px;color:${MUTED};">${sender} · ${formatLocal(new Date(item.receivedAt), timeZone, false)}${draft}</div>
<div style="font-size:13px;">${displayText(item.note, 300)}</div>
</td></tr>
<tr><td height="6" style="height:6px;font-size:0;line-height:0;">&nbsp;</td></tr>`;
}

function clients(list: Limited<ClientRow>): SafeHtml {
  if (list.items.length === 0) return html``;
  const cell = `padding:6px 4px;border-bottom:1px solid ${RULE};`;
  const num = (value: number, bold = false) =>
    html`<td align="right" valign="top" width="52" style="width:52px;${cell}${bold ? "font-weight:bold;" : ""}">${value}</td>`;
  const rows = list.items.map(
    (
      row,
    ) => html`<tr${row.flagged ? html` bgcolor="${WARN_BG}" style="background-color:${WARN_BG};"` : ""}>
<td valign="top" style="${cell}${WRAP}"><strong>${displayText(row.client, 80)}</strong>${row.flagged ? html` <span style="color:${BAR_CURRENT};font-size:12px;font-weight:bold;">OFTEN</span>` : ""}
<div style="font-size:12px;color:${MUTED};">${row.categories.map((c) => `${CATEGORY_LABELS[c.category]} ${c.count}`).join(" · ")} → ${row.actions.map((a) => `${ACTION_LABELS[a.action]} ${a.count}`).join(" · ")}</div></td>
${num(row.week, true)}${num(row.last30)}${num(row.last90)}
</tr>`,
  );
  const th = (label: string, align = "right") =>
    html`<th align="${align}" style="padding:4px;font-size:12px;color:${MUTED};font-weight:normal;border-bottom:1px solid ${RULE};">${label}</th>`;
  const flaggedNote = list.items.some((row) => row.flagged)
    ? html`<div style="font-size:12px;color:${MUTED};margin-top:6px;">OFTEN: invited at or past your frequency threshold this week; Decorum declined the extra ones politely.</div>`
    : "";
  return section(
    "Clients",
    html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;font-size:14px;">
<tr>${th("Client", "left")}${th("Week")}${th("30 days")}${th("90 days")}</tr>
${rows}
</table>${flaggedNote}${more(list.more)}`,
  );
}

function upcoming(model: SummaryModel): SafeHtml {
  const list = model.upcoming;
  if (list.items.length === 0) return html``;
  const tz = model.period.timeZone;
  return section(
    "Coming up",
    html`${list.items.map((item) => upcomingRow(item, tz))}${more(list.more)}`,
  );
}

function upcomingRow(item: UpcomingItem, timeZone: string): SafeHtml {
  const kind = item.kind === "travel" ? "Travel" : "Family function";
  const where = item.location ? ` · ${displayText(item.location, 80)}` : "";
  const who = item.fromName ? ` · from ${displayText(item.fromName, 60)}` : "";
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin-bottom:10px;">
<tr><td style="padding:6px 0 6px 10px;border-left:3px solid ${BAR_CURRENT};${WRAP}">
<div><strong>${displayText(item.summary)}</strong></div>
<div style="font-size:13px;color:${MUTED};">${kind} · ${formatLocal(new Date(item.start), timeZone)}${where}${who}</div>
<ul style="margin:4px 0 0 0;padding-left:18px;font-size:13px;">${item.guidance.map((line) => html`<li>${line}</li>`)}</ul>
</td></tr></table>`;
}

function chart(weeks: readonly ChartWeek[]): SafeHtml {
  const max = Math.max(1, ...weeks.map((week) => week.count));
  const rows = weeks.map((week) => {
    const percent = week.count === 0 ? 0 : Math.max(1, Math.round((week.count / max) * 100));
    const color = week.current ? BAR_CURRENT : BAR;
    const bar =
      percent === 0
        ? html`<td height="14" style="height:14px;font-size:0;line-height:0;">&nbsp;</td>`
        : html`<td width="${percent}%" height="14" bgcolor="${color}" data-chart-count="${week.count}" style="width:${percent}%;height:14px;background-color:${color};font-size:0;line-height:0;">&nbsp;</td>${percent < 100 ? html`<td width="${100 - percent}%" style="width:${100 - percent}%;font-size:0;line-height:0;">&nbsp;</td>` : ""}`;
    return html`<tr>
<td width="64" style="width:64px;font-size:12px;color:${MUTED};padding:2px 6px 2px 0;white-space:nowrap;">${formatDate(week.startDate)}</td>
<td style="padding:2px 0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;"><tr>${bar}</tr></table></td>
<td width="32" align="right" style="width:32px;font-size:12px;padding:2px 0 2px 6px;${week.current ? "font-weight:bold;" : ""}">${week.count}</td>
</tr>`;
  });
  return section(
    "Invitations per week",
    html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;" data-chart="weeks">
<tr><td width="64" style="width:64px;"></td><td></td><td width="32" style="width:32px;"></td></tr>
${rows}
</table>
<div style="font-size:12px;color:${MUTED};margin-top:4px;">The last ${weeks.length} weeks; this week in orange.</div>`,
  );
}

function health(model: SummaryModel): SafeHtml {
  const h = model.health;
  const issues: string[] = [];
  if (h.google === "disconnected") {
    issues.push("Google access is disconnected: Decorum cannot read new mail until you reconnect.");
  }
  issues.push(...h.problems.map((problem) => displayText(problem, 300)));
  if (h.parseFailures > 0) {
    issues.push(`${plural(h.parseFailures, "message")} this week could not be read.`);
  }
  if (h.draftsUnchecked) issues.push("Decorum could not check which drafts are still in Gmail.");
  const content = issues.length
    ? html`<ul style="margin:0;padding-left:18px;${WRAP}">${issues.map((issue) => html`<li style="margin-bottom:4px;">${issue}</li>`)}</ul>${model.settingsUrl ? html`<div style="margin-top:6px;">${link(model.settingsUrl, "connection", "Check the connection")}</div>` : ""}`
    : html`<div>All good: Google is connected, the mail and calendar watches are live, and every message was read.</div>`;
  return section("Account health", content);
}

function footer(model: SummaryModel): SafeHtml {
  const links = model.settingsUrl
    ? html`${link(model.settingsUrl, "", "Settings")} · ${link(model.settingsUrl, "summary", "Change when this summary arrives")} · ${link(model.settingsUrl, "clients", "Clients and frequency")}`
    : html`Change these settings with the Decorum settings page.`;
  return html`<tr><td style="padding:24px;font-size:12px;color:${MUTED};border-top:1px solid ${RULE};">
<div style="margin-top:16px;">${links}</div>
<div style="margin-top:8px;">Decorum drafts replies but never sends them; this weekly summary is the only email it sends, and only to you.</div>
</td></tr>`;
}

function link(base: string, fragment: string, label: string): SafeHtml {
  const url = new URL(base);
  url.hash = fragment;
  return html`<a href="${url.toString()}" style="color:${ACCENT};text-decoration:underline;">${label}</a>`;
}

function more(count: number): SafeHtml | "" {
  return count > 0
    ? html`<div style="font-size:13px;color:${MUTED};">…and ${count} more on the settings page.</div>`
    : "";
}
