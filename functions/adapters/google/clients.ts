import { createCalendarPort } from "./calendar.ts";
import { createGmailPort } from "./gmail.ts";
import type { CalendarPort, GmailPort } from "./ports.ts";
import { type GoogleClientsConfig, GoogleSession } from "./session.ts";

/**
 * The Gmail and Calendar ports for one connected account. Nothing is loaded or fetched until the
 * first call; both ports share one OAuth client, so a token refreshed for one serves the other.
 */
export function createGoogleClients(config: GoogleClientsConfig): {
  gmail: GmailPort;
  calendar: CalendarPort;
} {
  const session = new GoogleSession(config);
  return { gmail: createGmailPort(session), calendar: createCalendarPort(session) };
}
