import { describe, expect, it } from "vitest";
import { InProcessQueue } from "../../../functions/adapters/queue/in-process.ts";
import type { Job } from "../../../functions/schemas/jobs.ts";

const job = (accountId: string, extra: Partial<Job> = {}): Job => ({
  type: "gmail-sync",
  accountId,
  reason: "push",
  ...extra,
});

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe("InProcessQueue", () => {
  it("receives a failing job again, then runs it to success", async () => {
    let attempts = 0;
    const queue = new InProcessQueue({
      run: async () => {
        attempts++;
        if (attempts < 3) throw new Error("transient");
      },
      retryDelayMs: () => 1,
    });
    await queue.enqueue(job("a"));
    await queue.idle();
    expect(attempts).toBe(3);
    expect(queue.deadLetters).toEqual([]);
    expect(queue.stats).toMatchObject({ received: 3, failed: 2, succeeded: 1, deadLettered: 0 });
  });

  it("dead-letters a job after maxReceives receives, like an SQS redrive policy", async () => {
    const seen: number[] = [];
    const queue = new InProcessQueue({
      run: async () => {
        seen.push(Date.now());
        throw new Error("poison");
      },
      maxReceives: 4,
      retryDelayMs: () => 1,
    });
    await queue.enqueue(job("a", { historyId: "7" }));
    await queue.idle();
    expect(seen).toHaveLength(4);
    expect(queue.deadLetters).toEqual([
      { job: job("a", { historyId: "7" }), receives: 4, error: "poison" },
    ]);
  });

  it("waits the visibility delay between receives", async () => {
    const at: number[] = [];
    const queue = new InProcessQueue({
      run: async () => {
        at.push(Date.now());
        if (at.length === 1) throw new Error("once");
      },
      retryDelayMs: () => 40,
    });
    await queue.enqueue(job("a"));
    await queue.idle();
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it("never runs two jobs of one account at once, and runs accounts side by side", async () => {
    let running = 0;
    let peak = 0;
    const perAccount = new Map<string, number>();
    let accountOverlap = false;
    const queue = new InProcessQueue({
      run: async (j) => {
        running++;
        peak = Math.max(peak, running);
        const now = (perAccount.get(j.accountId) ?? 0) + 1;
        perAccount.set(j.accountId, now);
        if (now > 1) accountOverlap = true;
        await tick(10);
        perAccount.set(j.accountId, now - 1);
        running--;
      },
      concurrency: 3,
    });
    for (let i = 0; i < 5; i++) {
      await queue.enqueue(job("a", { type: i % 2 ? "calendar-sync" : "gmail-sync" }));
      await queue.enqueue(job("b", { type: i % 2 ? "calendar-sync" : "gmail-sync" }));
      await queue.enqueue(job("c", { type: i % 2 ? "calendar-sync" : "gmail-sync" }));
      await queue.enqueue(job("d", { type: i % 2 ? "calendar-sync" : "gmail-sync" }));
    }
    await queue.idle();
    expect(accountOverlap).toBe(false);
    expect(peak).toBe(3);
  });

  it("merges a waiting duplicate into the job ahead of it, keeping the newest historyId", async () => {
    const ran: Job[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new InProcessQueue({
      run: async (j) => {
        ran.push(j);
        await gate;
      },
    });
    await queue.enqueue(job("a", { historyId: "10" }));
    await tick();
    await queue.enqueue(job("a", { historyId: "11" }));
    await queue.enqueue(job("a", { historyId: "15" }));
    await queue.enqueue(job("a", { historyId: "12" }));
    await queue.enqueue(job("a", { type: "calendar-sync" }));
    release();
    await queue.idle();
    expect(ran).toEqual([
      job("a", { historyId: "10" }),
      job("a", { historyId: "15" }),
      job("a", { type: "calendar-sync" }),
    ]);
    expect(queue.stats.merged).toBe(2);
  });

  it("lets a periodic job absorb a waiting push (it looks at everything anyway)", async () => {
    const ran: Job[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new InProcessQueue({
      concurrency: 1,
      run: async (j) => {
        ran.push(j);
        await gate;
      },
    });
    await queue.enqueue(job("x", { reason: "periodic" }));
    await tick();
    await queue.enqueue(job("a", { historyId: "3" }));
    await queue.enqueue(job("a", { reason: "periodic" }));
    release();
    await queue.idle();
    expect(ran.slice(1)).toEqual([job("a", { reason: "periodic" })]);
  });

  it("resolves idle() at once when nothing is queued", async () => {
    const queue = new InProcessQueue({ run: async () => {} });
    await expect(queue.idle()).resolves.toBeUndefined();
  });
});
