import { describe, expect, it } from "vitest";
import { ConfigError, resolveConfig, type WebConfig } from "../../functions/http/config.ts";

const BASE: WebConfig = {
  baseUrl: "https://decorum.example",
  allowList: "@firm.example",
  sessionKey: "k".repeat(32),
  secureCookies: true,
};

describe("resolveConfig", () => {
  it("builds the redirect URI and origin from the configured base URL", () => {
    const config = resolveConfig({ ...BASE, baseUrl: "https://decorum.example/" });
    expect(config.origin).toBe("https://decorum.example");
    expect(config.redirectUri).toBe("https://decorum.example/auth/google/callback");
  });

  it.each([
    ["a path", { baseUrl: "https://decorum.example/app" }],
    ["not a URL", { baseUrl: "decorum" }],
    ["another scheme", { baseUrl: "ftp://decorum.example" }],
    ["secure cookies over plain http off localhost", { baseUrl: "http://decorum.example" }],
    ["a short session key", { sessionKey: "short" }],
    ["an absurd session length", { sessionTtlSeconds: 10 }],
  ])("refuses %s", (_name, change) => {
    expect(() => resolveConfig({ ...BASE, ...change })).toThrow(ConfigError);
  });

  it("allows plain http on localhost, with or without secure cookies", () => {
    expect(resolveConfig({ ...BASE, baseUrl: "http://localhost:3000" }).origin).toBe(
      "http://localhost:3000",
    );
    expect(
      resolveConfig({ ...BASE, baseUrl: "http://127.0.0.1:3000", secureCookies: false })
        .secureCookies,
    ).toBe(false);
  });
});
