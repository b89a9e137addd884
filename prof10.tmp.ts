import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { prepareTriage, settleTriage } from "./functions/core/triage.ts";
import { MemoryLedger } from "./functions/core/ledger.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const prepared = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) prepared.push(prepareTriage(m, DEFAULT_SETTINGS));
console.log("ready");
for (let r = 0; r < 3; r++) {
  const deps = { settings: DEFAULT_SETTINGS, ledger: new MemoryLedger(), now: new Date() };
  for (const p of prepared) await settleTriage(p, deps);
}
console.log("done");
