/**
 * EventBridge Scheduler expressions, as CronV2 passes them through: `rate(value unit)`,
 * `cron(minutes hours day-of-month month day-of-week year)` and `at(yyyy-mm-ddThh:mm:ss)`.
 * Returns what is wrong, or an empty list. Follows the EventBridge reference: six fields, exactly
 * one of day-of-month and day-of-week is `?`, and the field-specific wildcards (L, W, #).
 */
export function scheduleProblems(expression: string): string[] {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblems(rate[1] ?? "");
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblems(cron[1] ?? "");
  const at = /^at\((.*)\)$/.exec(expression);
  if (at) return atProblems(at[1] ?? "");
  return [`"${expression}" is not rate(...), cron(...) or at(...)`];
}

function rateProblems(body: string): string[] {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) return [`rate(${body}): expected "<positive whole number> <minute|hour|day>[s]"`];
  const value = Number(match[1]);
  const unit = match[2] ?? "";
  if (value < 1) return [`rate(${body}): the value must be at least 1`];
  const plural = unit.endsWith("s");
  if (value === 1 && plural) return [`rate(${body}): a value of 1 takes a singular unit`];
  if (value > 1 && !plural) return [`rate(${body}): a value above 1 takes a plural unit`];
  return [];
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Special characters beyond `, - * /`. */
  special: "none" | "day-of-month" | "day-of-week";
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: readonly FieldSpec[] = [
  { name: "minutes", min: 0, max: 59, special: "none" },
  { name: "hours", min: 0, max: 23, special: "none" },
  { name: "day-of-month", min: 1, max: 31, special: "day-of-month" },
  { name: "month", min: 1, max: 12, names: MONTHS, special: "none" },
  { name: "day-of-week", min: 1, max: 7, names: DAYS, special: "day-of-week" },
  { name: "year", min: 1970, max: 2199, special: "none" },
];

function cronProblems(body: string): string[] {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return [
      `cron(${body}): EventBridge takes 6 fields (min hour day month weekday year), got ${fields.length}`,
    ];
  }
  const problems: string[] = [];
  FIELDS.forEach((spec, index) => {
    const problem = fieldProblem(fields[index] ?? "", spec);
    if (problem) problems.push(`cron(${body}): ${spec.name} ${problem}`);
  });
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    problems.push(`cron(${body}): exactly one of day-of-month and day-of-week must be "?"`);
  }
  return problems;
}

/** Why one field is invalid, or null. */
function fieldProblem(field: string, spec: FieldSpec): string | null {
  if (field === "?") {
    return spec.special === "none" ? `"?" is only allowed in day-of-month and day-of-week` : null;
  }
  for (const item of field.split(",")) {
    const problem = itemProblem(item, spec);
    if (problem) return problem;
  }
  return null;
}

function itemProblem(item: string, spec: FieldSpec): string | null {
  if (item === "") return "has an empty list item";
  if (spec.special === "day-of-month") {
    if (item === "L" || item === "LW") return null;
    const weekday = /^(\d+)W$/.exec(item);
    if (weekday) return valueProblem(weekday[1] ?? "", spec);
  }
  if (spec.special === "day-of-week") {
    if (item === "L") return null;
    const last = /^(\w+)L$/.exec(item);
    if (last) return valueProblem(last[1] ?? "", spec);
    const nth = /^(\w+)#(\d)$/.exec(item);
    if (nth) {
      const n = Number(nth[2]);
      if (n < 1 || n > 5) return `"${item}": the # occurrence is 1-5`;
      return valueProblem(nth[1] ?? "", spec);
    }
  }
  const [range, step, ...rest] = item.split("/");
  if (rest.length > 0) return `"${item}" has more than one "/"`;
  if (step !== undefined && !/^\d+$/.test(step)) return `"${item}": the step must be a number`;
  if (step !== undefined && Number(step) < 1) return `"${item}": the step must be at least 1`;
  if (range === "*") return null;
  const bounds = (range ?? "").split("-");
  if (bounds.length > 2) return `"${item}" is not a value or a range`;
  for (const bound of bounds) {
    const problem = valueProblem(bound, spec);
    if (problem) return problem;
  }
  if (bounds.length === 2) {
    const [from, to] = bounds.map((bound) => numeric(bound, spec));
    if (from !== undefined && to !== undefined && from > to && spec.names === undefined) {
      return `"${item}": the range runs backwards`;
    }
  }
  return null;
}

function numeric(value: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const index = spec.names?.indexOf(value.toUpperCase()) ?? -1;
  return index >= 0 ? index + spec.min : undefined;
}

function valueProblem(value: string, spec: FieldSpec): string | null {
  const number = numeric(value, spec);
  if (number === undefined) return `"${value}" is not a valid value`;
  if (number < spec.min || number > spec.max) {
    return `"${value}" is outside ${spec.min}-${spec.max}`;
  }
  return null;
}

function atProblems(body: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body)) {
    return [`at(${body}): expected yyyy-mm-ddThh:mm:ss`];
  }
  return Number.isNaN(Date.parse(`${body}Z`)) ? [`at(${body}): not a real date and time`] : [];
}
