import { generateSignedCookie } from "hono/cookie";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuthPort } from "../../functions/adapters/google/ports.ts";
import { resolveConfig } from "../../functions/http/config.ts";
import {
  BASE_URL,
  Browser,
  ExportFile,
  type Harness,
  OUTSIDER,
  OWNER,
  PARTNER,
  record,
  SESSION_KEY,
  startHarness,
} from "./harness.ts";

let h: Harness;
let owner: Browser;
let partner: Browser;
let ownerId: string;
let partnerId: string;

const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

async function accountIdOf(email: string): Promise<string> {
  const page = await h.accounts.listAccounts();
  const account = page.items.find((a) => a.email === email);
  if (!account) throw new Error(`no account for ${email}`);
  return account.accountId;
}

beforeAll(async () => {
  h = await startHarness();
  owner = new Browser(h, "198.51.100.1");
  partner = new Browser(h, "198.51.100.2");
  expect((await owner.signIn(OWNER)).status).toBe(303);
  expect((await partner.signIn(PARTNER)).status).toBe(303);
  ownerId = await accountIdOf(OWNER);
  partnerId = await accountIdOf(PARTNER);
  const ledger = h.ledger(ownerId);
  await ledger.record(
    record({ client: "secret-client.example", subject: "Owner's private dinner" }),
  );
  await ledger.record(
    record({
      client: "client.example",
      subject: XSS,
      from: { address: "x@client.example", name: `"><svg onload=alert(2)>` },
      reasons: [{ rule: "x", explanation: `<b onmouseover=alert(3)>bold</b>` }],
      gmail: { messageId: "m", threadId: `"><script>alert(4)</script>` },
      draft: { state: "drafted", draftId: "r1", threadId: "t", at: new Date().toISOString() },
    }),
  );
});

afterAll(async () => {
  await h.close();
});

const PRIVATE_GETS = [
  "/",
  "/?client=client.example",
  "/clients/client.example",
  "/settings",
  "/replies",
  "/replies?kind=romantic&lang=fr",
  "/try",
  "/summary",
  "/summary/frame",
  "/data",
  "/data/export",
  "/data/delete",
  "/signout",
  "/no-such-page",
];
const PRIVATE_POSTS = [
  "/settings",
  "/replies",
  "/try",
  "/data/disconnect",
  "/data/delete",
  "/signout",
];

describe("without a session", () => {
  it.each(PRIVATE_GETS)("GET %s redirects to sign-in and shows nothing", async (path) => {
    const res = await h.app.request(path);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/signin");
    expect(await res.text()).not.toContain("Owner's private dinner");
  });

  it.each(PRIVATE_POSTS)("POST %s is refused with 401", async (path) => {
    const res = await h.app.request(path, {
      method: "POST",
      body: new URLSearchParams({ _csrf: "x", "owner.name": "Mallory" }),
      headers: { origin: BASE_URL },
    });
    expect(res.status).toBe(401);
  });

  it("refuses a session cookie whose signature was tampered with", async () => {
    const cookie = owner.jar.get("__Host-decorum_session") ?? "";
    const tampered = cookie.replace(/^./, (ch) => (ch === "A" ? "B" : "A"));
    const res = await h.app.request("/settings", {
      headers: { cookie: `__Host-decorum_session=${tampered}` },
    });
    expect(res.status).toBe(302);
  });

  it("refuses the cookie once the session is signed out, even if it was copied", async () => {
    const b = new Browser(h, "198.51.100.9");
    await b.signIn(OWNER);
    const copied = b.jar.header();
    const token = await b.formToken("/");
    expect((await b.post("/signout", { _csrf: token })).headers.get("location")).toBe(
      "/signin?m=signed-out",
    );
    const replay = await h.app.request("/", { headers: { cookie: copied } });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe("/signin");
  });

  it("serves the sign-in page and the stylesheet publicly", async () => {
    expect((await h.app.request("/signin")).status).toBe(200);
    const css = await h.app.request("/assets/app.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
  });
});

describe("another account's data", () => {
  it("never lists another account's invitations or clients", async () => {
    const list = await (await partner.get("/")).text();
    expect(list).not.toContain("Owner&#39;s private dinner");
    expect(list).not.toContain("Owner's private dinner");
    const client = await (await partner.get("/clients/secret-client.example")).text();
    expect(client).toContain("No invitations from this client are on record");
    expect(client).not.toContain("private dinner");
  });

  it("does not follow a page cursor taken from another account's listing", async () => {
    const ledger = h.ledger(ownerId);
    const page = await ledger.listInvitations(
      { from: new Date(0), to: new Date(Date.now() + 86_400_000) },
      { limit: 1 },
    );
    expect(page.cursor).not.toBeNull();
    const res = await partner.get(`/?cursor=${encodeURIComponent(page.cursor ?? "")}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("That page link no longer fits this list");
    expect(html).not.toContain("private dinner");
  });

  it("refuses a validly signed cookie naming another account with this session id", async () => {
    const mine = owner.jar.get("__Host-decorum_session") ?? "";
    const sessionId = decodeURIComponent(mine).split(":")[0] ?? "";
    // Only a holder of the session key could sign this; even then the session is not the other's.
    const config = resolveConfig(h.deps.config);
    const forged = await generateSignedCookie(
      "__Host-decorum_session",
      `${sessionId}:${partnerId}`,
      config.cookieSecret,
      { path: "/", secure: true },
    );
    const res = await h.app.request("/data/export", {
      headers: { cookie: forged.split(";")[0] ?? "" },
    });
    expect(res.status).toBe(302);
    // The same forgery naming the session's own account is accepted: the signing is right, and
    // only the binding of session to account refused the one above.
    const own = await generateSignedCookie(
      "__Host-decorum_session",
      `${sessionId}:${ownerId}`,
      config.cookieSecret,
      { path: "/", secure: true },
    );
    const control = await h.app.request("/data/export", {
      headers: { cookie: own.split(";")[0] ?? "" },
    });
    expect(control.status).toBe(200);
  });

  it("exports only the signed-in account's data", async () => {
    const res = await partner.get("/data/export");
    const data = ExportFile.parse(await res.json());
    expect(data.accountId).toBe(partnerId);
    expect(JSON.stringify(data)).not.toContain("private dinner");
    expect(JSON.stringify(data)).not.toContain(ownerId);
  });

  it("takes no account id from the form: settings posted by one go to their own account", async () => {
    const token = await partner.formToken();
    const res = await partner.post("/settings", {
      _csrf: token,
      accountId: ownerId,
      "owner.name": "Jo Partner",
      "owner.partnerWord": "my wife",
      timeZone: "UTC",
      "summary.weekday": "1",
      "summary.hour": "8",
      "clients.establishedAfterDays": "365",
      "frequency.threshold": "3",
      "frequency.windowDays": "14",
      reviewBelow: "0.55",
      retentionDays: "400",
    });
    expect(res.status).toBe(303);
    expect((await h.accounts.getAccount(partnerId))?.settings.owner.partnerWord).toBe("my wife");
    expect((await h.accounts.getAccount(ownerId))?.settings.owner.partnerWord).toBe("my partner");
  });
});

describe("forged requests", () => {
  const settingsPost = async (token: string, headers: Record<string, string>) => {
    const before = (await h.accounts.getAccount(ownerId))?.settings;
    const res = await owner.post(
      "/settings",
      { _csrf: token, "owner.name": "Mallory", timeZone: "UTC" },
      headers,
    );
    const after = (await h.accounts.getAccount(ownerId))?.settings;
    expect(after).toEqual(before);
    return res;
  };

  it("refuses a cross-site form post (origin and fetch-site from elsewhere)", async () => {
    const token = await owner.formToken();
    const res = await settingsPost(token, {
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(res.status).toBe(403);
  });

  it("refuses a post whose origin is the Lambda's own host, not the public origin", async () => {
    const token = await owner.formToken();
    const res = await settingsPost(token, {
      origin: "https://abc123.execute-api.eu-west-1.amazonaws.com",
      "sec-fetch-site": "cross-site",
    });
    expect(res.status).toBe(403);
  });

  it.each([
    ["no form token", ""],
    ["a made-up form token", "forged-token-forged-token-forged-token-1234"],
  ])("refuses a same-origin post with %s", async (_name, token) => {
    const res = await settingsPost(token, {});
    expect(res.status).toBe(403);
  });

  it("refuses one account's form token in another's session", async () => {
    const partnerToken = await partner.formToken();
    const res = await settingsPost(partnerToken, {});
    expect(res.status).toBe(403);
  });

  it("refuses a JSON body, which the origin check would let through", async () => {
    const res = await h.app.request("/settings", {
      method: "POST",
      body: JSON.stringify({ "owner.name": "Mallory" }),
      headers: { cookie: owner.jar.header(), "content-type": "application/json" },
    });
    expect(res.status).toBe(415);
  });
});

describe("attacker-controlled text", () => {
  it("escapes a script in a subject, a sender name, a reason and a thread id", async () => {
    const res = await owner.get("/");
    const html = await res.text();
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<svg onload");
    expect(html).not.toContain("<b onmouseover");
    expect(html).toContain(`#all/%22%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E`);
  });

  it("sends a CSP that allows no script and no inline style", async () => {
    const csp = (await owner.get("/")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("script-src");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("escapes the subject in the summary preview, framed under its own script-free policy", async () => {
    const res = await owner.get("/summary/frame");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("the OAuth callback", () => {
  it("refuses a callback that did not start in this browser (no state cookie)", async () => {
    const starter = new Browser(h, "192.0.2.10");
    const callback = await starter.consent(await starter.startSignIn(), OWNER);
    const stranger = new Browser(h, "192.0.2.11");
    const res = await stranger.get(callback);
    expect(res.status).toBe(400);
    expect(stranger.jar.get("__Host-decorum_session")).toBeUndefined();
  });

  it("refuses a state that differs from this browser's", async () => {
    const b = new Browser(h, "192.0.2.12");
    const callback = await b.consent(await b.startSignIn(), OWNER);
    const url = new URL(callback, BASE_URL);
    url.searchParams.set("state", "another-state-altogether-0123456789abcdefghij");
    const res = await b.get(`${url.pathname}${url.search}`);
    expect(res.status).toBe(400);
    expect(b.jar.get("__Host-decorum_session")).toBeUndefined();
  });

  it("refuses a replayed callback", async () => {
    const b = new Browser(h, "192.0.2.13");
    const authUrl = await b.startSignIn();
    const cookies = b.jar.header();
    const callback = await b.consent(authUrl, OWNER);
    expect((await b.get(callback)).status).toBe(303);
    const replay = await h.app.request(callback, { headers: { cookie: cookies } });
    expect(replay.status).toBe(400);
  });

  it("refuses a code bound to another flow's PKCE challenge", async () => {
    const victim = new Browser(h, "192.0.2.14");
    const attacker = new Browser(h, "192.0.2.15");
    const victimCallback = new URL(
      await victim.consent(await victim.startSignIn(), OWNER),
      BASE_URL,
    );
    const attackerCallback = new URL(
      await attacker.consent(await attacker.startSignIn(), PARTNER),
      BASE_URL,
    );
    // The victim's state, the attacker's code: the verifier stored for the state does not fit.
    victimCallback.searchParams.set("code", attackerCallback.searchParams.get("code") ?? "");
    const res = await victim.get(`${victimCallback.pathname}${victimCallback.search}`);
    expect(res.status).toBe(400);
    expect(victim.jar.get("__Host-decorum_session")).toBeUndefined();
  });

  it("refuses an address off the allow-list, revokes its grant and stores nothing", async () => {
    const b = new Browser(h, "192.0.2.16");
    const revokesBefore = h.emulator.calls.filter((c) => c.method === "oauth.revoke").length;
    const res = await b.signIn(OUTSIDER);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("cannot use Decorum");
    expect(b.jar.get("__Host-decorum_session")).toBeUndefined();
    const accounts = (await h.accounts.listAccounts()).items.map((a) => a.email);
    expect(accounts).not.toContain(OUTSIDER);
    const revokes = h.emulator.calls.filter((c) => c.method === "oauth.revoke");
    expect(revokes.length).toBe(revokesBefore + 1);
    expect(revokes.at(-1)?.status).toBe(200);
  });
});

describe("the OAuth callback with an unverified address", () => {
  let unverified: Harness;
  beforeAll(async () => {
    unverified = await startHarness({
      oauth: (real): OAuthPort => ({
        ...real,
        async exchangeCode(input) {
          const grant = await real.exchangeCode(input);
          return { ...grant, idToken: { ...grant.idToken, email_verified: false } };
        },
      }),
    });
  });
  afterAll(async () => {
    await unverified.close();
  });

  it("refuses an allowed address Google has not verified", async () => {
    const b = new Browser(unverified);
    const res = await b.signIn(OWNER);
    expect(res.status).toBe(403);
    expect((await unverified.accounts.listAccounts()).items).toEqual([]);
  });
});

describe("limits", () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({
      config: {
        rateLimits: {
          signIn: { limit: 3, windowSeconds: 600 },
          tryIt: { limit: 2, windowSeconds: 600 },
        },
      },
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("slows down repeated sign-in attempts from one address, not from others", async () => {
    const b = new Browser(limited, "203.0.113.50");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await b.get("/auth/google")).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
    const res = await b.get("/auth/google");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await new Browser(limited, "203.0.113.51").get("/auth/google")).status).toBe(302);
  });

  it("limits try-it per account", async () => {
    const b = new Browser(limited, "203.0.113.60");
    await b.signIn(OWNER);
    const token = await b.formToken("/try");
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await b.post("/try", { _csrf: token, raw: "Lunch on Friday?" })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("refuses a form body larger than the limit before reading it", async () => {
    const b = new Browser(limited, "203.0.113.61");
    await b.signIn(OWNER);
    const token = await b.formToken();
    const res = await b.post("/settings", {
      _csrf: token,
      "owner.signature": "x".repeat(300 * 1024),
    });
    expect(res.status).toBe(413);
  });
});

describe("cookies", () => {
  it("are HttpOnly, Secure, SameSite=Lax, __Host- and expire", async () => {
    const b = new Browser(h, "192.0.2.30");
    const start = await h.app.request("/auth/google", { headers: { "x-test-ip": b.ip } });
    const oauthCookie = start.headers.getSetCookie().join("\n");
    expect(oauthCookie).toMatch(
      /__Host-decorum_oauth=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    b.jar.absorb(start);
    const location = start.headers.get("location") ?? "";
    const res = await b.get(await b.consent(location, OWNER));
    const session = res.headers.getSetCookie().find((c) => c.startsWith("__Host-decorum_session"));
    expect(session).toMatch(/Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    // No token of any kind in a cookie: only a session id and the account id.
    expect(session).not.toMatch(/ya29|1\/\//);
  });

  it("sends the other protective headers", async () => {
    const res = await owner.get("/settings");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("uses SESSION_KEY-derived keys, not the key itself", () => {
    const config = resolveConfig(h.deps.config);
    expect(config.cookieSecret).not.toBe(SESSION_KEY);
    expect(config.csrfSecret).not.toBe(config.cookieSecret);
  });
});
