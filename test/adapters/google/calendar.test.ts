import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalendarApiEvent } from "../../../functions/adapters/google/index.ts";
import type { GoogleEmulator } from "../../emulator/index.ts";
import { connect, OTHER, OWNER, startEmulator } from "./harness.ts";

let emulator: GoogleEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

function invitation(id: string, summary: string) {
  return {
    id,
    iCalUID: `${id}@harbour.example`,
    status: "confirmed",
    summary,
    location: "Harbour Club",
    start: { dateTime: "2025-03-07T19:30:00+01:00", timeZone: "Europe/Madrid" },
    end: { dateTime: "2025-03-07T22:00:00+01:00", timeZone: "Europe/Madrid" },
    organizer: { email: "ana@harbour.example", displayName: "Ana Ruiz" },
    attendees: [
      { email: "ana@harbour.example", organizer: true, responseStatus: "accepted" },
      { email: OWNER, self: true, responseStatus: "needsAction" },
    ],
  };
}

async function allEvents(
  list: (
    pageToken?: string,
  ) => Promise<{ events: CalendarApiEvent[]; nextPageToken?: string; nextSyncToken?: string }>,
) {
  const events: CalendarApiEvent[] = [];
  let pageToken: string | undefined;
  let nextSyncToken: string | undefined;
  do {
    const page = await list(pageToken);
    events.push(...page.events);
    pageToken = page.nextPageToken;
    nextSyncToken = page.nextSyncToken;
  } while (pageToken);
  return { events, nextSyncToken };
}

describe("CalendarPort over the emulator", () => {
  it("lists events in full, then only what changed since the sync token", async () => {
    const { clients } = connect(emulator);
    await emulator.upsertEvent(OWNER, invitation("dinner0001", "Dinner at the Harbour Club"));
    const full = await allEvents((pageToken) => clients.calendar.listEvents({ pageToken }));
    const dinner = full.events.find((e) => e.id === "dinner0001");
    expect(dinner).toMatchObject({
      iCalUID: "dinner0001@harbour.example",
      summary: "Dinner at the Harbour Club",
      organizer: { email: "ana@harbour.example" },
      start: { dateTime: expect.any(String), timeZone: "Europe/Madrid" },
    });
    expect(dinner?.attendees).toContainEqual(
      expect.objectContaining({ email: OWNER, self: true, responseStatus: "needsAction" }),
    );
    expect(full.nextSyncToken).toBeTruthy();

    await emulator.upsertEvent(OWNER, invitation("golf000001", "Golf on Saturday"));
    const changes = await clients.calendar.listEvents({ syncToken: full.nextSyncToken });
    expect(changes.events.map((e) => e.id)).toEqual(["golf000001"]);
    expect(changes.nextSyncToken).toBeTruthy();
  });

  it("reports cancelled events in an incremental sync", async () => {
    const { clients } = connect(emulator);
    await emulator.upsertEvent(OWNER, invitation("lunch00001", "Lunch"));
    const full = await allEvents((pageToken) => clients.calendar.listEvents({ pageToken }));
    await emulator.upsertEvent(OWNER, {
      ...invitation("lunch00001", "Lunch"),
      status: "cancelled",
    });
    const changes = await clients.calendar.listEvents({ syncToken: full.nextSyncToken });
    expect(changes.events).toContainEqual(
      expect.objectContaining({ id: "lunch00001", status: "cancelled" }),
    );
  });

  it("answers an expired sync token as gone, without retrying", async () => {
    const { clients, time } = connect(emulator, OTHER);
    const full = await allEvents((pageToken) => clients.calendar.listEvents({ pageToken }));
    emulator.invalidateSyncTokens(OTHER);
    const error = await clients.calendar
      .listEvents({ syncToken: full.nextSyncToken })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "gone", status: 410, attempts: 1 });
    expect(String(error)).toContain("full sync");
    expect(time.sleeps).toEqual([]);
  });

  it("opens a channel and stops it, twice without complaint", async () => {
    const { clients } = connect(emulator);
    const channel = await clients.calendar.watch({
      id: "decorum-channel-0001",
      address: "https://decorum.example/calendar/push",
      token: "account=abc",
      ttlSeconds: 3600,
    });
    expect(channel.id).toBe("decorum-channel-0001");
    expect(channel.resourceId).not.toBe("");
    expect(channel.expiration.getTime()).toBeGreaterThan(Date.now());
    expect(emulator.state(OWNER).channels.map((c) => c.id)).toContain("decorum-channel-0001");
    await clients.calendar.stopChannel({ id: channel.id, resourceId: channel.resourceId });
    expect(emulator.state(OWNER).channels.map((c) => c.id)).not.toContain("decorum-channel-0001");
    await expect(
      clients.calendar.stopChannel({ id: channel.id, resourceId: channel.resourceId }),
    ).resolves.toBeUndefined();
  });
});
