import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { classifyDetailed } from "./rules/classify.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const msgs = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) msgs.push(m); }
console.log("loaded", msgs.length);
for (let r = 0; r < 8; r++) for (const m of msgs) classifyDetailed(m, DEFAULT_SETTINGS);
console.log("done");
