import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { prepareTriage, settleTriage } from "./functions/core/triage.ts";
import { MemoryLedger } from "./functions/core/ledger.ts";
import { DEFAULT_SETTINGS, parseSettings } from "./functions/schemas/settings.ts";
const prepared = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) prepared.push(prepareTriage(m, DEFAULT_SETTINGS));
const noDecline = parseSettings({ overrides: { objectionable: "accept", home_visit: "accept", romantic: "accept" }, rules: { "policy.frequency": false } });
async function cpuA(fn: () => Promise<void>) { const a = process.cpuUsage(); await fn(); const b = process.cpuUsage(a); return (b.user + b.system) / 1000; }
for (let r = 0; r < 4; r++) {
  const a = await cpuA(async () => { const deps = { settings: DEFAULT_SETTINGS, ledger: new MemoryLedger(), now: new Date() }; for (const p of prepared) await settleTriage(p, deps); });
  const b = await cpuA(async () => { const deps = { settings: noDecline, ledger: new MemoryLedger(), now: new Date() }; for (const p of prepared) await settleTriage(p, deps); });
  console.log(`settle with drafts ${(a*1000/5000).toFixed(1)} µs/msg, without drafts ${(b*1000/5000).toFixed(1)} µs/msg`);
}
