import { describe, expect, it } from "vitest";
import {
  GOOGLE_SCOPE_LIST,
  GOOGLE_SCOPES,
  missingScopes,
} from "../../../functions/adapters/google/scopes.ts";

describe("GOOGLE_SCOPES", () => {
  it("lists every requested scope with its reason, and nothing else", () => {
    expect([...GOOGLE_SCOPE_LIST].sort()).toEqual(Object.keys(GOOGLE_SCOPES).sort());
    for (const reason of Object.values(GOOGLE_SCOPES)) expect(reason.length).toBeGreaterThan(20);
  });

  it("asks for one Gmail scope that covers reading, drafting, sending and labelling", () => {
    const gmail = GOOGLE_SCOPE_LIST.filter((s) => s.includes("/auth/gmail."));
    expect(gmail).toEqual(["https://www.googleapis.com/auth/gmail.modify"]);
    expect(GOOGLE_SCOPE_LIST).not.toContain("https://mail.google.com/");
  });

  it("asks for Calendar read-only", () => {
    expect(GOOGLE_SCOPE_LIST.filter((s) => s.includes("calendar"))).toEqual([
      "https://www.googleapis.com/auth/calendar.events.readonly",
    ]);
  });
});

describe("missingScopes", () => {
  it("finds nothing missing when Google reports email under its long name", () => {
    const granted =
      "https://www.googleapis.com/auth/gmail.modify openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/calendar.events.readonly";
    expect(missingScopes(granted)).toEqual([]);
  });

  it("names the scopes a user unticked", () => {
    expect(
      missingScopes(["openid", "email", "https://www.googleapis.com/auth/gmail.modify"]),
    ).toEqual(["https://www.googleapis.com/auth/calendar.events.readonly"]);
  });
});
