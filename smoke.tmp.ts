import { classifyDetailed } from "./rules/classify.ts";
import { DEFAULT_SETTINGS } from "./functions/schemas/settings.ts";
import { emailWith } from "./test/rules/message.ts";
const texts = process.argv.slice(2);
for (const t of texts) {
  const d = classifyDetailed(emailWith(t), DEFAULT_SETTINGS);
  console.log(t, "=>", d.classification.category, d.classification.confidence, d.facts.language, d.evaluation?.scores, d.evaluation?.signals.map(s=>`${s.id}(${s.weight}) ${s.evidence}`));
}
