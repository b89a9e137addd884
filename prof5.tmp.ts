import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { RULEBOOK } from "./rules/classify.ts";
import { evaluate } from "./rules/engine.ts";
import { tokenize } from "./rules/text.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const msgs = [];
let n = 0;
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) msgs.push(m); if (++n >= 2000) break; }
for (let round = 0; round < 4; round++) {
  let t = performance.now();
  const facts = msgs.map(m => computeFacts(m, { settings: DEFAULT_SETTINGS }));
  const tf = performance.now() - t; t = performance.now();
  const toks = facts.map(f => tokenize(f.scan));
  const tt = performance.now() - t; t = performance.now();
  for (const tk of toks) RULEBOOK.text.matches(tk);
  const tm = performance.now() - t; t = performance.now();
  for (const f of facts) evaluate(RULEBOOK, f);
  const te = performance.now() - t;
  console.log(`facts ${tf.toFixed(0)} tokenize ${tt.toFixed(0)} matches ${tm.toFixed(0)} evaluate ${te.toFixed(0)} (ms per 2000)`);
}
console.log("avg tokens", facts0());
function facts0() { const f = msgs.map(m => tokenize(computeFacts(m, { settings: DEFAULT_SETTINGS }).scan).words.length); return f.reduce((a,b)=>a+b,0)/f.length; }
