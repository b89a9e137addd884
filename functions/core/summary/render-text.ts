import { displayText } from "./html.ts";
import { ACTION_LABELS, CATEGORY_LABELS, plural, senderText } from "./labels.ts";
import type { Limited, SummaryItem, SummaryModel } from "./model.ts";
import { formatDate, formatLocal, formatPeriod } from "./week.ts";

const WIDTH = 76;
const BAR_WIDTH = 30;

/** The plain-text part: the same content, readable on its own in any mail client. */
export function renderSummaryText(model: SummaryModel): string {
  const out: string[] = [];
  out.push(`DECORUM — YOUR WEEK`, formatPeriod(model.period), "");
  out.push(
    ...wrap(
      `Hello ${displayText(model.owner.name, 60)}, here is what Decorum saw and did for you this week.`,
    ),
  );
  if (model.empty) {
    out.push(
      "",
      ...wrap(
        "A quiet week: no invitations from clients, no drafts waiting, and nothing that needs you. Decorum is connected and watching.",
      ),
    );
    if (model.settingsUrl) {
      out.push(
        "",
        ...wrap(
          `Prefer no email on quiet weeks? Change it at ${anchor(model.settingsUrl, "summary")}`,
        ),
      );
    }
    return finish(out, model);
  }
  numbers(out, model);
  attention(out, model);
  clients(out, model);
  upcoming(out, model);
  chart(out, model);
  health(out, model);
  return finish(out, model);
}

function heading(out: string[], title: string) {
  out.push("", title.toUpperCase(), "─".repeat(title.length));
}

function numbers(out: string[], model: SummaryModel) {
  const n = model.numbers;
  heading(out, "The week in numbers");
  const waiting = n.draftsWaiting === null ? "unknown" : String(n.draftsWaiting);
  out.push(
    `  ${plural(n.invitations, "invitation")} · ${plural(n.draftsCreated, "draft")} created · ${waiting} still unsent in Gmail`,
  );
  if (n.byCategory.length) {
    const list = n.byCategory
      .map((row) => `${CATEGORY_LABELS[row.category]} ${row.count}`)
      .join(", ");
    out.push(...wrap(`By category: ${list}`, "  ", "    "));
  }
  if (n.byAction.length) {
    const list = n.byAction.map((row) => `${ACTION_LABELS[row.action]} ${row.count}`).join(", ");
    out.push(...wrap(`What Decorum did: ${list}`, "  ", "    "));
  }
  if (n.draftsGone) {
    out.push(`  ${plural(n.draftsGone, "draft")} from this week already sent or discarded.`);
  }
}

function attention(out: string[], model: SummaryModel) {
  heading(out, "What needs you");
  const { review, declinedFirmly, socialPersonal, draftsWaiting } = model.attention;
  const tz = model.period.timeZone;
  const groups: Array<[string, Limited<SummaryItem>]> = [
    ["Drafts waiting for you to send", draftsWaiting],
    ["Decide these yourself", review],
    ["Declined firmly", declinedFirmly],
    ["Personal social-network requests to ignore", socialPersonal],
  ];
  let any = false;
  for (const [title, list] of groups) {
    if (list.items.length === 0) continue;
    any = true;
    out.push("", `  ${title} (${list.items.length + list.more})`);
    for (const item of list.items) {
      const when = formatLocal(new Date(item.receivedAt), tz, false);
      const subject = displayText(item.subject || "(no subject)");
      out.push(
        ...wrap(
          `• "${subject}" — ${senderText(item.fromName, item.fromAddress)}, ${when}`,
          "  ",
          "    ",
        ),
      );
      out.push(...wrap(displayText(item.note, 300), "    ", "    "));
    }
    more(out, list.more);
  }
  if (!any) out.push("  Nothing needs you this week.");
}

function clients(out: string[], model: SummaryModel) {
  const list = model.clients;
  if (list.items.length === 0) return;
  heading(out, "Clients");
  out.push("  (this week / 30 days / 90 days)");
  for (const row of list.items) {
    const flag = row.flagged ? "  [OFTEN]" : "";
    out.push(
      ...wrap(
        `${displayText(row.client, 80)}: ${row.week} / ${row.last30} / ${row.last90}${flag}`,
        "  ",
        "    ",
      ),
    );
    const categories = row.categories
      .map((c) => `${CATEGORY_LABELS[c.category]} ${c.count}`)
      .join(", ");
    const actions = row.actions.map((a) => `${ACTION_LABELS[a.action]} ${a.count}`).join(", ");
    out.push(...wrap(`${categories} → ${actions}`, "    ", "    "));
  }
  if (list.items.some((row) => row.flagged)) {
    out.push(
      ...wrap(
        "[OFTEN]: invited at or past your frequency threshold this week; Decorum declined the extra ones politely.",
        "  ",
        "  ",
      ),
    );
  }
  more(out, list.more);
}

function upcoming(out: string[], model: SummaryModel) {
  const list = model.upcoming;
  if (list.items.length === 0) return;
  heading(out, "Coming up");
  for (const item of list.items) {
    const kind = item.kind === "travel" ? "Travel" : "Family function";
    const where = item.location ? `, ${displayText(item.location, 80)}` : "";
    const who = item.fromName ? ` (from ${displayText(item.fromName, 60)})` : "";
    out.push("", ...wrap(`• ${displayText(item.summary)}${who}`, "  ", "    "));
    out.push(
      ...wrap(
        `${kind}: ${formatLocal(new Date(item.start), model.period.timeZone)}${where}`,
        "    ",
        "    ",
      ),
    );
    for (const line of item.guidance) out.push(...wrap(`- ${line}`, "    ", "      "));
  }
  more(out, list.more);
}

function chart(out: string[], model: SummaryModel) {
  heading(out, "Invitations per week");
  const max = Math.max(1, ...model.chart.map((week) => week.count));
  for (const week of model.chart) {
    const length = week.count === 0 ? 0 : Math.max(1, Math.round((week.count / max) * BAR_WIDTH));
    const label = formatDate(week.startDate).padEnd(7);
    const mark = week.current ? "  ← this week" : "";
    out.push(`  ${label} ${"█".repeat(length)} ${week.count}${mark}`.trimEnd());
  }
}

function health(out: string[], model: SummaryModel) {
  heading(out, "Account health");
  const h = model.health;
  const issues: string[] = [];
  if (h.google === "disconnected") {
    issues.push("Google access is disconnected: Decorum cannot read new mail until you reconnect.");
  }
  issues.push(...h.problems.map((problem) => displayText(problem, 300)));
  if (h.parseFailures > 0)
    issues.push(`${plural(h.parseFailures, "message")} this week could not be read.`);
  if (h.draftsUnchecked) issues.push("Decorum could not check which drafts are still in Gmail.");
  if (issues.length === 0) {
    out.push(
      ...wrap(
        "All good: Google is connected, the mail and calendar watches are live, and every message was read.",
        "  ",
        "  ",
      ),
    );
    return;
  }
  for (const issue of issues) out.push(...wrap(`• ${issue}`, "  ", "    "));
  if (model.settingsUrl)
    out.push(`  Check the connection: ${anchor(model.settingsUrl, "connection")}`);
}

function finish(out: string[], model: SummaryModel): string {
  out.push("", "─".repeat(WIDTH));
  if (model.settingsUrl) {
    out.push(`Settings: ${anchor(model.settingsUrl, "")}`);
    out.push(`Change when this summary arrives: ${anchor(model.settingsUrl, "summary")}`);
  } else {
    out.push("Change these settings with the Decorum settings page.");
  }
  out.push(
    ...wrap(
      "Decorum drafts replies but never sends them; this weekly summary is the only email it sends, and only to you.",
    ),
  );
  return `${out.join("\n")}\n`;
}

function more(out: string[], count: number) {
  if (count > 0) out.push(`    …and ${count} more on the settings page.`);
}

function anchor(base: string, fragment: string): string {
  const url = new URL(base);
  url.hash = fragment;
  return url.toString();
}

/** Word-wraps to WIDTH; a word longer than the line is left whole rather than split. */
function wrap(text: string, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(" ").filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
