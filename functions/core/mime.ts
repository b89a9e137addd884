import type { encodeMessage } from "./mime-encode.ts";

/**
 * The one place Decorum builds RFC 5322 messages (reply drafts, the weekly summary). Encoding is
 * left entirely to nodemailer: RFC 2047 encoded words for non-ASCII headers, quoted-printable or
 * base64 bodies, folding. A message with HTML or extra headers (the weekly summary) goes through
 * MailComposer whole; a plain-text reply — one per declined invitation, so on the hot path of
 * triage — is put together synchronously from the same nodemailer pieces MailComposer uses, in the
 * same order, which yields the same bytes without a stream pipeline per message.
 *
 * The encoding lives in mime-encode.ts, loaded on the first message built: nodemailer is the
 * largest part of the worker's bundle, and most worker runs draft nothing.
 */

export interface MessageAddress {
  name: string;
  address: string;
}

export interface MessageInput {
  /**
   * The sender. The literal string "me" (Gmail's name for the signed-in account) leaves the From
   * header out, so that Gmail fills in the account's own address when it stores the draft.
   */
  from: string | MessageAddress;
  to: string | MessageAddress;
  subject: string;
  /** Plain-text body; any line endings (they are written as CRLF). */
  text: string;
  /** When given, the message is multipart/alternative with `text` first. */
  html?: string;
  /** A Message-ID, with or without angle brackets. */
  inReplyTo?: string | null;
  references?: string[];
  date: Date;
  /** Defaults to an id derived from the message's content, so equal input gives equal output. */
  messageId?: string;
  /** Extra headers such as `Auto-Submitted`. Headers this function controls are refused. */
  headers?: Record<string, string>;
}

export class MessageInputError extends Error {
  override name = "MessageInputError";
}

let encoder: Promise<typeof encodeMessage> | undefined;

/** Builds a complete RFC 5322 message with CRLF line endings, ready to base64url for Gmail. */
export async function buildMessage(input: MessageInput): Promise<string> {
  encoder ??= import("./mime-encode.ts").then((module) => module.encodeMessage);
  const encode = await encoder;
  return encode(input);
}

/** Gmail's `raw` field: the message as unpadded base64url. */
export function toBase64Url(raw: string): string {
  return Buffer.from(raw, "utf8").toString("base64url");
}
