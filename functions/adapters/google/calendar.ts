import type { calendar_v3 } from "@googleapis/calendar";
import { GoogleError } from "./errors.ts";
import type { CalendarPort } from "./ports.ts";
import { ChannelResponse, EventListResponse } from "./schemas.ts";
import type { GoogleSession } from "./session.ts";
import { lazy, parseResponse } from "./validate.ts";

const PRIMARY = "primary";
/** Calendar's default page; large enough that a sync rarely needs a second call. */
const EVENT_PAGE = 250;

export function createCalendarPort(session: GoogleSession): CalendarPort {
  // Loaded on the first call, so code that only reads mail never pays for the Calendar client.
  const calendar = lazy(async (): Promise<calendar_v3.Calendar> => {
    const [module, auth] = await Promise.all([import("@googleapis/calendar"), session.auth()]);
    return module.calendar({
      version: "v3",
      auth,
      retry: false,
      ...(session.config.rootUrl ? { rootUrl: session.config.rootUrl } : {}),
    });
  });

  return {
    async listEvents({ syncToken, pageToken }) {
      const method = "calendar.events.list";
      const c = await calendar();
      // A sync token may not be combined with timeMin/timeMax/q/orderBy, so none are sent; series
      // come back once (singleEvents false), which is how an invitation to a series is answered.
      const res = await session.call(method, () =>
        c.events.list({
          calendarId: PRIMARY,
          maxResults: EVENT_PAGE,
          ...(syncToken ? { syncToken } : {}),
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      const page = parseResponse(EventListResponse, res.data, method);
      return {
        events: page.items ?? [],
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        ...(page.nextSyncToken ? { nextSyncToken: page.nextSyncToken } : {}),
      };
    },

    async watch({ id, address, token, ttlSeconds }) {
      const method = "calendar.events.watch";
      const c = await calendar();
      const res = await session.call(
        method,
        () =>
          c.events.watch({
            calendarId: PRIMARY,
            requestBody: {
              id,
              type: "web_hook",
              address,
              token,
              ...(ttlSeconds ? { params: { ttl: String(ttlSeconds) } } : {}),
            },
          }),
        // A repeated watch with the same channel id is refused, never doubled.
        { idempotent: true },
      );
      return parseResponse(ChannelResponse, res.data, method);
    },

    async stopChannel({ id, resourceId }) {
      const c = await calendar();
      try {
        await session.call("calendar.channels.stop", () =>
          c.channels.stop({ requestBody: { id, resourceId } }),
        );
      } catch (error) {
        if (error instanceof GoogleError && error.kind === "not_found") return;
        throw error;
      }
    },
  };
}
