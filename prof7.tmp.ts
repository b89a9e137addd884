import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { RULEBOOK, classifyDetailed } from "./rules/classify.ts";
import { evaluate } from "./rules/engine.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
import PostalMime from "postal-mime";
import { splitMbox } from "./functions/core/parse/index.ts";
import { createReadStream } from "node:fs";
const msgs = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) msgs.push(m); }
const raws = [];
for await (const raw of splitMbox(createReadStream("/tmp/decorum-bench-5k.mbox"))) raws.push(raw);
function cpu(fn: () => void) { const a = process.cpuUsage(); fn(); const b = process.cpuUsage(a); return (b.user + b.system) / 1000; }
async function cpuA(fn: () => Promise<void>) { const a = process.cpuUsage(); await fn(); const b = process.cpuUsage(a); return (b.user + b.system) / 1000; }
const res: Record<string, number[]> = { facts: [], evaluate: [], classify: [], postal: [] };
for (let r = 0; r < 5; r++) {
  let facts: any[] = [];
  res.facts.push(cpu(() => { facts = msgs.map(m => computeFacts(m, { settings: DEFAULT_SETTINGS })); }));
  res.evaluate.push(cpu(() => { for (const f of facts) evaluate(RULEBOOK, f); }));
  res.classify.push(cpu(() => { for (const m of msgs) classifyDetailed(m, DEFAULT_SETTINGS); }));
  res.postal.push(await cpuA(async () => { for (const raw of raws) await PostalMime.parse(raw); }));
}
for (const [k, v] of Object.entries(res)) console.log(k, "min µs/msg", (Math.min(...v) * 1000 / msgs.length).toFixed(1));
