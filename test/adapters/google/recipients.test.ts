import { describe, expect, it } from "vitest";
import {
  assertOnlyRecipient,
  SendRefused,
  singleMailbox,
} from "../../../functions/adapters/google/recipients.ts";

const OWN = "alex@morganadvisory.example";

function message(headers: string[]): string {
  return [...headers, "Subject: Your week with Decorum", "", "Three invitations this week."].join(
    "\r\n",
  );
}

describe("assertOnlyRecipient", () => {
  it.each([
    ["a bare address", [`To: ${OWN}`]],
    ["a name and address", [`To: Alex Morgan <${OWN}>`]],
    ["a quoted name with a comma", [`To: "Morgan, Alex" <${OWN}>`]],
    ["another capitalisation", ["To: Alex@MorganAdvisory.Example"]],
    ["a folded To", ["To: Alex Morgan\r\n <alex@morganadvisory.example>"]],
    ["an encoded name", [`To: =?UTF-8?B?QWxleCBNw7ZyZ2Fu?= <${OWN}>`]],
  ])("accepts %s", (_name, headers) => {
    expect(() => assertOnlyRecipient(message(headers), OWN)).not.toThrow();
  });

  it.each([
    [
      "another recipient",
      ["To: ana.ruiz@harbour.example"],
      /refused to send to ana.ruiz@harbour.example/,
    ],
    [
      "a name hiding another address",
      [`To: "${OWN}" <eve@elsewhere.example>`],
      /refused to send to eve@/,
    ],
    ["two recipients", [`To: ${OWN}, ana.ruiz@harbour.example`], /single address/],
    ["a group", [`To: friends: ${OWN};`], /single address/],
    ["no To", [`From: ${OWN}`], /exactly one To header; it has 0/],
    ["two To headers", [`To: ${OWN}`, "To: ana.ruiz@harbour.example"], /it has 2/],
    ["a Cc", [`To: ${OWN}`, "Cc: ana.ruiz@harbour.example"], /no other recipients; it has cc/],
    ["a Bcc", [`To: ${OWN}`, "BCC: ana.ruiz@harbour.example"], /it has bcc/],
    ["a folded Bcc", [`To: ${OWN}`, "Bcc:\r\n ana.ruiz@harbour.example"], /it has bcc/],
    ["a comment", [`To: ${OWN} (Alex)`], /single address/],
  ])("refuses %s", (_name, headers, why) => {
    expect(() => assertOnlyRecipient(message(headers), OWN)).toThrow(SendRefused);
    expect(() => assertOnlyRecipient(message(headers), OWN)).toThrow(why);
  });

  it("ignores a To line in the body", () => {
    const raw = `To: ${OWN}\r\nSubject: x\r\n\r\nTo: ana.ruiz@harbour.example\r\n`;
    expect(() => assertOnlyRecipient(raw, OWN)).not.toThrow();
  });
});

describe("singleMailbox", () => {
  it.each([
    ["<ana@x.example>", "ana@x.example"],
    ["Ana <ANA@X.example>", "ana@x.example"],
    ["ana@x.example, bob@y.example", null],
    ["undisclosed-recipients:;", null],
  ])("%s → %s", (value, expected) => {
    expect(singleMailbox(value)).toBe(expected);
  });
});
