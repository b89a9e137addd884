import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { RULEBOOK } from "./rules/classify.ts";
import { evaluate } from "./rules/engine.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const facts = [];
let n = 0;
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) facts.push(computeFacts(m, { settings: DEFAULT_SETTINGS })); if (++n >= 2000) break; }
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (const f of facts) evaluate(RULEBOOK, f);
  console.log("evaluate x", facts.length, (performance.now() - t).toFixed(0), "ms");
}
