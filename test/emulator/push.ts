import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface PushResult {
  /** HTTP status of the receiver's answer; 0 when it could not be reached or timed out. */
  status: number;
  error?: string;
}

export interface PushRecord {
  kind: "gmail" | "calendar";
  user: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  result: PushResult | null;
}

/**
 * POSTs a notification. Never throws: a receiver that is down, slow or rude must not disturb the
 * emulator, exactly as Google does not care why a webhook failed.
 */
export function postNotification(
  url: string,
  headers: Record<string, string>,
  body: string | null,
  timeoutMs: number,
): Promise<PushResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: PushResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      done({ status: 0, error: "invalid URL" });
      return;
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const payload = body === null ? Buffer.alloc(0) : Buffer.from(body, "utf8");
    try {
      const req = send(
        target,
        {
          method: "POST",
          agent: false,
          headers: {
            ...headers,
            "content-length": String(payload.length),
            "user-agent":
              "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)",
          },
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on("end", () => done({ status: res.statusCode ?? 0 }));
          res.on("error", (e) => done({ status: res.statusCode ?? 0, error: e.message }));
        },
      );
      req.on("timeout", () => {
        req.destroy(new Error("timeout"));
      });
      req.on("error", (e) => done({ status: 0, error: e.message }));
      req.end(payload);
    } catch (e) {
      done({ status: 0, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
