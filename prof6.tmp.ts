import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { prepareTriage, settleTriage } from "./functions/core/triage.ts";
import { MemoryLedger } from "./functions/core/ledger.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const file = "/tmp/decorum-bench-5k.mbox";
let t = performance.now(); let n = 0;
for await (const m of readMessages([file])) n++;
console.log("read", n, (performance.now()-t).toFixed(0));
t = performance.now(); const prepared = [];
for await (const m of readMessages([file])) if (!isParseFailure(m)) prepared.push(prepareTriage(m, DEFAULT_SETTINGS));
console.log("read+prepare", (performance.now()-t).toFixed(0));
t = performance.now();
const deps = { settings: DEFAULT_SETTINGS, ledger: new MemoryLedger(), now: new Date() };
let drafts = 0;
for (const p of prepared) { const r = await settleTriage(p, deps); if (r.draft) drafts++; }
console.log("settle", (performance.now()-t).toFixed(0), "drafts", drafts);
t = performance.now();
const deps2 = { settings: { ...DEFAULT_SETTINGS }, ledger: new MemoryLedger(), now: new Date() };
let c = 0;
for (const p of prepared) { await deps2.ledger.lookup("x"+c++, p.client); }
console.log("lookups", (performance.now()-t).toFixed(0));
