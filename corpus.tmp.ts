import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { isParseFailure, readMessages } from "./functions/core/parse/index.ts";
import { classifyDetailed } from "./rules/classify.ts";
import { parseSettings } from "./functions/schemas/settings.ts";
const CORPUS = "test/fixtures/corpus/";
const labels = JSON.parse(await readFile(CORPUS + "labels.json", "utf8"));
const settings = parseSettings({ owner: { name: "Alex Morgan", email: "alex@morganadvisory.example" } });
const filter = process.argv[2] ?? "wrong";
let right = 0, total = 0, langRight = 0;
for await (const m of readMessages([CORPUS])) {
  if (isParseFailure(m)) { console.log("FAIL", m.source); continue; }
  const key = relative(CORPUS, m.source);
  const label = labels[key];
  const d = classifyDetailed(m, settings);
  total++;
  const ok = d.classification.category === label.category;
  if (ok) right++;
  if (d.classification.language === label.language) langRight++;
  const show = filter === "all" || (filter === "wrong" && !ok) || key.includes(filter) || (filter === "lang" && d.classification.language !== label.language);
  if (!show) continue;
  console.log(`\n=== ${key}  expected ${label.category}/${label.language}  got ${d.classification.category}/${d.classification.language} conf ${d.classification.confidence}`);
  console.log(`note: ${label.note}`);
  console.log(`from: ${m.from?.address} subj: ${m.subject} | fwd ${d.facts.forwardCounts} reply ${d.facts.isReply} bulk ${d.facts.bulk} cal ${d.facts.calendar ? JSON.stringify({m: d.facts.calendar.method, h: d.facts.calendar.hour, wd: d.facts.calendar.weekday, role: d.facts.calendar.ownerRole, loc: d.facts.calendar.location}) : "-"}`);
  console.log("signals:", d.evaluation?.signals.map(s => `${s.id}(${s.weight})[${s.evidence}]`).join(" "));
  const sc = d.evaluation?.scores ?? {};
  console.log("scores:", Object.entries(sc).filter(([, v]) => (v as number) > 0).map(([k, v]) => `${k}=${v}`).join(" "));
  console.log("scan:", d.facts.scan.slice(0, Number(process.env.N ?? 600)).replace(/\n/g, " ⏎ "));
}
console.log(`\n${right}/${total} = ${(right / total * 100).toFixed(1)}%  language ${langRight}/${total}`);
