import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { computeFacts } from "./functions/core/facts.ts";
import { falseFriends } from "./rules/rulebook.ts";
import { phraseSource, fold } from "./rules/text.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
const scans: string[] = [];
let n = 0;
for await (const m of readMessages(["/tmp/decorum-bench-5k.mbox"])) { if (!isParseFailure(m)) scans.push(computeFacts(m, { settings: DEFAULT_SETTINGS }).scan); if (++n >= 1000) break; }
const phrases = falseFriends.flatMap(f => Object.values(f.phrases).flat());
const inner = phrases.map(p => phraseSource(p).replace("(?<![\\p{L}\\p{N}])", "").replace(/\(\?!\[\\p\{L\}\\p\{N\}\]\)$/, ""));
function time(name: string, re: RegExp) {
  const t = performance.now();
  let c = 0;
  for (const s of scans) { re.lastIndex = 0; while (re.exec(s)) c++; }
  console.log(name, (performance.now() - t).toFixed(1), c);
}
time("current", new RegExp(phrases.map(phraseSource).join("|"), "gu"));
time("factored-u", new RegExp(`(?<![\\p{L}\\p{N}])(?:${inner.join("|")})(?![\\p{L}\\p{N}])`, "gu"));
const simple = inner.map(s => s.replaceAll("\\p{L}", "[a-z\\u00c0-\\uffff]"));
time("factored-simple-u", new RegExp(`(?<![a-z0-9\\u00c0-\\uffff])(?:${simple.join("|")})(?![a-z0-9\\u00c0-\\uffff])`, "gu"));
time("factored-simple-nou", new RegExp(`(?<![a-z0-9\\u00c0-\\uffff])(?:${simple.join("|")})(?![a-z0-9\\u00c0-\\uffff])`, "g"));
time("b-simple-nou", new RegExp(`\\b(?:${simple.join("|")})\\b`, "g"));
console.log(inner.slice(0,3));
import { RULEBOOK } from "./rules/classify.ts";
if (RULEBOOK.falseFriends) time("rulebook", RULEBOOK.falseFriends);
time("current-again", new RegExp(phrases.map(phraseSource).join("|"), "gu"));
console.log(RULEBOOK.falseFriends?.source === new RegExp(phrases.map(phraseSource).join("|"), "gu").source);
const biz = RULEBOOK.rules.find(r => r.spec.id === "business_meeting.meeting")!.text!;
time("biz", biz);
