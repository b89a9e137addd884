import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * Writes a Google-Takeout-style mbox of `count` mixed messages: plain, HTML-only,
 * quoted-printable, base64, calendar invitations, notifications, replies. Seeded, so every run
 * measures the same input.
 */
export async function writeBenchMbox(path: string, count: number, seed = 42): Promise<number> {
  const random = mulberry32(seed);
  return writeMbox(path, count, (i) => {
    const pick = KINDS[Math.floor(random() * KINDS.length)] ?? KINDS[0];
    return pick ? pick(i, random) : "";
  });
}

/**
 * Writes an mbox of `count` marketing newsletters as most inboxes receive them: HTML only,
 * base64, about 48 KB each — a head full of styles and 40 stories in nested layout tables, with
 * inline styles, tracking links and images.
 */
export async function writeNewsletterMbox(path: string, count: number): Promise<number> {
  const style = `<style>${".c{color:#333;font-family:Arial}".repeat(150)}</style>`;
  const story = (n: number) =>
    `<tr><td style="padding:12px;font-family:Arial,sans-serif;color:#333333;font-size:14px;line-height:20px" class="c"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td><a href="https://news.example/track?u=${n}&amp;id=abcdef" style="color:#0066cc;text-decoration:none"><img src="https://news.example/img/${n}.png" width="560" alt="Story ${n}" style="display:block"></a></td></tr><tr><td style="padding-top:8px"><h2 style="margin:0;font-size:18px">Market update ${n}: rates, earnings and what it means</h2><p style="margin:8px 0">Equities rose for a third week as investors weighed central bank guidance against stronger earnings. Bond yields eased slightly. <a href="https://news.example/r/${n}">Read more</a></p></td></tr></table></td></tr>`;
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8">${style}</head><body style="margin:0"><center><table role="presentation" width="600" align="center">${Array.from({ length: 40 }, (_, n) => story(n)).join("")}</table></center></body></html>`;
  const body = Buffer.from(html).toString("base64").replace(/.{76}/g, "$&\r\n");
  return writeMbox(path, count, (i) => {
    return [
      "From: Markets Weekly <news@markets-weekly.example>",
      "To: Alex Morgan <alex@morganadvisory.example>",
      `Subject: Markets this week, issue ${i}`,
      `Date: ${messageDate(i).toUTCString()}`,
      `Message-ID: <issue-${i}@markets-weekly.example>`,
      "List-Unsubscribe: <mailto:unsubscribe@markets-weekly.example>",
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      `${body}\r\n`,
    ].join("\r\n");
  });
}

/** The i-th message's date: 37 seconds apart from 1 January 2026, in input order. */
function messageDate(i: number): Date {
  return new Date(Date.UTC(2026, 0, 1) + i * 37_000);
}

async function writeMbox(
  path: string,
  count: number,
  message: (i: number) => string,
): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const date = messageDate(i);
    const chunk = `From 16${String(i).padStart(8, "0")}@xxx ${date.toUTCString()}\r\n${escapeFrom(message(i))}\r\n`;
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

type Kind = (i: number, random: () => number) => string;

const FIRMS = [
  "harbourline",
  "northwind",
  "cobaltlegal",
  "meridianfoods",
  "brightwater",
  "quayside",
];
const PEOPLE = [
  "Ana Ruiz",
  "Ben Carter",
  "Chloé Martin",
  "Dieter Braun",
  "Emma Walsh",
  "Farid Haddad",
];

function headers(
  i: number,
  random: () => number,
  subject: string,
  contentType: string,
  extra = "",
) {
  const person = PEOPLE[Math.floor(random() * PEOPLE.length)] ?? "Ana Ruiz";
  const firm = FIRMS[Math.floor(random() * FIRMS.length)] ?? "harbourline";
  const first = person.split(" ")[0]?.toLowerCase() ?? "ana";
  const date = messageDate(i).toUTCString();
  return [
    `X-GM-THRIFT-ID: 17${String(i).padStart(12, "0")}`,
    "X-Gmail-Labels: Inbox,Opened",
    `From: ${person} <${first}@${firm}.example>`,
    "To: Alex Morgan <alex@morganadvisory.example>",
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <bench-${i}@${firm}.example>`,
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
    extra,
  ]
    .filter(Boolean)
    .join("\r\n");
}

const FILLER =
  "Please find the quarterly figures attached; we reconciled the ledger against the bank statements and the variance is within tolerance. ";

const KINDS: Kind[] = [
  (i, r) =>
    `${headers(i, r, "Drinks after work on Thursday?", "text/plain; charset=utf-8")}\r\n\r\nHi Alex,\r\nWould you like to join us for drinks after work on Thursday at the Anchor? It would be great to catch up.\r\n\r\nBest,\r\nAna\r\n`,
  (i, r) =>
    `${headers(i, r, "Q3 accounts review", "text/plain; charset=utf-8")}\r\n\r\nAlex,\r\n${FILLER.repeat(6)}\r\nCan we meet on Tuesday at 10:00 in our office to go through them?\r\n\r\nThanks,\r\nBen\r\n`,
  (i, r) =>
    `${headers(i, r, "=?UTF-8?Q?Invitaci=C3=B3n_a_la_boda?=", "text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable")}\r\n\r\nHola Alex,\r\nNos encantar=C3=ADa que vinieras a la boda de nuestra hija el s=C3=A1bado 12 =\r\nde septiembre.\r\n\r\nUn abrazo,\r\nAna\r\n`,
  (i, r) =>
    `${headers(i, r, "Poker night", "text/html; charset=utf-8")}\r\n\r\n<html><body><p>Hey Alex,</p><p>We're running our <b>poker night</b> again on Friday, buy-in is modest. Fancy it?</p><p>Cheers, Dieter</p></body></html>\r\n`,
  (i, r) =>
    `${headers(i, r, "Newsletter: markets this week", "text/plain; charset=utf-8", "List-Unsubscribe: <mailto:unsub@news.example>\r\nPrecedence: bulk")}\r\n\r\n${FILLER.repeat(12)}\r\n`,
  (i, r) =>
    `${headers(i, r, "Re: Engagement letter", "text/plain; charset=utf-8")}\r\n\r\nThanks Alex, signed copy attached.\r\n\r\nOn Mon, 5 Jan 2026 at 09:12, Alex Morgan <alex@morganadvisory.example> wrote:\r\n> Please sign the engagement letter.\r\n> ${FILLER}\r\n`,
  (i, r) => {
    const body = Buffer.from(
      `Hallo Alex,\nhättest du Lust, nächsten Samstag mit uns Golf zu spielen? Abschlag um 9 Uhr.\n\nViele Grüße\nDieter\n`,
    ).toString("base64");
    return `${headers(i, r, "Golf am Samstag?", "text/plain; charset=utf-8", "Content-Transfer-Encoding: base64")}\r\n\r\n${body.replace(/.{76}/g, "$&\r\n")}\r\n`;
  },
  (i, r) => {
    const boundary = `b${i}`;
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Bench//EN",
      "METHOD:REQUEST",
      "BEGIN:VEVENT",
      `UID:bench-event-${i}@calendar.example`,
      "DTSTAMP:20260101T120000Z",
      "DTSTART:20260116T190000Z",
      "DTEND:20260116T220000Z",
      "SUMMARY:Dinner at our place",
      "LOCATION:12 Elm Road",
      "ORGANIZER;CN=Emma Walsh:mailto:emma@brightwater.example",
      "ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Alex Morgan:mailto:alex@morganadvisory.example",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    return `${headers(i, r, "Invitation: Dinner at our place", `multipart/alternative; boundary="${boundary}"`)}\r\n\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYou have been invited to dinner at our place.\r\n--${boundary}\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n${ics}\r\n--${boundary}--\r\n`;
  },
];

/** mboxrd escaping: a body line starting with "From " gains a ">". */
function escapeFrom(message: string): string {
  return message.replace(/^(>*From )/gm, ">$1");
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
