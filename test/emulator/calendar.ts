import { createHash } from "node:crypto";
import type { calendar_v3 } from "@googleapis/calendar";
import ICAL from "ical.js";
import * as z from "zod";
import { type ApiContext, type Core, requireUser } from "./core.ts";
import { GoogleApiError } from "./errors.ts";
import {
  decodePageToken,
  encodePageToken,
  parseJsonBody,
  qBool,
  qInt,
  type Route,
  route,
} from "./http.ts";
import { type PushResult, postNotification } from "./push.ts";
import type { Channel, Mailbox, StoredEvent } from "./store.ts";

const C = "https://www.googleapis.com/auth/calendar";
const READ_SCOPES = [
  C,
  `${C}.readonly`,
  `${C}.events`,
  `${C}.events.readonly`,
  `${C}.events.owned`,
  `${C}.events.owned.readonly`,
];

// Calendar v3 answers errors without the gRPC `status` field.
const calError = (code: number, message: string, reason?: string) =>
  new GoogleApiError(code, message, { detail: reason ? { reason } : {}, withStatus: false });

// --- input schema (Calendar's Event shape; unknown fields pass through) -------------------------

const EventDateTime = z.looseObject({
  date: z.string().nullish(),
  dateTime: z.string().nullish(),
  timeZone: z.string().nullish(),
});
const Person = z.looseObject({
  email: z.string().optional(),
  displayName: z.string().optional(),
  self: z.boolean().optional(),
  id: z.string().optional(),
});
const Attendee = Person.extend({
  responseStatus: z.string().nullish(),
  optional: z.boolean().nullish(),
  organizer: z.boolean().nullish(),
});
export const EventInput = z.looseObject({
  id: z.string().nullish(),
  status: z.string().nullish(),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  start: EventDateTime.optional(),
  end: EventDateTime.optional(),
  originalStartTime: EventDateTime.optional(),
  recurringEventId: z.string().nullish(),
  recurrence: z.array(z.string()).optional(),
  organizer: Person.optional(),
  creator: Person.optional(),
  attendees: z.array(Attendee).optional(),
  iCalUID: z.string().nullish(),
  sequence: z.number().nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
});

/** Fixture files hold one event, an array, or an events.list page (`{items:[…]}`). */
export const EventFile = z.union([
  z.array(EventInput),
  z.looseObject({ items: z.array(EventInput) }).transform((v) => v.items),
  EventInput.transform((v) => [v]),
]);

// --- time zones ----------------------------------------------------------------------------------

function zoneOffsetMs(epoch: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(epoch));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(epoch / 1000) * 1000;
}

export function validZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return null;
  }
}

/** Wall-clock time in a zone → epoch ms (two passes settle DST edges). */
export function wallToEpoch(
  wall: { y: number; mo: number; d: number; h: number; mi: number; s: number },
  timeZone: string | null,
): number {
  const guess = Date.UTC(wall.y, wall.mo - 1, wall.d, wall.h, wall.mi, wall.s);
  if (!timeZone) return guess;
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/** RFC 3339 with the zone's offset, as Calendar writes dateTime. */
export function formatInZone(epoch: number, timeZone: string | null): string {
  const offset = timeZone ? zoneOffsetMs(epoch, timeZone) : 0;
  const local = new Date(epoch + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function parseRfc3339(value: string, param: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw calError(400, `Bad Request: invalid ${param}`, "badRequest");
  }
  return Date.parse(value);
}

/** An event time as an instant; all-day dates count from midnight UTC. */
function instant(dt: calendar_v3.Schema$EventDateTime | undefined): number | null {
  if (!dt) return null;
  if (dt.dateTime) return Date.parse(dt.dateTime);
  if (dt.date) return Date.parse(`${dt.date}T00:00:00Z`);
  return null;
}

// --- normalisation ----------------------------------------------------------------------------------

/** Calendar marks the calendar owner's own entries with `self: true`. */
function stampSelf<T extends { email?: string | null; self?: boolean | null }>(
  p: T,
  email: string,
): Omit<T, "self"> & { self?: boolean } {
  const { self: _drop, ...rest } = p;
  return (p.email ?? "").toLowerCase() === email ? { ...rest, self: true } : rest;
}

/** Fills what Calendar fills (kind, etag, iCalUID, self flags…) and merges onto an existing event. */
export function normalizeEvent(
  core: Core,
  box: Mailbox,
  input: z.infer<typeof EventInput>,
  existing: calendar_v3.Schema$Event | undefined,
): calendar_v3.Schema$Event {
  const now = new Date(core.now()).toISOString();
  const id = input.id ?? existing?.id ?? core.ids.event();
  // Calendar wants base32hex ids; fixtures are friendlier to read with any word characters.
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(id)) {
    throw calError(400, "Invalid resource id value.", "invalid");
  }
  const merged: calendar_v3.Schema$Event = {
    kind: "calendar#event",
    status: "confirmed",
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${box.email}`).toString("base64url")}`,
    created: now,
    iCalUID: `${id}@google.com`,
    sequence: 0,
    creator: { email: box.email },
    organizer: { email: box.email },
    eventType: "default",
    reminders: { useDefault: true },
    ...existing,
    ...input,
    id,
    updated: now,
    etag: `"${core.now()}${String(box.eventSeq + 1).padStart(3, "0")}"`,
  };
  if (merged.organizer) merged.organizer = stampSelf(merged.organizer, box.email);
  if (merged.creator) merged.creator = stampSelf(merged.creator, box.email);
  if (merged.attendees) merged.attendees = merged.attendees.map((a) => stampSelf(a, box.email));
  return merged;
}

// --- .ics -------------------------------------------------------------------------------------------

const PARTSTAT: Record<string, string> = {
  "NEEDS-ACTION": "needsAction",
  ACCEPTED: "accepted",
  DECLINED: "declined",
  TENTATIVE: "tentative",
};

function icsTime(time: ICAL.Time, tzid: string | null): z.infer<typeof EventDateTime> {
  if (time.isDate) return { date: time.toString().slice(0, 10) };
  const zone = time.zone?.tzid === "UTC" ? "UTC" : validZone(tzid);
  const epoch = wallToEpoch(
    { y: time.year, mo: time.month, d: time.day, h: time.hour, mi: time.minute, s: time.second },
    zone,
  );
  return zone && zone !== "UTC"
    ? { dateTime: formatInZone(epoch, zone), timeZone: zone }
    : { dateTime: formatInZone(epoch, null) };
}

/** VEVENTs of an .ics file in Calendar's Event shape (ids derived from UID). */
export function eventsFromIcs(text: string): z.infer<typeof EventInput>[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const out: z.infer<typeof EventInput>[] = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(vevent);
    const tzOf = (name: string) => {
      const value = vevent.getFirstProperty(name)?.getParameter("tzid");
      return typeof value === "string" ? value : null;
    };
    const mail = (v: unknown) => String(v ?? "").replace(/^mailto:/i, "");
    const organizer = vevent.getFirstProperty("organizer");
    const status = String(vevent.getFirstPropertyValue("status") ?? "CONFIRMED").toLowerCase();
    const recurrence = ["rrule", "exdate", "rdate"].flatMap((name) =>
      vevent.getAllProperties(name).map((p) => p.toICALString()),
    );
    const event: z.infer<typeof EventInput> = {
      // Stable ids across runs, in Calendar's base32hex alphabet.
      id: [...createHash("sha1").update(ev.uid).digest()]
        .map((b) => "0123456789abcdefghijklmnopqrstuv".charAt(b % 32))
        .join(""),
      iCalUID: ev.uid,
      summary: ev.summary ?? null,
      description: ev.description ?? null,
      location: ev.location ?? null,
      status: status === "cancelled" || status === "tentative" ? status : "confirmed",
      sequence: ev.sequence ?? 0,
      start: icsTime(ev.startDate, tzOf("dtstart")),
      end: icsTime(ev.endDate, tzOf("dtend") ?? tzOf("dtstart")),
      ...(organizer
        ? {
            organizer: {
              email: mail(organizer.getFirstValue()),
              ...(organizer.getParameter("cn")
                ? { displayName: String(organizer.getParameter("cn")) }
                : {}),
            },
          }
        : {}),
      attendees: ev.attendees.map((a) => ({
        email: mail(a.getFirstValue()),
        ...(a.getParameter("cn") ? { displayName: String(a.getParameter("cn")) } : {}),
        responseStatus:
          PARTSTAT[String(a.getParameter("partstat") ?? "NEEDS-ACTION").toUpperCase()] ??
          "needsAction",
        ...(a.getParameter("role") === "OPT-PARTICIPANT" ? { optional: true } : {}),
      })),
      ...(recurrence.length > 0 ? { recurrence } : {}),
    };
    if (vevent.getFirstProperty("recurrence-id")) continue; // overrides of recurring masters: not modelled
    out.push(event);
  }
  return out;
}

// --- recurring expansion (singleEvents=true) --------------------------------------------------------

function instanceSuffix(dt: calendar_v3.Schema$EventDateTime): string {
  if (dt.date) return dt.date.replace(/-/g, "");
  return new Date(instant(dt) ?? 0)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function expand(
  master: calendar_v3.Schema$Event,
  overrides: Set<string>,
  limit: number,
): calendar_v3.Schema$Event[] {
  const start = master.start;
  const startMs = instant(start);
  const endMs = instant(master.end) ?? startMs;
  if (!start || startMs === null || endMs === null) return [master];
  const rule = master.recurrence?.find((r) => r.toUpperCase().startsWith("RRULE:"));
  if (!rule) return [master];
  const zone = validZone(start.timeZone);
  const allDay = Boolean(start.date);
  const wallMs = allDay ? startMs : startMs + (zone ? zoneOffsetMs(startMs, zone) : 0);
  const w = new Date(wallMs);
  const dtstart = ICAL.Time.fromData({
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    second: w.getUTCSeconds(),
    isDate: allDay,
  });
  const exdates = new Set(
    (master.recurrence ?? [])
      .filter((r) => r.toUpperCase().startsWith("EXDATE"))
      .flatMap((r) => (r.split(":")[1] ?? "").split(","))
      .map((v) =>
        v
          .trim()
          .replace(/Z$/, "")
          .slice(0, allDay ? 8 : 15),
      ),
  );
  const iterator = ICAL.Recur.fromString(rule.slice(6)).iterator(dtstart);
  const out: calendar_v3.Schema$Event[] = [];
  const duration = endMs - startMs;
  for (let next = iterator.next(); next && out.length < 2000; next = iterator.next()) {
    const occurrence = allDay
      ? Date.UTC(next.year, next.month - 1, next.day)
      : wallToEpoch(
          {
            y: next.year,
            mo: next.month,
            d: next.day,
            h: next.hour,
            mi: next.minute,
            s: next.second,
          },
          zone,
        );
    if (occurrence >= limit) break;
    const wallKey = next
      .toString()
      .replace(/[-:]/g, "")
      .slice(0, allDay ? 8 : 15);
    if (exdates.has(wallKey)) continue;
    const s: calendar_v3.Schema$EventDateTime = allDay
      ? { date: new Date(occurrence).toISOString().slice(0, 10) }
      : { dateTime: formatInZone(occurrence, zone), ...(zone ? { timeZone: zone } : {}) };
    const e: calendar_v3.Schema$EventDateTime = allDay
      ? { date: new Date(occurrence + duration).toISOString().slice(0, 10) }
      : {
          dateTime: formatInZone(occurrence + duration, zone),
          ...(zone ? { timeZone: zone } : {}),
        };
    const id = `${master.id}_${instanceSuffix(s)}`;
    if (overrides.has(id)) continue;
    const { recurrence: _r, ...rest } = master;
    out.push({ ...rest, id, recurringEventId: master.id, originalStartTime: s, start: s, end: e });
  }
  return out;
}

/** Deleted events carry little more than their id, as on Calendar. */
function cancelledView(e: calendar_v3.Schema$Event): calendar_v3.Schema$Event {
  const out: calendar_v3.Schema$Event = {
    kind: e.kind,
    etag: e.etag,
    id: e.id,
    status: "cancelled",
    updated: e.updated,
  };
  if (e.recurringEventId) {
    out.recurringEventId = e.recurringEventId;
    out.originalStartTime = e.originalStartTime;
  }
  return out;
}

// --- sync tokens ------------------------------------------------------------------------------------

function syncToken(box: Mailbox, seq: number): string {
  return `CPemu${Buffer.from(`${box.syncEpoch}:${seq}`).toString("base64url")}`;
}

function readSyncToken(box: Mailbox, token: string): number {
  const m = /^CPemu(.+)$/.exec(token);
  const [epoch, seq] = m?.[1] ? Buffer.from(m[1], "base64url").toString("utf8").split(":") : [];
  if (!epoch || seq === undefined || !/^\d+$/.test(seq))
    throw calError(400, "Invalid sync token value.", "invalid");
  if (epoch !== box.syncEpoch) {
    throw calError(
      410,
      "Sync token is no longer valid, a full sync is required.",
      "fullSyncRequired",
    );
  }
  return Number(seq);
}

// --- channels -----------------------------------------------------------------------------------------

export function notifyChannel(
  core: Core,
  box: Mailbox,
  channel: Channel,
  state: "sync" | "exists" | "not_exists",
): Promise<PushResult> {
  channel.messageNumber += 1;
  const headers: Record<string, string> = {
    "x-goog-channel-id": channel.id,
    "x-goog-channel-expiration": new Date(channel.expiration).toUTCString(),
    "x-goog-resource-id": channel.resourceId,
    "x-goog-resource-uri": `${core.url}/calendar/v3/calendars/${encodeURIComponent(box.email)}/events?alt=json`,
    "x-goog-resource-state": state,
    "x-goog-message-number": String(channel.messageNumber),
  };
  if (channel.token !== undefined) headers["x-goog-channel-token"] = channel.token;
  const record = {
    kind: "calendar" as const,
    user: box.email,
    url: channel.address,
    headers,
    body: null,
    result: null as PushResult | null,
  };
  core.pushes.push(record);
  return core.track(
    postNotification(channel.address, headers, null, core.pushTimeoutMs).then((r) => {
      record.result = r;
      return r;
    }),
  );
}

export function notifyCalendarChange(core: Core, box: Mailbox): Promise<PushResult>[] {
  const now = core.now();
  return [...box.channels.values()]
    .filter((c) => c.expiration > now)
    .map((c) => notifyChannel(core, box, c, "exists"));
}

function loopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

// --- routes -----------------------------------------------------------------------------------------

export function calendarRoutes(core: Core): Route<ApiContext>[] {
  const calendarFor = (ctx: ApiContext) => {
    const { box, access } = requireUser(core, ctx, READ_SCOPES, "me");
    const calendarId = (ctx.params.calendarId ?? "").toLowerCase();
    if (calendarId !== "primary" && calendarId !== box.email)
      throw calError(404, "Not Found", "notFound");
    return { box, access };
  };

  const list = (ctx: ApiContext) => {
    const { box } = calendarFor(ctx);
    const q = ctx.url.searchParams;
    const token = q.get("syncToken");
    const filters = [
      "timeMin",
      "timeMax",
      "updatedMin",
      "q",
      "orderBy",
      "iCalUID",
      "privateExtendedProperty",
      "sharedExtendedProperty",
    ];
    if (token && filters.some((f) => q.has(f))) {
      throw calError(
        400,
        `Sync token cannot be combined with ${filters.filter((f) => q.has(f)).join(", ")}.`,
        "invalid",
      );
    }
    const singleEvents = qBool(ctx.url, "singleEvents");
    const orderBy = q.get("orderBy");
    if (orderBy === "startTime" && !singleEvents) {
      throw calError(
        400,
        "The requested ordering is not available for the particular query.",
        "badRequest",
      );
    }
    const pageToken = q.get("pageToken");
    const paramsKey = JSON.stringify([...q.entries()].filter(([k]) => k !== "pageToken").sort());
    let offset = 0;
    let frozenSeq = box.eventSeq;
    if (pageToken) {
      const decoded = decodePageToken(pageToken);
      if (
        decoded.k !== paramsKey ||
        typeof decoded.o !== "number" ||
        typeof decoded.s !== "number"
      ) {
        throw calError(400, "Invalid page token value.", "invalid");
      }
      if (decoded.e !== box.syncEpoch) {
        throw calError(
          410,
          "Sync token is no longer valid, a full sync is required.",
          "fullSyncRequired",
        );
      }
      offset = decoded.o;
      frozenSeq = decoded.s;
    }
    const since = token ? readSyncToken(box, token) : null;
    const showDeleted = since !== null || qBool(ctx.url, "showDeleted");
    const timeMin = q.get("timeMin") ? parseRfc3339(q.get("timeMin") ?? "", "timeMin") : null;
    const timeMax = q.get("timeMax") ? parseRfc3339(q.get("timeMax") ?? "", "timeMax") : null;
    const updatedMin = q.get("updatedMin")
      ? parseRfc3339(q.get("updatedMin") ?? "", "updatedMin")
      : null;
    const text = q.get("q")?.toLowerCase();
    const iCalUID = q.get("iCalUID");

    const stored: StoredEvent[] = [...box.events.values()].filter(
      (s) => s.seq <= frozenSeq && (since === null || s.seq > since),
    );
    // Incremental pages list changes in the order they happened.
    if (since !== null) stored.sort((a, b) => a.seq - b.seq);
    const overrides = new Set(stored.map((s) => s.event.id ?? ""));
    const horizon = timeMax ?? core.now() + 366 * 86_400_000;
    let items = stored.flatMap((s) =>
      singleEvents && s.event.recurrence && s.event.status !== "cancelled"
        ? expand(s.event, overrides, horizon)
        : [s.event],
    );
    items = items.filter((e) => {
      if (e.status === "cancelled") return showDeleted;
      const start = instant(e.start);
      const end = instant(e.end) ?? start;
      if (timeMin !== null && end !== null && end <= timeMin && !(e.recurrence && !singleEvents))
        return false;
      if (timeMax !== null && start !== null && start >= timeMax) return false;
      if (updatedMin !== null && Date.parse(e.updated ?? "") < updatedMin) return false;
      if (iCalUID && e.iCalUID !== iCalUID) return false;
      if (text) {
        const hay = [
          e.summary,
          e.description,
          e.location,
          ...(e.attendees ?? []).flatMap((a) => [a.email, a.displayName]),
        ]
          .join("\n")
          .toLowerCase();
        if (!hay.includes(text)) return false;
      }
      return true;
    });
    if (orderBy === "startTime")
      items.sort((a, b) => (instant(a.start) ?? 0) - (instant(b.start) ?? 0));
    if (orderBy === "updated")
      items.sort((a, b) => Date.parse(a.updated ?? "") - Date.parse(b.updated ?? ""));

    const size = qInt(ctx.url, "maxResults", 250, 2500);
    const slice = items
      .slice(offset, offset + size)
      .map((e) => (e.status === "cancelled" ? cancelledView(e) : e));
    const last = [...box.events.values()].reduce(
      (acc, s) => Math.max(acc, Date.parse(s.event.updated ?? "") || 0),
      0,
    );
    const body: calendar_v3.Schema$Events = {
      kind: "calendar#events",
      etag: `"${frozenSeq}"`,
      summary: box.email,
      description: "",
      updated: new Date(last || core.now()).toISOString(),
      timeZone: box.timeZone,
      accessRole: "owner",
      defaultReminders: [{ method: "popup", minutes: 30 }],
      items: slice,
    };
    if (offset + size < items.length) {
      body.nextPageToken = encodePageToken({
        o: offset + size,
        s: frozenSeq,
        e: box.syncEpoch,
        k: paramsKey,
      });
    } else {
      body.nextSyncToken = syncToken(box, frozenSeq);
    }
    return { status: 200, json: body };
  };

  const get = (ctx: ApiContext) => {
    const { box } = calendarFor(ctx);
    const id = ctx.params.eventId ?? "";
    const direct = box.events.get(id)?.event;
    if (direct) return { status: 200, json: direct };
    const masterId = id.split("_")[0] ?? "";
    const master = box.events.get(masterId)?.event;
    const instance = master?.recurrence
      ? expand(master, new Set(), core.now() + 5 * 366 * 86_400_000).find((e) => e.id === id)
      : undefined;
    if (!instance) throw calError(404, "Not Found", "notFound");
    return { status: 200, json: instance };
  };

  const watch = (ctx: ApiContext) => {
    const { box, access } = calendarFor(ctx);
    const input = parseJsonBody(
      ctx.body,
      z.looseObject({
        id: z.string().optional(),
        type: z.string().optional(),
        address: z.string().optional(),
        token: z.string().optional(),
        expiration: z.union([z.string(), z.number()]).optional(),
      }),
    );
    if (!input.id || !/^[A-Za-z0-9\-_+/=]{1,64}$/.test(input.id)) {
      throw calError(400, "Invalid channel id.", "invalid");
    }
    if (input.type !== "web_hook" && input.type !== "webhook") {
      throw calError(
        400,
        `Unsupported channel type: ${input.type ?? ""}`,
        "channelTypeNotSupported",
      );
    }
    let address: URL;
    try {
      address = new URL(input.address ?? "");
    } catch {
      throw calError(400, "Invalid address.", "invalid");
    }
    if (address.protocol !== "https:" && !loopback(address)) {
      throw calError(
        400,
        `WebHook callback must be HTTPS: ${address.toString()}`,
        "push.webhookUrlNotHttps",
      );
    }
    if (input.token !== undefined && input.token.length > 256)
      throw calError(400, "Invalid channel token.", "invalid");
    if (box.channels.has(input.id))
      throw calError(400, `Channel id ${input.id} not unique`, "channelIdNotUnique");
    const now = core.now();
    const requested =
      input.expiration === undefined ? now + 7 * 86_400_000 : Number(input.expiration);
    const channel: Channel = {
      id: input.id,
      resourceId: box.calendarResourceId,
      address: address.toString(),
      ...(input.token !== undefined ? { token: input.token } : {}),
      expiration: Math.min(Math.max(requested, now + 1000), now + 30 * 86_400_000),
      messageNumber: 0,
      clientId: access.clientId,
    };
    box.channels.set(channel.id, channel);
    // Google may send the sync message before the watch response arrives; after is closer to typical.
    void core.track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        notifyChannel(core, box, channel, "sync"),
      ),
    );
    const body: calendar_v3.Schema$Channel = {
      kind: "api#channel",
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: `${core.url}/calendar/v3/calendars/primary/events?alt=json`,
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(channel.expiration),
    };
    return { status: 200, json: body };
  };

  const stop = (ctx: ApiContext) => {
    const { box, access } = requireUser(core, ctx, READ_SCOPES, "me");
    const input = parseJsonBody(
      ctx.body,
      z.looseObject({ id: z.string().optional(), resourceId: z.string().optional() }),
    );
    const channel = input.id ? box.channels.get(input.id) : undefined;
    if (
      !channel ||
      channel.resourceId !== input.resourceId ||
      (channel.clientId && channel.clientId !== access.clientId)
    ) {
      throw calError(404, `Channel '${input.id ?? ""}' not found for project`, "notFound");
    }
    box.channels.delete(channel.id);
    return { status: 204 };
  };

  const base = "/calendar/v3/calendars/:calendarId/events";
  return [
    route("calendar.events.watch", "POST", `${base}/watch`, watch),
    route("calendar.events.list", "GET", base, list),
    route("calendar.events.get", "GET", `${base}/:eventId`, get),
    route("calendar.channels.stop", "POST", "/calendar/v3/channels/stop", stop),
  ];
}
