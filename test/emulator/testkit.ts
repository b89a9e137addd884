import { createServer, type IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";
import { calendar, type calendar_v3 } from "@googleapis/calendar";
import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import type { GoogleEmulator } from "./index.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/emulator/", import.meta.url));
export const MAILBOX_DIR = `${FIXTURES}mailbox`;
export const CALENDAR_DIR = `${FIXTURES}calendar`;

export interface Clients {
  auth: OAuth2Client;
  gmail: gmail_v1.Gmail;
  calendar: calendar_v3.Calendar;
  tokens: ReturnType<GoogleEmulator["issueTokens"]>;
}

/**
 * The real @googleapis clients pointed at the emulator. Retries are off unless asked for, so a
 * test sees exactly the emulator's answer; `withRefresh` lets OAuth2Client refresh on a 401.
 */
export function clientsFor(
  emu: GoogleEmulator,
  email: string,
  opts: { scopes?: string[]; retry?: boolean; withRefresh?: boolean } = {},
): Clients {
  const tokens = emu.issueTokens(email, opts.scopes ? { scopes: opts.scopes } : {});
  const auth = new OAuth2Client({
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    endpoints: emu.googleAuthEndpoints,
  });
  auth.setCredentials({
    access_token: tokens.access_token,
    ...(opts.withRefresh ? { refresh_token: tokens.refresh_token } : {}),
  });
  const rootUrl = `${emu.url}/`;
  const retry = opts.retry ?? false;
  return {
    auth,
    tokens,
    gmail: gmail({ version: "v1", rootUrl, auth, retry }),
    calendar: calendar({ version: "v3", rootUrl, auth, retry }),
  };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status the next requests get (default 204). */
  status: number;
  close(): Promise<void>;
}

/** A local HTTP endpoint that records what it receives: push targets, OAuth redirect targets. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    requests: [],
    status: 204,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(receiver.status, { "content-type": "text/plain" });
      res.end(receiver.status === 204 ? undefined : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("receiver: no address");
  receiver.url = `http://127.0.0.1:${address.port}`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** An RFC 5322 message as a string, CRLF line endings. */
export function rfc822(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return [...head, "Content-Type: text/plain; charset=utf-8", "", body].join("\r\n");
}

/** Google's error body from a GaxiosError-like rejection. */
export async function googleError(
  p: Promise<unknown>,
): Promise<{ status: number; data: unknown; header: (name: string) => string | null }> {
  try {
    await p;
  } catch (e) {
    const res = e instanceof Error && "response" in e ? e.response : undefined;
    if (res && typeof res === "object" && "status" in res && typeof res.status === "number") {
      return {
        status: res.status,
        data: "data" in res ? res.data : undefined,
        // gaxios hands back a fetch Headers (global or node-fetch's), so read it by its `get`.
        header: (name: string) => {
          const h = "headers" in res ? res.headers : undefined;
          if (!h || typeof h !== "object" || !("get" in h) || typeof h.get !== "function")
            return null;
          const value: unknown = h.get(name);
          return typeof value === "string" ? value : null;
        },
      };
    }
    throw e;
  }
  throw new Error("expected the call to fail");
}
