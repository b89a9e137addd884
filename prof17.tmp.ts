import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { tokenize } from "./rules/text.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const scans: string[] = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) scans.push(computeFacts(m, { settings: DEFAULT_SETTINGS }).scan);
const ASCII_TOKEN = /[a-z0-9]+|[?!.]/g;
const U_TOKEN = /[\p{L}\p{N}]+|[?!.]/gu;
const ASCII = /^[\x00-\x7f]*$/;
function tok2(text: string) {
  const words: string[] = []; const starts: number[] = []; const ends: number[] = [];
  const re = ASCII.test(text) ? ASCII_TOKEN : U_TOKEN;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) { words.push(m[0]); starts.push(m.index); ends.push(m.index + m[0].length); }
  return { text, words, starts, ends };
}
function cpu(fn: () => void) { const a = process.cpuUsage(); fn(); const b = process.cpuUsage(a); return (b.user + b.system) / scans.length; }
for (let r = 0; r < 5; r++) {
  const a = cpu(() => { for (const s of scans) tokenize(s); });
  const b = cpu(() => { for (const s of scans) tok2(s); });
  console.log(`loop ${a.toFixed(2)} regex ${b.toFixed(2)} µs/msg`);
}
let same = true; for (const s of scans) { if (JSON.stringify(tokenize(s).words) !== JSON.stringify(tok2(s).words)) { same = false; console.log(s.slice(0,200)); break; } }
console.log("same", same, scans.filter(s => !ASCII.test(s)).length);
