import type { gmail_v1 } from "@googleapis/gmail";

/**
 * Just enough RFC 5322/2045 to give Gmail's `full`/`metadata` views: a MIME tree with unfolded
 * headers, transfer-decoded leaf bodies, and a snippet. Bodies are kept as bytes; text is decoded by
 * charset only where a string is needed (snippet, search).
 */
export interface MimeHeader {
  name: string;
  value: string;
}

export interface MimeNode {
  headers: MimeHeader[];
  mimeType: string;
  params: Record<string, string>;
  filename: string;
  /** Transfer-decoded content of a leaf; empty for multiparts. */
  content: Buffer;
  parts: MimeNode[];
}

export function parseMime(raw: Buffer): MimeNode {
  // latin1 maps bytes 1:1 to code units, so offsets found in the string are byte offsets.
  return parseEntity(raw.toString("latin1"), "text/plain");
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: "" };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

function parseHeaderBlock(head: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  // Raw header bytes may be UTF-8 (RFC 6532); encoded-words are decoded as Gmail's API does.
  return headers.map((h) => ({
    name: h.name,
    value: decodeWords(Buffer.from(h.value, "latin1").toString("utf8")),
  }));
}

export function headerValue(headers: MimeHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [first = "", ...rest] = splitUnquoted(value, ";");
  const params: Record<string, string> = {};
  for (const piece of rest) {
    const eq = piece.indexOf("=");
    if (eq < 0) continue;
    let key = piece.slice(0, eq).trim().toLowerCase();
    let val = piece.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    // RFC 2231 (`filename*=utf-8''na%C3%AFve.ics`), single-segment form only.
    if (key.endsWith("*")) {
      key = key.slice(0, -1);
      const m = /^([^']*)'[^']*'(.*)$/.exec(val);
      if (m) val = decodeCharset(Buffer.from(percentDecode(m[2] ?? "")), m[1] || "utf-8");
    }
    params[key] = val;
  }
  return { value: first.trim().toLowerCase(), params };
}

function percentDecode(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === "%" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return bytes;
}

function splitUnquoted(value: string, sep: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

function parseEntity(text: string, defaultType: string): MimeNode {
  const { head, body } = splitHead(text);
  const headers = parseHeaderBlock(head);
  const ct = parseParams(headerValue(headers, "content-type") ?? defaultType);
  const disposition = parseParams(headerValue(headers, "content-disposition") ?? "");
  const filename = disposition.params.filename ?? ct.params.name ?? "";
  const node: MimeNode = {
    headers,
    mimeType: ct.value || defaultType,
    params: ct.params,
    filename,
    content: Buffer.alloc(0),
    parts: [],
  };
  const boundary = ct.params.boundary;
  if (node.mimeType.startsWith("multipart/") && boundary) {
    const childDefault = node.mimeType === "multipart/digest" ? "message/rfc822" : "text/plain";
    node.parts = splitMultipart(body, boundary).map((part) => parseEntity(part, childDefault));
    return node;
  }
  const cte = (headerValue(headers, "content-transfer-encoding") ?? "7bit").toLowerCase();
  node.content = decodeTransfer(body, cte);
  return node;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (line.startsWith(delimiter)) {
      const rest = line.slice(delimiter.length);
      if (current) parts.push(current.join("\r\n"));
      if (rest.startsWith("--")) return parts;
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join("\r\n"));
  return parts;
}

function decodeTransfer(body: string, cte: string): Buffer {
  if (cte === "base64") return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (cte === "quoted-printable") {
    const soft = body.replace(/=\r?\n/g, "");
    const bytes = percentDecode(soft.replace(/%/g, "%25").replace(/=([0-9A-Fa-f]{2})/g, "%$1"));
    return Buffer.from(bytes);
  }
  return Buffer.from(body, "latin1");
}

export function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase() === "us-ascii" ? "utf-8" : charset).decode(bytes);
  } catch {
    return bytes.toString("utf8");
  }
}

/** RFC 2047 encoded-words; adjacent words separated only by whitespace join without it. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?[^?]+\?[bBqQ]\?[^?]*\?=)/g, "$1")
    .replace(
      /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g,
      (_all, charset: string, enc: string, text: string) => {
        const bytes =
          enc.toUpperCase() === "B"
            ? Buffer.from(text, "base64")
            : Buffer.from(
                percentDecode(
                  text
                    .replace(/_/g, " ")
                    .replace(/%/g, "%25")
                    .replace(/=([0-9A-Fa-f]{2})/g, "%$1"),
                ),
              );
        return decodeCharset(bytes, charset.split("*")[0] ?? "utf-8");
      },
    );
}

export function textOf(node: MimeNode): string {
  return decodeCharset(node.content, node.params.charset ?? "utf-8");
}

function isAttachment(node: MimeNode): boolean {
  const disposition = (headerValue(node.headers, "content-disposition") ?? "").toLowerCase();
  return node.filename !== "" || disposition.startsWith("attachment");
}

function walk(node: MimeNode, visit: (n: MimeNode) => void): void {
  visit(node);
  for (const part of node.parts) walk(part, visit);
}

/** The readable body: the first text/plain leaf, else the first text/html leaf with tags removed. */
export function plainText(root: MimeNode): string {
  let plain: string | undefined;
  let html: string | undefined;
  walk(root, (n) => {
    if (n.parts.length > 0 || isAttachment(n)) return;
    if (n.mimeType === "text/plain" && plain === undefined) plain = textOf(n);
    if (n.mimeType === "text/html" && html === undefined) html = textOf(n);
  });
  if (plain !== undefined) return plain;
  if (html === undefined) return "";
  return html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** Gmail snippets are ~200 characters of collapsed body text, HTML-escaped. */
export function snippetOf(root: MimeNode): string {
  const text = plainText(root).replace(/\s+/g, " ").trim().slice(0, 200);
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function attachmentId(messageId: string, partId: string): string {
  return `ANGjdJ${Buffer.from(`${messageId}:${partId}`, "utf8").toString("base64url")}`;
}

export function parseAttachmentId(id: string): { messageId: string; partId: string } | null {
  if (!id.startsWith("ANGjdJ")) return null;
  const [messageId, partId] = Buffer.from(id.slice(6), "base64url").toString("utf8").split(":");
  if (!messageId || partId === undefined) return null;
  return { messageId, partId };
}

export function findPart(root: MimeNode, partId: string): MimeNode | undefined {
  let found: MimeNode | undefined;
  const visit = (node: MimeNode, id: string) => {
    if (id === partId) found = node;
    node.parts.forEach((p, i) => {
      visit(p, id === "" ? String(i) : `${id}.${i}`);
    });
  };
  visit(root, "");
  return found;
}

/** Gmail's `payload` for format=full (bodies inline, attachments by id) or metadata (headers only). */
export function gmailPayload(
  root: MimeNode,
  messageId: string,
  view: { kind: "full" } | { kind: "metadata"; headers: string[] | null },
): gmail_v1.Schema$MessagePart {
  if (view.kind === "metadata") {
    const wanted = view.headers?.map((h) => h.toLowerCase());
    return {
      mimeType: root.mimeType,
      headers: wanted
        ? root.headers.filter((h) => wanted.includes(h.name.toLowerCase()))
        : root.headers,
    };
  }
  const build = (node: MimeNode, partId: string): gmail_v1.Schema$MessagePart => {
    const part: gmail_v1.Schema$MessagePart = {
      partId,
      mimeType: node.mimeType,
      filename: node.filename,
      headers: node.headers,
    };
    if (node.parts.length > 0) {
      part.body = { size: 0 };
      part.parts = node.parts.map((p, i) => build(p, partId === "" ? String(i) : `${partId}.${i}`));
    } else if (isAttachment(node)) {
      part.body = { attachmentId: attachmentId(messageId, partId), size: node.content.length };
    } else {
      part.body = { size: node.content.length, data: node.content.toString("base64url") };
    }
    return part;
  };
  return build(root, "");
}

/** Subject without any stack of reply/forward prefixes, for threading comparisons. */
export function normalizeSubject(subject: string | undefined): string {
  let s = (subject ?? "").trim();
  for (;;) {
    const next = s.replace(/^(re|aw|sv|fwd?|wg)\s*(\[\d+\])?\s*:\s*/i, "");
    if (next === s) return s.replace(/\s+/g, " ").toLowerCase();
    s = next;
  }
}

/** Message-IDs named by In-Reply-To and References. */
export function referencedIds(headers: MimeHeader[]): string[] {
  const text = `${headerValue(headers, "in-reply-to") ?? ""} ${headerValue(headers, "references") ?? ""}`;
  return [...text.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
}

export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g)].map((m) => m[0].toLowerCase());
}
