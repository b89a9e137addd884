/**
 * Node 20.18.3+ and 22.13+ decode windows-1252 (and its WHATWG aliases iso-8859-1, latin1,
 * us-ascii) as Latin-1, so bytes 0x80–0x9F come out as C1 control characters instead of “ ” € …
 * (nodejs/node#60888). Mail text never means those controls, so they are mapped back to the
 * characters the sender typed. A no-op on runtimes with a correct decoder.
 */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

const HAS_C1 = /[\u0080-\u009f]/;
const ALL_C1 = /[\u0080-\u009f]/g;

export function repairC1(text: string): string {
  if (!HAS_C1.test(text)) return text;
  return text.replace(ALL_C1, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}
