import * as z from "zod";
import { StoreError } from "./errors.ts";

/** A page of results; `cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

const StartKey = z.record(z.string(), z.string());
type StartKey = z.infer<typeof StartKey>;

/** An opaque cursor: the Query's start key, base64url JSON. */
export function encodeCursor(key: StartKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Decodes a cursor and checks it points into the partition being queried, so a cursor taken
 * from one account's listing can never start a Query in another's.
 */
export function decodeCursor(
  cursor: string,
  expected: Readonly<Record<string, string>>,
): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new StoreError("invalid", "The page cursor is not valid");
  }
  const result = StartKey.safeParse(parsed);
  if (!result.success) throw new StoreError("invalid", "The page cursor is not valid");
  for (const [name, value] of Object.entries(expected)) {
    if (result.data[name] !== value) {
      throw new StoreError("invalid", "The page cursor belongs to another listing");
    }
  }
  return result.data;
}

/** The start key of an item for a Query on the base table or an index. */
export function startKeyOf(
  item: Record<string, unknown>,
  attributes: readonly string[],
): Record<string, string> {
  const key: Record<string, string> = {};
  for (const name of attributes) {
    const value = item[name];
    if (typeof value !== "string") {
      throw new StoreError("corrupt", `A listed item lacks its key attribute ${name}`);
    }
    key[name] = value;
  }
  return key;
}

/** Validates a page size: 1…1000, default `fallback`. */
export function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new StoreError("invalid", "A page limit is a whole number from 1 to 1000");
  }
  return limit;
}
