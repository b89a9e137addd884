import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { RULEBOOK } from "./rules/classify.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const facts = [];
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) if (!isParseFailure(m)) facts.push(computeFacts(m, { settings: DEFAULT_SETTINGS }));
const set: any = RULEBOOK.text;
console.log("anyFirst", set.anyFirst.length, set.anyFirst.map((e: any) => e.phrase.source));
console.log("byPrefix", [...set.byPrefix.values()].reduce((a: number, l: any[]) => a + l.length, 0));
const freq = new Map<string, number>();
let tried = 0;
for (const f of facts) for (const w of f.tokens.words) { const b = set.byFirst.get(w); if (b) { tried += b.any.length; freq.set(w, (freq.get(w) ?? 0) + b.any.length); } }
console.log("any-tries per msg", tried / facts.length);
console.log([...freq].sort((a,b)=>b[1]-a[1]).slice(0,10));
for (const w of ["the","a","you","to","on","my","our"]) { const b = set.byFirst.get(w); if (b) console.log(w, b.any.map((e:any)=>e.phrase.source)); }
