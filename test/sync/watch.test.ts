import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWatchService } from "../../functions/sync/watch.ts";
import { addAccount, inDays, type SyncWorld, startSyncWorld, TOPIC } from "./harness.ts";

const USERS = { a: "a@watch.example", b: "b@watch.example" };
let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld({ users: Object.values(USERS) });
});
afterAll(async () => {
  await world?.close();
});

describe("the watch service", () => {
  it("on connect: watches INBOX, opens a channel, routes both pushes and queues the first syncs", async () => {
    await addAccount(world, { accountId: "acct-a", email: USERS.a });
    const state = world.emulator.state(USERS.a);
    expect(state.watch).toMatchObject({ topicName: TOPIC, labelIds: ["INBOX"] });
    expect(state.channels).toHaveLength(1);
    expect(state.channels[0]?.address).toBe(`${world.url}/push/calendar`);
    expect(await world.services.directory.gmailAccount(USERS.a)).toBe("acct-a");
    const connectJobs = world.outcomes.filter(
      (o) => o.job.accountId === "acct-a" && o.job.reason === "connect",
    );
    expect(connectJobs.map((o) => o.job.type).sort()).toEqual(["calendar-sync", "gmail-sync"]);
  });

  it("on disconnect: stops the watch and the channel and forgets both routes", async () => {
    const channel = world.emulator.state(USERS.a).channels[0];
    await world.watch.disconnect("acct-a");
    // What the settings page does next (after revoking the grant with Google).
    await world.services.accounts.setConnection("acct-a", {
      state: "disconnected",
      reason: "disconnected by the owner",
      forgetToken: true,
    });
    const state = world.emulator.state(USERS.a);
    expect(state.watch).toBeNull();
    expect(state.channels).toEqual([]);
    expect(await world.services.directory.gmailAccount(USERS.a)).toBeNull();
    expect(await world.services.directory.calendarRoute(channel?.id ?? "")).toBeNull();
    const account = await world.services.accounts.getAccount("acct-a");
    expect(account?.calendar.channel).toBeNull();
  });

  it("renews nothing that is not yet due", async () => {
    await addAccount(world, { accountId: "acct-b", email: USERS.b });
    const report = await world.watch.renewAll();
    expect(report).toMatchObject({ gmailRenewed: 0, channelsRenewed: 0, failed: [] });
  });

  it("marks an account disconnected when renewing finds its grant revoked", async () => {
    world.emulator.revokeRefreshTokens(USERS.b);
    const renewing = createWatchService({
      accounts: world.services.accounts,
      directory: world.services.directory,
      // A fresh client, as a new day's cron would have: it must refresh and be refused.
      googleFor: world.services.googleFor,
      topicName: TOPIC,
      calendarAddress: `${world.url}/push/calendar`,
      now: () => inDays(6),
    });
    const report = await renewing.renewAll();
    expect(report.disconnected).toEqual(["acct-b"]);
    const account = await world.services.accounts.getAccount("acct-b");
    expect(account?.connection.state).toBe("disconnected");
  });
});
