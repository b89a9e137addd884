import { readFile } from "node:fs/promises";
import { DEFAULT_SETTINGS, parseSettings, type Settings } from "../schemas/settings.ts";
import { UsageError } from "./errors.ts";

/** Reads and validates a `--settings` JSON file; no file means the defaults. */
export async function loadSettingsFile(path: string | undefined): Promise<Settings> {
  if (!path) return DEFAULT_SETTINGS;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read settings file ${path}: ${describe(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`settings file ${path} is not valid JSON: ${describe(error)}`);
  }
  try {
    return parseSettings(json, `settings file ${path}`);
  } catch (error) {
    throw new UsageError(describe(error));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
