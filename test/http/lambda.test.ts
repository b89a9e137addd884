import { handle, type LambdaEvent } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTokenKey } from "../../functions/adapters/dynamo/crypto.ts";
import { lambdaClientIp } from "../../functions/handlers/web.ts";
import { BASE_URL, Browser, type Harness, OWNER, startHarness } from "./harness.ts";

/**
 * The app behind API Gateway (HTTP API, payload 2.0) through hono/aws-lambda, as the Web
 * function runs it: the request's host is the API's execute-api domain, not the public origin.
 */

const LAMBDA_HOST = "abc123.execute-api.eu-west-1.amazonaws.com";

function event(input: {
  method: string;
  path: string;
  query?: string;
  cookies?: string[];
  headers?: Record<string, string>;
  body?: string;
  sourceIp?: string;
}): LambdaEvent {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: input.path,
    rawQueryString: input.query ?? "",
    cookies: input.cookies ?? [],
    headers: { host: LAMBDA_HOST, ...input.headers },
    body: input.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authentication: null,
      authorizer: {},
      domainName: LAMBDA_HOST,
      domainPrefix: "abc123",
      http: {
        method: input.method,
        path: input.path,
        protocol: "HTTP/1.1",
        sourceIp: input.sourceIp ?? "203.0.113.99",
        userAgent: "test",
      },
      requestId: "r",
      routeKey: "$default",
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
  };
}

let h: Harness;
let lambda: ReturnType<typeof handle>;
const seenIps: (string | null)[] = [];

beforeAll(async () => {
  h = await startHarness();
  const { createApp } = await import("../../functions/http/app.tsx");
  lambda = handle(
    createApp({
      ...h.deps,
      clientIp: (c) => {
        const ip = lambdaClientIp(c);
        seenIps.push(ip);
        return ip;
      },
    }),
  );
});
afterAll(async () => {
  await h.close();
});

describe("behind API Gateway", () => {
  it("redirects to Google with the public redirect URI, and reads the caller's IP", async () => {
    const res = await lambda(
      event({ method: "GET", path: "/auth/google", sourceIp: "198.51.100.77" }),
    );
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers?.location));
    expect(location.searchParams.get("redirect_uri")).toBe(`${BASE_URL}/auth/google/callback`);
    expect(seenIps).toContain("198.51.100.77");
    // Payload 2.0 carries cookies in their own list.
    expect(res.cookies?.some((c) => c.startsWith("__Host-decorum_oauth="))).toBe(true);
  });

  it("accepts a form posted from the public origin, though the request's host differs", async () => {
    const browser = new Browser(h, "198.51.100.78");
    await browser.signIn(OWNER);
    const token = await browser.formToken();
    const cookies = browser.jar.header().split("; ");
    const body = new URLSearchParams({
      _csrf: token,
      "owner.name": "Alex Lambda",
      "owner.partnerWord": "my partner",
      timeZone: "UTC",
      "summary.weekday": "1",
      "summary.hour": "8",
      "clients.establishedAfterDays": "365",
      "frequency.threshold": "3",
      "frequency.windowDays": "14",
      reviewBelow: "0.55",
      retentionDays: "400",
    }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded", origin: BASE_URL };
    const res = await lambda(event({ method: "POST", path: "/settings", cookies, headers, body }));
    expect(res.statusCode).toBe(303);

    const fromLambdaHost = await lambda(
      event({
        method: "POST",
        path: "/settings",
        cookies,
        headers: { ...headers, origin: `https://${LAMBDA_HOST}`, "sec-fetch-site": "cross-site" },
        body,
      }),
    );
    expect(fromLambdaHost.statusCode).toBe(403);
  });
});

describe("the Web handler", () => {
  it("builds its dependencies from SST links on the first request, not at load", async () => {
    const links: Record<string, unknown> = {
      App: { name: "decorum", stage: "test" },
      Table: { name: h.dynamo.tableName },
      Jobs: { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" },
      GoogleClientId: { value: "client-id" },
      GoogleClientSecret: { value: "client-secret" },
      SessionKey: { value: "s".repeat(40) },
      TokenKey: { value: generateTokenKey() },
    };
    const saved = { ...process.env };
    for (const [name, value] of Object.entries(links)) {
      process.env[`SST_RESOURCE_${name}`] = JSON.stringify(value);
    }
    process.env.DECORUM_BASE_URL = "https://decorum.example";
    process.env.DECORUM_ALLOWED = "@morganadvisory.example";
    try {
      const { handler } = await import("../../functions/handlers/web.ts");
      const res = await handler(event({ method: "GET", path: "/signin" }));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("Sign in with Google");
      const start = await handler(event({ method: "GET", path: "/assets/app.css" }));
      expect(start.headers?.["content-type"]).toContain("text/css");
    } finally {
      process.env = saved;
    }
  });
});
