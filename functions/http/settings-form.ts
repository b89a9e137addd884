import type * as z from "zod";
import { CATEGORIES } from "../core/vocabulary.ts";
import { Settings } from "../schemas/settings.ts";
import { KNOWN_RULE_IDS } from "./rule-switches.ts";

/**
 * The settings form's fields, by name, as the browser sends them: text as typed, checkboxes as
 * "on" when ticked. The form is rendered from these (not from Settings), so a rejected form
 * comes back exactly as the owner typed it, errors beside the fields.
 */
export type FormFields = Record<string, string>;

/** Error messages by field name. */
export type FieldErrors = Record<string, string[]>;

export const LIST_FIELDS = [
  "clients.domains",
  "clients.addresses",
  "clients.consumerDomains",
  "clients.established",
] as const;

export const overrideField = (category: string) => `override.${category}`;
export const ruleField = (id: string) => `rule.${id}`;

/** The form as it shows stored settings. */
export function settingsToForm(settings: Settings): FormFields {
  const fields: FormFields = {
    "owner.name": settings.owner.name,
    "owner.signature": settings.owner.signature,
    "owner.partnerWord": settings.owner.partnerWord,
    timeZone: settings.timeZone,
    "summary.weekday": String(settings.summary.weekday),
    "summary.hour": String(settings.summary.hour),
    "clients.domains": settings.clients.domains.join("\n"),
    "clients.addresses": settings.clients.addresses.join("\n"),
    "clients.consumerDomains": settings.clients.consumerDomains.join("\n"),
    "clients.established": settings.clients.established.join("\n"),
    "clients.establishedAfterDays": String(settings.clients.establishedAfterDays),
    "frequency.threshold": String(settings.frequency.threshold),
    "frequency.windowDays": String(settings.frequency.windowDays),
    reviewBelow: String(settings.reviewBelow),
    retentionDays: String(settings.retentionDays),
  };
  if (settings.summary.sendWhenEmpty) fields["summary.sendWhenEmpty"] = "on";
  if (settings.dryRun) fields.dryRun = "on";
  if (settings.paused) fields.paused = "on";
  for (const category of CATEGORIES) {
    const action = settings.overrides[category];
    if (action) fields[overrideField(category)] = action;
  }
  for (const id of KNOWN_RULE_IDS) {
    if (settings.rules[id] !== false) fields[ruleField(id)] = "on";
  }
  return fields;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A number when the text is one; otherwise the text itself, which the schema then refuses. */
function number(value: string | undefined): number | string {
  const text = (value ?? "").trim();
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
}

/**
 * The Settings input the form describes. What the form does not edit is kept from `current`:
 * the reply phrasings (edited on their own page) and switches for rule ids no longer in the
 * rulebook. The owner's address is always the signed-in Google account's.
 */
export function formToSettingsInput(fields: FormFields, current: Settings, email: string) {
  const overrides: Record<string, string> = {};
  for (const category of CATEGORIES) {
    const action = fields[overrideField(category)]?.trim();
    if (action) overrides[category] = action;
  }
  const rules: Record<string, boolean> = {};
  for (const [id, enabled] of Object.entries(current.rules)) {
    if (!KNOWN_RULE_IDS.has(id)) rules[id] = enabled;
  }
  for (const id of KNOWN_RULE_IDS) {
    if (fields[ruleField(id)] !== "on") rules[id] = false;
  }
  return {
    owner: {
      name: fields["owner.name"] ?? "",
      email,
      // Line endings as typed by browsers (\r\n) are stored as \n.
      signature: (fields["owner.signature"] ?? "").replace(/\r\n?/g, "\n"),
      partnerWord: fields["owner.partnerWord"] ?? "",
    },
    timeZone: (fields.timeZone ?? "").trim(),
    summary: {
      weekday: number(fields["summary.weekday"]),
      hour: number(fields["summary.hour"]),
      sendWhenEmpty: fields["summary.sendWhenEmpty"] === "on",
    },
    clients: {
      domains: list(fields["clients.domains"]),
      addresses: list(fields["clients.addresses"]),
      consumerDomains: list(fields["clients.consumerDomains"]),
      established: list(fields["clients.established"]),
      establishedAfterDays: number(fields["clients.establishedAfterDays"]),
    },
    frequency: {
      threshold: number(fields["frequency.threshold"]),
      windowDays: number(fields["frequency.windowDays"]),
    },
    overrides,
    rules,
    reviewBelow: number(fields.reviewBelow),
    dryRun: fields.dryRun === "on",
    paused: fields.paused === "on",
    retentionDays: number(fields.retentionDays),
    replies: current.replies,
  };
}

export type FormResult = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

/** Validates the whole form with the shared schema: either every field is fine, or nothing is. */
export function validateSettingsForm(
  fields: FormFields,
  current: Settings,
  email: string,
): FormResult {
  const input = formToSettingsInput(fields, current, email);
  const parsed = Settings.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error, input) };
}

/** Maps schema issues to the form's fields, in words a person reads beside the field. */
export function fieldErrors(error: z.ZodError, input: unknown): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => {
    errors[field] ??= [];
    if (!errors[field].includes(message)) errors[field].push(message);
  };
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const message = humanize(issue);
    const [head, second, third] = path;
    if (head === "clients" && second && third !== undefined && isListField(`clients.${second}`)) {
      const value = valueAt(input, path);
      const line = Number(third) + 1;
      add(`clients.${second}`, `Line ${line}${value ? ` (“${value}”)` : ""}: ${message}`);
    } else if (head === "overrides" && second) {
      add(overrideField(second), capitalize(message));
    } else if (head === "rules") {
      add("rules", message);
    } else {
      add(path.join(".") || "form", capitalize(message));
    }
  }
  return errors;
}

function isListField(field: string): boolean {
  return (LIST_FIELDS as readonly string[]).includes(field);
}

function valueAt(input: unknown, path: readonly string[]): string | null {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return null;
    node = Reflect.get(node, key);
  }
  return typeof node === "string" ? node : null;
}

function humanize(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? "required" : `at least ${min} characters`;
      if (issue.origin === "array") return `at least ${min} needed`;
      return `must be at least ${min}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `at most ${max} characters`;
      if (issue.origin === "array") return `at most ${max} allowed`;
      return `must be at most ${max}`;
    }
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      if (issue.expected === "number") return "must be a number";
      return "required";
    case "invalid_value":
      return "choose one of the listed options";
    default:
      return issue.message;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
