import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, parseSettings } from "../../functions/schemas/settings.ts";

describe("settings", () => {
  it("fills every default from an empty file", () => {
    expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.frequency).toEqual({ threshold: 3, windowDays: 14 });
    expect(DEFAULT_SETTINGS.summary).toEqual({ weekday: 1, hour: 8, sendWhenEmpty: true });
    expect(DEFAULT_SETTINGS.retentionDays).toBe(400);
  });

  it.each([
    [{ timeZone: "Mars/Olympus" }, "timeZone: must be an IANA time zone"],
    [{ clients: { domains: ["not a domain"] } }, "clients.domains.0: must be a mail domain"],
    [{ overrides: { romantic: "hug" } }, "overrides.romantic"],
    [{ frequency: { threshold: 1 } }, "frequency.threshold"],
    [{ summary: { weekday: 8 } }, "summary.weekday"],
    [{ owner: { email: "nobody" } }, "owner.email"],
  ])("rejects %j naming the field", (input, expected) => {
    expect(() => parseSettings(input, "my-settings.json")).toThrow(expected);
    expect(() => parseSettings(input, "my-settings.json")).toThrow("Invalid my-settings.json");
  });

  it("normalises client domains and addresses to lower case", () => {
    const settings = parseSettings({
      clients: { domains: [" Client.Example "], addresses: ["Ana@Gmail.com"] },
    });
    expect(settings.clients.domains).toEqual(["client.example"]);
    expect(settings.clients.addresses).toEqual(["ana@gmail.com"]);
  });
});
