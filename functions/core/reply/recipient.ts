import type { Mailbox, ParsedMessage } from "../model.ts";
import { firstNameOf } from "./names.ts";

/** Addresses nobody reads: replying there would reach no one. */
const UNATTENDED =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|calendar-notification|notifications?)(?:[+-][^@]*)?@/i;

function usable(mailbox: Mailbox | null | undefined, own: ReadonlySet<string>): mailbox is Mailbox {
  if (!mailbox) return false;
  const address = mailbox.address.trim().toLowerCase();
  return address.includes("@") && !own.has(address) && !UNATTENDED.test(address);
}

/**
 * Who the reply goes to: the invitation's Reply-To, else its From. For a calendar invitation (a
 * standalone .ics or Calendar event, or an email whose From is a robot such as Google's
 * calendar-notification address) the event's organizer. Never one of the owner's own addresses.
 * The name is filled from wherever the same address appears with one. Null when nobody usable is
 * left.
 */
export function replyRecipient(
  message: ParsedMessage,
  ownAddresses: readonly string[] = [],
): Mailbox | null {
  const own = new Set(ownAddresses.map((address) => address.trim().toLowerCase()));
  for (const attendee of message.events[0]?.attendees ?? []) {
    if (attendee.self) own.add(attendee.address.toLowerCase());
  }
  const organizer = message.events[0]?.organizer ?? null;
  const candidates =
    message.kind === "calendar"
      ? [organizer, message.replyTo, message.from]
      : usable(message.from, own)
        ? [message.replyTo, message.from, organizer]
        : [organizer, message.replyTo];
  const chosen = candidates.find((candidate) => usable(candidate, own));
  if (!chosen) return null;
  const address = chosen.address.trim().toLowerCase();
  return { address, name: chosen.name.trim() || nameFor(address, message) };
}

/** A display name for an address from elsewhere in the message, or "". */
function nameFor(address: string, message: ParsedMessage): string {
  const event = message.events[0];
  const known = [message.from, message.replyTo, event?.organizer, ...(event?.attendees ?? [])];
  const same = known.find((mailbox) => mailbox?.address.toLowerCase() === address && mailbox.name);
  if (same) return same.name;
  // A bare personal Reply-To ("jane.smith@gmail.com") beside "Jane Smith <jane@acme.example>" is
  // the same person; a shared box ("events@…") is not, and gets no name.
  const fromName = message.from?.name ?? "";
  const first = firstNameOf(fromName);
  if (first && fold(address.split("@")[0] ?? "").includes(fold(first))) return fromName;
  return "";
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * The reply's From: the owner's address when set; else the invitation's To address that isn't
 * the sender (or, for a calendar event, the attendee marked as the owner); else "me", which
 * leaves From to Gmail.
 */
export function replySender(
  message: ParsedMessage,
  owner: { name: string; email?: string | undefined },
  recipient: Mailbox,
): { name: string; address: string } | "me" {
  if (owner.email) return { name: owner.name, address: owner.email };
  const sender = [recipient.address, message.from?.address.toLowerCase()];
  const to = message.to.find((mailbox) => !sender.includes(mailbox.address.toLowerCase()));
  if (to) return { name: owner.name, address: to.address };
  const self = message.events[0]?.attendees.find((attendee) => attendee.self);
  if (self) return { name: owner.name, address: self.address };
  return "me";
}
