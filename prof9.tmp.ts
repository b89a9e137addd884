import { RULEBOOK } from "./rules/classify.ts";
const set: any = RULEBOOK.text;
const by: Map<string, any[]> = (set as any)["_byFirst"] ?? null;
console.log(Object.getOwnPropertyNames(set));
