import { readMessages, isParseFailure, splitMbox } from "./functions/core/parse/index.ts";
import { prepareTriage } from "./functions/core/triage.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
import PostalMime from "postal-mime";
import { createReadStream } from "node:fs";
const f = "/tmp/decorum-bench-5k.mbox";
async function cpuA(fn: () => Promise<void>) { const a = process.cpuUsage(); await fn(); const b = process.cpuUsage(a); return (b.user + b.system) / 1000 * 1000 / 5000; }
for (let r = 0; r < 3; r++) {
  const postal = await cpuA(async () => { for await (const raw of splitMbox(createReadStream(f))) await PostalMime.parse(raw); });
  const read = await cpuA(async () => { for await (const m of readMessages([f])) {} });
  const prep = await cpuA(async () => { for await (const m of readMessages([f])) if (!isParseFailure(m)) prepareTriage(m, DEFAULT_SETTINGS); });
  console.log(`µs/msg CPU: postal ${postal.toFixed(0)} readMessages ${read.toFixed(0)} read+prepare ${prep.toFixed(0)}`);
}
