import type { calendar_v3 } from "@googleapis/calendar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GoogleEmulator, startGoogleEmulator } from "./index.ts";
import { CALENDAR_DIR, clientsFor, googleError, type Receiver, startReceiver } from "./testkit.ts";

const OWNER = "owner@example.com";

let emu: GoogleEmulator;
let cal: calendar_v3.Calendar;
let receiver: Receiver;

beforeAll(async () => {
  emu = await startGoogleEmulator({
    users: [{ email: OWNER, calendarDir: CALENDAR_DIR, timeZone: "Europe/Madrid" }],
  });
  cal = clientsFor(emu, OWNER).calendar;
  receiver = await startReceiver();
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

/** A fresh user with its own calendar, for tests that change state. */
function freshUser(name: string): { email: string; cal: calendar_v3.Calendar } {
  const email = `${name}@example.com`;
  emu.addUser({ email });
  return { email, cal: clientsFor(emu, email).calendar };
}

async function listAll(c: calendar_v3.Calendar, params: calendar_v3.Params$Resource$Events$List) {
  const items: calendar_v3.Schema$Event[] = [];
  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken: string | undefined;
  do {
    const res = await c.events.list({
      calendarId: "primary",
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    pages.push(res.data);
    items.push(...(res.data.items ?? []));
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  return { items, pages, nextSyncToken: pages[pages.length - 1]?.nextSyncToken ?? undefined };
}

describe("seeded calendar", () => {
  it("loads Calendar-shaped JSON and .ics events, marking the owner's entries self", async () => {
    const res = await cal.events.list({ calendarId: "primary" });
    expect(res.data.kind).toBe("calendar#events");
    expect(res.data.timeZone).toBe("Europe/Madrid");
    expect(res.data.nextSyncToken).toBeTruthy();
    expect(res.data.nextPageToken).toBeUndefined();
    const bySummary = new Map((res.data.items ?? []).map((e) => [e.summary, e]));
    expect([...bySummary.keys()].sort()).toEqual([
      "Bank holiday",
      "Dentist",
      "Spring charity gala",
      "Weekly tasting lunch",
    ]);

    const gala = bySummary.get("Spring charity gala");
    expect(gala?.organizer).toEqual({
      email: "events@client-firm.com",
      displayName: "Client Firm Events",
    });
    expect(gala?.attendees?.find((a) => a.self)).toEqual({
      email: OWNER,
      responseStatus: "needsAction",
      self: true,
    });
    expect(gala?.iCalUID).toBe("gala2025spring@google.com");

    const lunch = bySummary.get("Weekly tasting lunch");
    expect(lunch?.iCalUID).toBe("weekly-lunch-2025@bodega.es");
    expect(lunch?.start).toEqual({
      dateTime: "2025-03-03T13:30:00+01:00",
      timeZone: "Europe/Madrid",
    });
    expect(lunch?.organizer).toEqual({ email: "jose@bodega.es", displayName: "Jose Garcia" });
    expect(lunch?.attendees?.find((a) => a.self)?.responseStatus).toBe("needsAction");
    expect(lunch?.recurrence?.[0]).toBe("RRULE:FREQ=WEEKLY;COUNT=6");

    const dentist = bySummary.get("Dentist");
    expect(dentist?.organizer).toEqual({ email: OWNER, self: true });
  });

  it("expands recurring events with singleEvents, honouring EXDATE and DST", async () => {
    const { items } = await listAll(cal, {
      singleEvents: true,
      orderBy: "startTime",
      q: "tasting",
    });
    expect(items.map((e) => e.start?.dateTime)).toEqual([
      "2025-03-03T13:30:00+01:00",
      "2025-03-10T13:30:00+01:00",
      "2025-03-24T13:30:00+01:00",
      "2025-03-31T13:30:00+02:00",
      "2025-04-07T13:30:00+02:00",
    ]);
    const first = items[0];
    const masterId = (await cal.events.list({ calendarId: "primary", q: "tasting" })).data
      .items?.[0]?.id;
    expect(first?.recurringEventId).toBe(masterId);
    expect(first?.id).toBe(`${masterId}_20250303T123000Z`);
    expect(first?.end?.dateTime).toBe("2025-03-03T15:00:00+01:00");
    expect(first?.recurrence).toBeUndefined();

    const instance = await cal.events.get({ calendarId: "primary", eventId: items[3]?.id ?? "" });
    expect(instance.data.originalStartTime?.dateTime).toBe("2025-03-31T13:30:00+02:00");
  });

  it("refuses orderBy=startTime without singleEvents", async () => {
    expect(
      (await googleError(cal.events.list({ calendarId: "primary", orderBy: "startTime" }))).status,
    ).toBe(400);
  });

  it("filters by timeMin and timeMax", async () => {
    const res = await cal.events.list({
      calendarId: "primary",
      singleEvents: true,
      timeMin: "2025-03-15T00:00:00Z",
      timeMax: "2025-04-01T00:00:00Z",
      orderBy: "startTime",
    });
    expect(
      res.data.items?.map((e) => `${e.summary} ${e.start?.dateTime ?? e.start?.date}`),
    ).toEqual([
      "Dentist 2025-03-20T09:00:00Z",
      "Weekly tasting lunch 2025-03-24T13:30:00+01:00",
      "Weekly tasting lunch 2025-03-31T13:30:00+02:00",
    ]);
  });

  it("gets one event, and answers Calendar's 404 for an unknown one", async () => {
    const gala = await cal.events.get({ calendarId: "primary", eventId: "gala2025spring" });
    expect(gala.data.summary).toBe("Spring charity gala");
    const err = await googleError(cal.events.get({ calendarId: "primary", eventId: "nope12345" }));
    expect(err.status).toBe(404);
    expect(err.data).toEqual({
      error: {
        code: 404,
        message: "Not Found",
        errors: [{ message: "Not Found", domain: "global", reason: "notFound" }],
      },
    });
    expect((await googleError(cal.events.list({ calendarId: "someone@else.com" }))).status).toBe(
      404,
    );
  });
});

describe("paging and incremental sync", () => {
  it("pages with maxResults and gives nextSyncToken only on the last page", async () => {
    const { pages, items } = await listAll(cal, { maxResults: 3 });
    expect(
      pages.map((p) => [p.items?.length, Boolean(p.nextPageToken), Boolean(p.nextSyncToken)]),
    ).toEqual([
      [3, true, false],
      [1, false, true],
    ]);
    expect(new Set(items.map((e) => e.id)).size).toBe(4);
  });

  it("returns only changes since a syncToken, deletions as cancelled, then nothing", async () => {
    const { email, cal: c } = freshUser("sync");
    await emu.upsertEvent(email, {
      id: "keep0001",
      summary: "Keep",
      start: { date: "2025-06-01" },
      end: { date: "2025-06-02" },
    });
    await emu.upsertEvent(email, {
      id: "drop0001",
      summary: "Drop",
      start: { date: "2025-06-03" },
      end: { date: "2025-06-04" },
    });
    const full = await listAll(c, {});
    expect(full.items.map((e) => e.id)).toEqual(["keep0001", "drop0001"]);

    const added = await emu.upsertEvent(email, {
      summary: "Client dinner",
      start: { dateTime: "2025-06-10T20:00:00+02:00" },
      end: { dateTime: "2025-06-10T22:00:00+02:00" },
      organizer: { email: "ana@client-firm.com" },
      attendees: [{ email, responseStatus: "needsAction" }],
    });
    await emu.upsertEvent(email, { id: "drop0001", status: "cancelled" });

    const delta = await listAll(c, { syncToken: full.nextSyncToken ?? "" });
    expect(delta.items.map((e) => [e.id, e.status])).toEqual([
      [added.id, "confirmed"],
      ["drop0001", "cancelled"],
    ]);
    expect(delta.items[1]).toEqual({
      kind: "calendar#event",
      etag: expect.any(String),
      id: "drop0001",
      status: "cancelled",
      updated: expect.any(String),
    });
    expect(delta.nextSyncToken).not.toBe(full.nextSyncToken);

    const again = await listAll(c, { syncToken: delta.nextSyncToken ?? "" });
    expect(again.items).toEqual([]);

    const withoutDeleted = await listAll(c, {});
    expect(withoutDeleted.items.map((e) => e.id)).not.toContain("drop0001");
    const withDeleted = await listAll(c, { showDeleted: true });
    expect(withDeleted.items.map((e) => e.id)).toContain("drop0001");
  });

  it("refuses timeMin together with syncToken (400)", async () => {
    const { nextSyncToken } = await listAll(cal, {});
    const err = await googleError(
      cal.events.list({
        calendarId: "primary",
        syncToken: nextSyncToken ?? "",
        timeMin: "2025-01-01T00:00:00Z",
      }),
    );
    expect(err.status).toBe(400);
  });

  it("answers 410 fullSyncRequired for old sync and page tokens after invalidateSyncTokens", async () => {
    const { email, cal: c } = freshUser("gone");
    for (const n of [1, 2, 3]) {
      await emu.upsertEvent(email, {
        id: `gone000${n}`,
        summary: `E${n}`,
        start: { date: "2025-07-01" },
        end: { date: "2025-07-02" },
      });
    }
    const { nextSyncToken } = await listAll(c, {});
    const firstPage = await c.events.list({ calendarId: "primary", maxResults: 1 });
    emu.invalidateSyncTokens(email);

    const err = await googleError(
      c.events.list({ calendarId: "primary", syncToken: nextSyncToken ?? "" }),
    );
    expect(err.status).toBe(410);
    expect(err.data).toEqual({
      error: {
        code: 410,
        message: "Sync token is no longer valid, a full sync is required.",
        errors: [
          {
            message: "Sync token is no longer valid, a full sync is required.",
            domain: "global",
            reason: "fullSyncRequired",
          },
        ],
      },
    });
    const pageErr = await googleError(
      c.events.list({
        calendarId: "primary",
        maxResults: 1,
        pageToken: firstPage.data.nextPageToken ?? "",
      }),
    );
    expect(pageErr.status).toBe(410);
    expect((await listAll(c, {})).items).toHaveLength(3);
  });
});

describe("events.watch and channel notifications", () => {
  it("sends sync first, then exists with Google's headers and no body; stop ends it", async () => {
    const { email, cal: c } = freshUser("watcher");
    const address = `${receiver.url}/calendar/push`;
    const watch = await c.events.watch({
      calendarId: "primary",
      requestBody: { id: "channel-1", type: "web_hook", address, token: "tok=secret" },
    });
    expect(watch.data).toMatchObject({ kind: "api#channel", id: "channel-1", token: "tok=secret" });
    expect(watch.data.resourceId).toBeTruthy();
    const expiration = Number(watch.data.expiration);
    expect(expiration).toBeGreaterThan(Date.now());
    await emu.idle();

    const before = receiver.requests.length;
    const change = await emu.upsertEvent(email, {
      summary: "New",
      start: { date: "2025-08-01" },
      end: { date: "2025-08-02" },
    });
    expect(change.push).toEqual({ status: 204 });

    const seen = receiver.requests.filter((r) => r.url === "/calendar/push");
    const sync = seen[seen.length - 2];
    const exists = receiver.requests[before];
    expect(sync?.headers["x-goog-resource-state"]).toBe("sync");
    expect(sync?.headers["x-goog-message-number"]).toBe("1");
    expect(exists?.method).toBe("POST");
    expect(exists?.body).toBe("");
    expect(exists?.headers).toMatchObject({
      "x-goog-channel-id": "channel-1",
      "x-goog-channel-token": "tok=secret",
      "x-goog-resource-id": watch.data.resourceId,
      "x-goog-resource-state": "exists",
      "x-goog-message-number": "2",
      "x-goog-channel-expiration": new Date(expiration).toUTCString(),
    });
    expect(emu.state(email).channels).toEqual([
      {
        id: "channel-1",
        resourceId: watch.data.resourceId,
        address,
        token: "tok=secret",
        expiration,
      },
    ]);

    const dup = await googleError(
      c.events.watch({
        calendarId: "primary",
        requestBody: { id: "channel-1", type: "web_hook", address },
      }),
    );
    expect(dup.status).toBe(400);

    await c.channels.stop({
      requestBody: { id: "channel-1", resourceId: watch.data.resourceId ?? "" },
    });
    expect(emu.state(email).channels).toEqual([]);
    const after = await emu.upsertEvent(email, {
      summary: "Unheard",
      start: { date: "2025-08-03" },
      end: { date: "2025-08-04" },
    });
    expect(after.push).toBeUndefined();
    const unknown = await googleError(
      c.channels.stop({
        requestBody: { id: "channel-1", resourceId: watch.data.resourceId ?? "" },
      }),
    );
    expect(unknown.status).toBe(404);
  });

  it("refuses a non-HTTPS public address", async () => {
    const err = await googleError(
      cal.events.watch({
        calendarId: "primary",
        requestBody: { id: "c2", type: "web_hook", address: "http://example.com/hook" },
      }),
    );
    expect(err.status).toBe(400);
  });

  it("reports status 0 and keeps serving when the channel address is down", async () => {
    const { email, cal: c } = freshUser("downstream");
    const gone = await startReceiver();
    const address = `${gone.url}/hook`;
    await gone.close();
    await c.events.watch({
      calendarId: "primary",
      requestBody: { id: "c3", type: "web_hook", address },
    });
    const change = await emu.upsertEvent(email, {
      summary: "x",
      start: { date: "2025-09-01" },
      end: { date: "2025-09-02" },
    });
    expect(change.push?.status).toBe(0);
    expect((await c.events.list({ calendarId: "primary" })).status).toBe(200);
  });
});
