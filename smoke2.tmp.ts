import { readMessages, isParseFailure } from "./functions/core/parse/index.ts";
import { classifyDetailed } from "./rules/classify.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
for await (const m of readMessages(process.argv.slice(2))) {
  if (isParseFailure(m)) { console.log("FAIL", m.source, m.error); continue; }
  const d = classifyDetailed(m, DEFAULT_SETTINGS);
  console.log(m.source, "|", m.subject, "=>", d.classification.category, d.classification.confidence, d.facts.language, "fwd:", d.facts.forwardCounts, d.evaluation?.signals.map(s=>`${s.id} ${s.evidence}`).join(" ; "));
}
