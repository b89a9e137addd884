import { describe, expect, it } from "vitest";
import { scheduleProblems } from "./schedule.ts";

describe("scheduleProblems", () => {
  it.each([
    "rate(1 minute)",
    "rate(15 minutes)",
    "rate(1 hour)",
    "rate(7 days)",
    "cron(0 * * * ? *)",
    "cron(17 3 * * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(0 8 ? * MON *)",
    "cron(0 8 ? * MON-FRI *)",
    "cron(15 10 ? * 6L 2024-2030)",
    "cron(0 18 ? * 2#1 *)",
    "cron(0 9 L * ? *)",
    "cron(0 9 15W * ? *)",
    "cron(0,30 8-17 ? JAN,JUL * *)",
    "at(2026-06-01T10:00:00)",
  ])("accepts %s", (expression) => {
    expect(scheduleProblems(expression)).toEqual([]);
  });

  it.each([
    ["rate(0 minutes)", "at least 1"],
    ["rate(1 minutes)", "singular"],
    ["rate(15 minute)", "plural"],
    ["rate(15 seconds)", "expected"],
    ["rate(every 15 minutes)", "expected"],
    ["cron(*/15 * * * *)", "6 fields"],
    ["cron(0 * * * * *)", "exactly one"],
    ["cron(0 * ? * ? *)", "exactly one"],
    ["cron(60 * * * ? *)", "outside 0-59"],
    ["cron(0 24 * * ? *)", "outside 0-23"],
    ["cron(0 8 0 * ? *)", "outside 1-31"],
    ["cron(0 8 ? 13 MON *)", "outside 1-12"],
    ["cron(0 8 ? * FUNDAY *)", "not a valid value"],
    ["cron(0 8 ? * 8 *)", "outside 1-7"],
    ["cron(0 ? * * ? *)", "only allowed"],
    ["cron(0/0 * * * ? *)", "step must be at least 1"],
    ["cron(0 17-9 * * ? *)", "backwards"],
    ["cron(0 8 ? * 2#6 *)", "occurrence"],
    ["cron(0 8 * * ? 1969)", "outside 1970-2199"],
    ["cron(0 8 L * ? *) extra", "not rate"],
    ["at(2026-06-01 10:00)", "yyyy-mm-dd"],
    ["every day", "not rate"],
  ])("rejects %s", (expression, problem) => {
    const problems = scheduleProblems(expression);
    expect(problems.join("\n")).toContain(problem);
  });
});
