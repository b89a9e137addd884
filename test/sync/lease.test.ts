import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobType } from "../../functions/schemas/jobs.ts";
import { LeaseLost, LeaseStore, withAccountLease } from "../../functions/sync/lease.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

let dynamo: TestDynamo;
const clock = { now: Date.parse("2026-03-02T10:00:00Z") };
let store: LeaseStore;
beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = new LeaseStore({
    client: dynamo.client,
    tableName: dynamo.tableName,
    durationMs: 60_000,
    now: () => new Date(clock.now),
  });
});
afterAll(async () => {
  await dynamo?.close();
});

let n = 0;
const account = () => `lease-${++n}`;

describe("LeaseStore", () => {
  it("lets one owner in and keeps the next out until it is released", async () => {
    const id = account();
    expect(await store.tryAcquire(id, "a")).toEqual([]);
    expect(await store.tryAcquire(id, "b")).toBeNull();
    expect(await store.releaseIfIdle(id, "a")).toBe(true);
    expect(await store.tryAcquire(id, "b")).toEqual([]);
  });

  it("hands an expired lease to the next owner, and the old one finds it lost", async () => {
    const id = account();
    await store.tryAcquire(id, "a");
    clock.now += 61_000;
    expect(await store.tryAcquire(id, "b")).toEqual([]);
    await expect(store.extend(id, "a")).rejects.toBeInstanceOf(LeaseLost);
    await expect(store.takePending(id, "a")).rejects.toBeInstanceOf(LeaseLost);
  });

  it("keeps noted syncs for the holder and refuses to release until they are taken", async () => {
    const id = account();
    await store.tryAcquire(id, "a");
    expect(await store.markPending(id, "calendar-sync")).toBe(true);
    expect(await store.markPending(id, "calendar-sync")).toBe(true);
    expect(await store.releaseIfIdle(id, "a")).toBe(false);
    expect(await store.takePending(id, "a")).toEqual(["calendar-sync"]);
    expect(await store.releaseIfIdle(id, "a")).toBe(true);
  });

  it("notes nothing when nobody holds the lease", async () => {
    expect(await store.markPending(account(), "gmail-sync")).toBe(false);
  });

  it("passes what was noted before a failure to the next holder", async () => {
    const id = account();
    await store.tryAcquire(id, "a");
    await store.markPending(id, "gmail-sync");
    await store.abandon(id, "a");
    expect(await store.tryAcquire(id, "b")).toEqual(["gmail-sync"]);
  });
});

describe("withAccountLease", () => {
  it("defers a second sync to the running one, which runs it before letting go", async () => {
    const id = account();
    const ran: JobType[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = withAccountLease(store, id, "gmail-sync", async (type) => {
      ran.push(type);
      if (ran.length === 1) await gate;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await withAccountLease(store, id, "calendar-sync", async (type) => {
      ran.push(type);
    });
    expect(second).toBe("deferred");
    release();
    expect(await first).toBe("ran");
    expect(ran).toEqual(["gmail-sync", "calendar-sync"]);
    expect(await store.tryAcquire(id, "next")).toEqual([]);
  });

  it("never runs two syncs of one account at once under contention", async () => {
    const id = account();
    let inside = 0;
    let overlap = false;
    let runs = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withAccountLease(store, id, "gmail-sync", async () => {
          inside++;
          runs++;
          if (inside > 1) overlap = true;
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside--;
        }),
      ),
    );
    expect(overlap).toBe(false);
    // Every deferred push was honoured by a run, but bursts collapse into few runs.
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(8);
  });

  it("gives the lease back when the work fails, and rethrows", async () => {
    const id = account();
    await expect(
      withAccountLease(store, id, "gmail-sync", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.tryAcquire(id, "after")).toEqual([]);
  });
});
