import type * as z from "zod";
import { GoogleError } from "./errors.ts";

/** Reads Google's answer through its schema; an answer of another shape is Google's fault, not ours. */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  method: string,
): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  throw new GoogleError({
    kind: "unavailable",
    method,
    message: `Google answered ${method} in a shape Decorum does not understand (${where}).`,
    cause: parsed.error,
  });
}

/** A promise made on first use and forgotten if it fails, so a later call can try again. */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
