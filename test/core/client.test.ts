import { describe, expect, it } from "vitest";
import { clientKey } from "../../functions/core/client.ts";
import { parseSettings } from "../../functions/schemas/settings.ts";

const open = parseSettings({ owner: { email: "alex@morganadvisory.example" } });
const listed = parseSettings({
  owner: { email: "alex@morganadvisory.example" },
  clients: { domains: ["harbour.example"], addresses: ["ana.ruiz@gmail.com"] },
});

describe("clientKey", () => {
  it.each([
    ["an organisation is its domain", open, "Ben@Harbour.Example", "harbour.example"],
    ["a consumer address is its own client", open, "ana.ruiz@gmail.com", "ana.ruiz@gmail.com"],
    ["the owner is never a client", open, "alex@morganadvisory.example", null],
    ["a listed domain counts", listed, "ben@harbour.example", "harbour.example"],
    ["an unlisted domain does not", listed, "eve@elsewhere.example", null],
    ["a listed consumer address counts", listed, "ana.ruiz@gmail.com", "ana.ruiz@gmail.com"],
    ["a consumer domain cannot be listed wholesale", listed, "bob@gmail.com", null],
    ["a malformed address is no client", open, "not-an-address", null],
  ])("%s", (_name, settings, address, expected) => {
    expect(clientKey(address, settings)).toBe(expected);
  });

  it("treats an owner-listed consumer domain per address", () => {
    const settings = parseSettings({ clients: { consumerDomains: ["family.example"] } });
    expect(clientKey("sam@family.example", settings)).toBe("sam@family.example");
  });
});
