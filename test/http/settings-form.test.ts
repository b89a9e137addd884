import { describe, expect, it } from "vitest";
import { KNOWN_RULE_IDS, RULE_SWITCHES } from "../../functions/http/rule-switches.ts";
import { settingsToForm, validateSettingsForm } from "../../functions/http/settings-form.ts";
import { parseSettings } from "../../functions/schemas/settings.ts";
import { builtInRulebook } from "../../rules/classify.ts";
import { POLICY_RULES } from "../../rules/policy.ts";

const EMAIL = "alex@firm.example";
const STORED = parseSettings({
  owner: { name: "Alex", email: EMAIL, partnerWord: "my wife" },
  timeZone: "Europe/Madrid",
  clients: { domains: ["client.example"], established: ["client.example"] },
  frequency: { threshold: 4, windowDays: 30 },
  overrides: { travel: "review" },
  rules: { "outing.sport": false, "retired.rule": false },
  dryRun: true,
  replies: { romantic: { en: ["No, thank you, {firstName}."] } },
});

describe("the settings form", () => {
  it("round-trips stored settings unchanged", () => {
    const result = validateSettingsForm(settingsToForm(STORED), STORED, EMAIL);
    expect(result).toEqual({ ok: true, settings: STORED });
  });

  it("keeps switches for rule ids the rulebook no longer has", () => {
    const result = validateSettingsForm(settingsToForm(STORED), STORED, EMAIL);
    expect(result.ok && result.settings.rules["retired.rule"]).toBe(false);
  });

  it("stores the signed-in address as the owner's, whatever was posted", () => {
    const fields = { ...settingsToForm(STORED), "owner.email": "mallory@evil.example" };
    const result = validateSettingsForm(fields, STORED, EMAIL);
    expect(result.ok && result.settings.owner.email).toBe(EMAIL);
  });

  it.each([
    [
      "clients.domains",
      "a.example\n\n b.example ,c.example",
      ["a.example", "b.example", "c.example"],
    ],
    ["clients.addresses", "Ana@Client.example", ["ana@client.example"]],
  ])("reads the list field %s one per line or comma", (name, value, expected) => {
    const [, key] = name.split(".");
    const result = validateSettingsForm(
      { ...settingsToForm(STORED), [name]: value },
      STORED,
      EMAIL,
    );
    expect(result.ok && Reflect.get(result.settings.clients, key ?? "")).toEqual(expected);
  });

  it.each([
    ["frequency.threshold", "1", "Must be at least 2"],
    ["frequency.threshold", "3.5", "Must be a whole number"],
    ["frequency.windowDays", "", "Must be a number"],
    ["summary.hour", "24", "Must be at most 23"],
    ["owner.partnerWord", "", "Required"],
    [
      "clients.consumerDomains",
      "ok.example\nbad domain",
      "Line 2 (“bad domain”): must be a mail domain",
    ],
    ["override.outing", "sometimes", "Choose one of the listed options"],
  ])("refuses %s = %j with “%s”", (name, value, message) => {
    const result = validateSettingsForm(
      { ...settingsToForm(STORED), [name]: value },
      STORED,
      EMAIL,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[name]?.join(" ")).toContain(message);
  });

  it("reports every problem at once", () => {
    const fields = { ...settingsToForm(STORED), "summary.hour": "x", retentionDays: "5" };
    const result = validateSettingsForm(fields, STORED, EMAIL);
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual([
      "retentionDays",
      "summary.hour",
    ]);
  });
});

describe("the rule switches", () => {
  it("list every rule of the rulebook and the policy, each once", () => {
    const ids = RULE_SWITCHES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of builtInRulebook().rules) expect(KNOWN_RULE_IDS.has(rule.spec.id)).toBe(true);
    for (const id of Object.values(POLICY_RULES)) expect(KNOWN_RULE_IDS.has(id)).toBe(true);
  });

  it("cite the etiquette rule each one serves", () => {
    for (const rule of RULE_SWITCHES) expect(rule.serves).toMatch(/^(serves|helps)/);
  });
});
