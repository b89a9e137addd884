import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const msgs = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) msgs.push(m);
console.log("go");
for (let r = 0; r < 20; r++) for (const m of msgs) computeFacts(m, { settings: DEFAULT_SETTINGS });
console.log("done");
