/**
 * `npm run bench`: every performance figure Decorum tracks, printed as it is measured and, on the
 * last line, as one JSON object holding every figure.
 */
import { benchBundles, benchCosts } from "./bundles.ts";
import { benchLedger } from "./ledger.ts";
import { benchPush } from "./push.ts";
import { benchTriage } from "./triage.ts";

export type Figures = Record<string, number | string>;
export type Section = (log: (line: string) => void) => Promise<Figures>;

const sections: Array<[string, Section]> = [
  ["triage", benchTriage],
  ["ledger", benchLedger],
  ["push", benchPush],
  ["bundles", benchBundles],
  ["costs", benchCosts],
];

const only = process.argv.slice(2);
const figures: Figures = {};
for (const [name, run] of sections) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  Object.assign(figures, await run((line) => console.log(`   ${line}`)));
}
console.log(JSON.stringify(figures));
