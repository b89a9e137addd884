import { describe, expect, it } from "vitest";
import { replySubject, stripReplyPrefixes } from "../../../functions/core/reply/subject.ts";

describe("replySubject", () => {
  it.each([
    ["Dinner on Thursday", "Re: Dinner on Thursday"],
    ["Re: Dinner on Thursday", "Re: Dinner on Thursday"],
    ["RE: Re: re: Dinner", "Re: Dinner"],
    ["Fwd: Golf day", "Re: Golf day"],
    ["FW: RE: Golf day", "Re: Golf day"],
    ["Re[2]: Golf day", "Re: Golf day"],
    ["RE (3): Golf day", "Re: Golf day"],
    ["AW: WG: Abendessen bei uns", "Re: Abendessen bei uns"],
    ["Aw: Einladung zum Grillen", "Re: Einladung zum Grillen"],
    ["RV: RE: Cena en el café", "Re: Cena en el café"],
    ["TR : RE : Dîner chez nous", "Re: Dîner chez nous"],
    ["Re：打ち合わせ", "Re: 打ち合わせ"],
    ["  Re:   Drinks   after   work ", "Re: Drinks after work"],
    ["Invitation: Golf @ Thu Mar 5, 2026", "Re: Invitation: Golf @ Thu Mar 5, 2026"],
    ["Regarding lunch", "Re: Regarding lunch"],
    ["Trivia night", "Re: Trivia night"],
    ["Fwdable: ideas", "Re: Fwdable: ideas"],
    ["", "Re: Your invitation"],
    ["Re:", "Re: Your invitation"],
  ])("%j → %j", (original, expected) => {
    expect(replySubject(original, "Your invitation")).toBe(expected);
  });

  it("is idempotent: replying to a reply gives the same subject", () => {
    const once = replySubject("AW: Grüße aus München", "x");
    expect(replySubject(once, "x")).toBe(once);
  });
});

describe("stripReplyPrefixes", () => {
  it.each([
    ["Re: Fwd: RE: AW: TR: RV: WG: Hello", "Hello"],
    ["Hello", "Hello"],
  ])("%j → %j", (subject, expected) => {
    expect(stripReplyPrefixes(subject)).toBe(expected);
  });
});
