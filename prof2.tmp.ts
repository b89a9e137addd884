import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { RULEBOOK } from "./rules/classify.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const scans: string[] = [];
let n = 0;
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) scans.push(computeFacts(m, { settings: DEFAULT_SETTINGS }).scan); if (++n >= 1000) break; }
const rows: [string, number][] = [];
for (const r of [...RULEBOOK.markers, ...RULEBOOK.rules]) {
  if (!r.text) continue;
  const t = performance.now();
  for (const s of scans) { r.text.lastIndex = 0; while (r.text.exec(s)) {} }
  rows.push([r.spec.id, performance.now() - t]);
}
if (RULEBOOK.falseFriends) { const t = performance.now(); for (const s of scans) s.replace(RULEBOOK.falseFriends, " "); rows.push(["falseFriends", performance.now()-t]); }
rows.sort((a,b)=>b[1]-a[1]);
for (const [id, ms] of rows.slice(0, 15)) console.log(id, ms.toFixed(1));
console.log("avg scan len", scans.reduce((a,s)=>a+s.length,0)/scans.length);
