import { describe, expect, it } from "vitest";
import { AllowListError, isAllowed, parseAllowList } from "../../functions/http/allow-list.ts";

describe("parseAllowList", () => {
  it("reads addresses and @domains separated by commas, spaces or lines", () => {
    const list = parseAllowList(
      "Ana@Firm.example, @partner.example\n bob@other.example;firm2.example",
    );
    expect([...list.addresses].sort()).toEqual(["ana@firm.example", "bob@other.example"]);
    expect([...list.domains].sort()).toEqual(["firm2.example", "partner.example"]);
  });

  it.each(["@", "@not_a_domain", "ana@", "two@@firm.example", "@firm"])("refuses %j", (entry) => {
    expect(() => parseAllowList(entry)).toThrow(AllowListError);
  });
});

describe("isAllowed", () => {
  const list = parseAllowList(["ana@firm.example", "@partner.example"]);

  it.each([
    ["ana@firm.example", true],
    ["ANA@FIRM.EXAMPLE", true],
    ["bob@firm.example", false],
    ["anyone@partner.example", true],
    ["anyone@sub.partner.example", false],
    ["anyone@partner.example.evil", false],
    ["partner.example", false],
    ["@partner.example", false],
    ["", false],
  ])("%j → %s", (email, allowed) => {
    expect(isAllowed(list, email)).toBe(allowed);
  });

  it("lets nobody in when the list is empty", () => {
    expect(isAllowed(parseAllowList(""), "ana@firm.example")).toBe(false);
  });
});
