import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { classifyDetailed } from "./rules/classify.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
import type { ParsedMessage } from "./functions/core/model.ts";
let t = performance.now();
const msgs: ParsedMessage[] = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) msgs.push(m);
console.log("read+parse", (performance.now()-t).toFixed(0), "ms", msgs.length);
t = performance.now();
for (const m of msgs) computeFacts(m, { settings: DEFAULT_SETTINGS });
console.log("facts", (performance.now()-t).toFixed(0), "ms");
t = performance.now();
const cats: Record<string, number> = {};
for (const m of msgs) { const c = classifyDetailed(m, DEFAULT_SETTINGS).classification.category; cats[c] = (cats[c]??0)+1; }
console.log("classify", (performance.now()-t).toFixed(0), "ms", cats);
const lens = msgs.map(m => m.text.length).sort((a,b)=>a-b);
console.log("text len median", lens[lens.length>>1], "max", lens.at(-1));
