import type { IncomingMessage } from "node:http";
import type * as z from "zod";
import { badRequest } from "./errors.ts";

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  body: Buffer;
}

export interface Route<C> {
  /** Google's method name, used for fault matching and the call log: "gmail.users.messages.get". */
  name: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handle: (ctx: C) => Promise<Reply> | Reply;
}

/** `"/gmail/v1/users/:userId/messages/:id"` → a route matching Google's path template. */
export function route<C>(
  name: string,
  method: string,
  path: string,
  handle: (ctx: C) => Promise<Reply> | Reply,
): Route<C> {
  const keys: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      keys.push(segment.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return { name, method, pattern: new RegExp(`^${source}/?$`), keys, handle };
}

export function matchRoute<C>(
  routes: Route<C>[],
  method: string,
  pathname: string,
): { route: Route<C>; params: Record<string, string> } | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(m[i + 1] ?? "");
    });
    return { route: r, params };
  }
  return null;
}

export async function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw badRequest("Request payload too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody<T>(body: Buffer, schema: z.ZodType<T>): T {
  let value: unknown = {};
  if (body.length > 0) {
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("Invalid JSON payload received.", "parseError");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw badRequest(`Invalid JSON payload received. ${parsed.error.issues[0]?.message ?? ""}`);
  }
  return parsed.data;
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString("utf8"));
}

/** Query helpers: Google repeats array parameters (`labelIds=A&labelIds=B`). */
export function qInt(url: URL, key: string, dflt: number, max: number): number {
  const raw = url.searchParams.get(key);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value for ${key}: ${raw}`);
  return Math.min(n === 0 ? dflt : n, max);
}

export function qBool(url: URL, key: string): boolean {
  return url.searchParams.get(key) === "true";
}

/** Opaque page tokens carry an offset plus a fingerprint of the query they belong to. */
export function encodePageToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

export function decodePageToken(token: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value));
    }
  } catch {
    // fall through
  }
  throw badRequest("Invalid pageToken");
}

/**
 * Google's partial responses (`fields=messages(id),nextPageToken`), applied to every JSON reply so
 * clients that trim responses see what Google would send.
 */
export function applyFieldMask(value: unknown, mask: string): unknown {
  const tree = parseMask(mask);
  return pick(value, tree);
}

type MaskTree = Map<string, MaskTree | null>;

function parseMask(mask: string): MaskTree {
  let i = 0;
  const parseList = (): MaskTree => {
    const out: MaskTree = new Map();
    while (i < mask.length) {
      let name = "";
      while (i < mask.length && !",()".includes(mask.charAt(i))) name += mask.charAt(i++);
      name = name.trim();
      let sub: MaskTree | null = null;
      if (mask.charAt(i) === "(") {
        i++;
        sub = parseList();
        i++; // ")"
      }
      if (name) {
        const path = name.split("/");
        let node = out;
        path.forEach((part, idx) => {
          const last = idx === path.length - 1;
          if (last) node.set(part, sub);
          else {
            const existing = node.get(part);
            const next: MaskTree = existing ?? new Map();
            node.set(part, next);
            node = next;
          }
        });
      }
      if (mask.charAt(i) === ",") i++;
      else if (mask.charAt(i) === ")") break;
    }
    return out;
  };
  return parseList();
}

function pick(value: unknown, tree: MaskTree | null): unknown {
  if (tree === null || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, tree));
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [key, sub] of tree) {
    if (key === "*") {
      for (const [k, v] of entries) out[k] = pick(v, sub);
      continue;
    }
    const found = entries.find(([k]) => k === key);
    if (found) out[key] = pick(found[1], sub);
  }
  return out;
}
