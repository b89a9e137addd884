/**
 * The guard in front of the only send in Decorum: the weekly summary goes to the account's own
 * address and to nobody else. It reads the raw message's header block the way a mail server would
 * (unfolded, every recipient header counted) and refuses anything it does not fully understand.
 */

export class SendRefused extends Error {
  override readonly name = "SendRefused";
}

interface Header {
  name: string;
  value: string;
}

/** The header block, unfolded (RFC 5322 §2.2.3), ending at the first empty line. */
export function readHeaders(raw: string): Header[] {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, "");
  const headers: Header[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new SendRefused(`The summary has a malformed header line: "${line}".`);
    headers.push({
      name: line.slice(0, colon).trim().toLowerCase(),
      value: line.slice(colon + 1).trim(),
    });
  }
  return headers;
}

/**
 * One mailbox, `addr@host`, `<addr@host>` or `Name <addr@host>` (the name optionally quoted);
 * anything else, including lists, groups and comments, is not accepted.
 */
const SINGLE_MAILBOX =
  /^(?:(?:"(?:[^"\\\r\n]|\\.)*"|[^"<>,;:@()\\\r\n]*?)\s*<\s*([^<>\s,;:"()\\]+@[^<>\s,;:"()\\]+)\s*>|([^<>\s,;:"()\\]+@[^<>\s,;:"()\\]+))$/;

export function singleMailbox(value: string): string | null {
  const match = SINGLE_MAILBOX.exec(value.trim());
  if (!match) return null;
  return (match[1] ?? match[2] ?? null)?.toLowerCase() ?? null;
}

/** Headers that would make Gmail deliver the message to someone. */
const OTHER_RECIPIENT_HEADERS = ["cc", "bcc", "resent-to", "resent-cc", "resent-bcc"];

/** Throws SendRefused unless the one and only recipient of `raw` is `ownAddress`. */
export function assertOnlyRecipient(raw: string, ownAddress: string): void {
  const headers = readHeaders(raw);
  const to = headers.filter((h) => h.name === "to");
  if (to.length !== 1 || to[0] === undefined) {
    throw new SendRefused(`The summary must have exactly one To header; it has ${to.length}.`);
  }
  const address = singleMailbox(to[0].value);
  if (address === null) {
    throw new SendRefused(`The summary's To must be a single address; it is "${to[0].value}".`);
  }
  const own = ownAddress.trim().toLowerCase();
  if (address !== own) {
    throw new SendRefused(
      `Decorum only ever sends to the account's own address (${own}); refused to send to ${address}.`,
    );
  }
  const others = headers.filter((h) => OTHER_RECIPIENT_HEADERS.includes(h.name));
  if (others.length > 0) {
    throw new SendRefused(
      `The summary may have no other recipients; it has ${others.map((h) => h.name).join(", ")}.`,
    );
  }
}
