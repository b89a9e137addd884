import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { ResolvedConfig } from "./config.ts";
import type { AppDeps, FormBody, WebContext } from "./types.ts";

/** What every route module gets: the dependencies, the checked configuration and the log. */
export interface AppContext {
  deps: AppDeps;
  config: ResolvedConfig;
  log: (event: Record<string, unknown>) => void;
}

/** The last text value of a form field ("" when absent). */
export function field(form: FormBody, name: string): string {
  const values = form[name] ?? [];
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (typeof value === "string") return value;
  }
  return "";
}

/** Every text value of a field, in order. */
export function fieldValues(form: FormBody, name: string): string[] {
  return (form[name] ?? []).filter((value): value is string => typeof value === "string");
}

/** The first uploaded file of a field, if a non-empty one was sent. */
export function fileField(form: FormBody, name: string): File | null {
  for (const value of form[name] ?? []) {
    if (typeof value !== "string" && value.size > 0) return value;
  }
  return null;
}

/** The text fields of a form, last value winning: the settings form's shape. */
export function textFields(form: FormBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(form)) {
    if (name !== "_csrf") out[name] = field(form, name);
  }
  return out;
}

export function formOf(c: WebContext): FormBody {
  return c.get("form");
}

/** The rate-limit key for a caller: its IP (hashed by the limiter), or one shared bucket. */
export function callerKey(app: AppContext, c: Context): string {
  return app.deps.clientIp?.(c) ?? "unknown";
}

/** A short, stable, non-reversible id for logs (never log an address or an IP in clear). */
export function logId(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}
