import { CodeChallengeMethod, OAuth2Client } from "google-auth-library";
import { importX509, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GoogleEmulator, startGoogleEmulator } from "./index.ts";
import { clientsFor, googleError, type Receiver, startReceiver } from "./testkit.ts";

const OWNER = "owner@example.com";
const OTHER = "assistant@example.com";
const GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly";

let emu: GoogleEmulator;
let callback: Receiver;

beforeAll(async () => {
  emu = await startGoogleEmulator({
    users: [{ email: OWNER, name: "Owner" }, { email: OTHER }],
    defaultUser: OWNER,
  });
  callback = await startReceiver();
  callback.status = 200;
});

afterAll(async () => {
  await emu.close();
  await callback.close();
});

function webClient(redirectPath = "/oauth/callback"): OAuth2Client {
  return new OAuth2Client({
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    redirectUri: `${callback.url}${redirectPath}`,
    endpoints: emu.googleAuthEndpoints,
  });
}

/** Runs the browser leg: GET the consent URL and follow its redirect to the callback server. */
async function consent(url: string): Promise<URLSearchParams> {
  const before = callback.requests.length;
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const hit = callback.requests[before];
  if (!hit) throw new Error("the callback was not reached");
  return new URL(hit.url, callback.url).searchParams;
}

async function authorise(opts: { prompt?: string; loginHint?: string } = {}) {
  const client = webClient();
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: "offline",
    scope: ["openid", "email", GMAIL_READONLY],
    state: "state-123",
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
    ...(opts.prompt ? { prompt: opts.prompt } : {}),
    ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
  });
  const params = await consent(url);
  return { client, codeVerifier, params };
}

describe("authorisation code flow with PKCE", () => {
  it("redirects with code and state, and exchanges the code for tokens", async () => {
    const { client, codeVerifier, params } = await authorise({ prompt: "consent" });
    expect(params.get("state")).toBe("state-123");
    const code = params.get("code");
    expect(code).toBeTruthy();

    const { tokens } = await client.getToken({ code: code ?? "", codeVerifier });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.scope?.split(" ")).toEqual(
      expect.arrayContaining([
        "openid",
        "https://www.googleapis.com/auth/userinfo.email",
        GMAIL_READONLY,
      ]),
    );

    const ticket = await client.verifyIdToken({
      idToken: tokens.id_token ?? "",
      audience: emu.clientId,
    });
    const payload = ticket.getPayload();
    expect(payload?.email).toBe(OWNER);
    expect(payload?.email_verified).toBe(true);
    expect(payload?.iss).toBe("https://accounts.google.com");
    expect(payload?.sub).toMatch(/^\d{19}$/);
  });

  it("refuses a wrong code verifier with invalid_grant", async () => {
    const { client, params } = await authorise({ prompt: "consent" });
    const wrong = (await client.generateCodeVerifierAsync()).codeVerifier;
    const err = await googleError(
      client.getToken({ code: params.get("code") ?? "", codeVerifier: wrong }),
    );
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a missing verifier, a reused code and a different redirect_uri", async () => {
    const first = await authorise({ prompt: "consent" });
    const code = first.params.get("code") ?? "";
    expect((await googleError(first.client.getToken({ code }))).data).toMatchObject({
      error: "invalid_grant",
    });

    const second = await authorise({ prompt: "consent" });
    const code2 = second.params.get("code") ?? "";
    const elsewhere = webClient("/other");
    const mismatch = await googleError(
      elsewhere.getToken({ code: code2, codeVerifier: second.codeVerifier }),
    );
    expect(mismatch.data).toMatchObject({ error: "redirect_uri_mismatch" });

    await second.client.getToken({ code: code2, codeVerifier: second.codeVerifier });
    const replay = await googleError(
      second.client.getToken({ code: code2, codeVerifier: second.codeVerifier }),
    );
    expect(replay.data).toMatchObject({ error: "invalid_grant" });
  });

  it("gives no new refresh token to a returning user unless prompt=consent", async () => {
    const fresh = await startGoogleEmulator({ users: [{ email: OWNER }] });
    try {
      const client = new OAuth2Client({
        clientId: fresh.clientId,
        clientSecret: fresh.clientSecret,
        redirectUri: `${callback.url}/cb`,
        endpoints: fresh.googleAuthEndpoints,
      });
      const run = async (prompt?: string) => {
        const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
        const params = await consent(
          client.generateAuthUrl({
            access_type: "offline",
            scope: [GMAIL_READONLY],
            code_challenge: codeChallenge,
            code_challenge_method: CodeChallengeMethod.S256,
            ...(prompt ? { prompt } : {}),
          }),
        );
        return (await client.getToken({ code: params.get("code") ?? "", codeVerifier })).tokens;
      };
      expect((await run()).refresh_token).toBeTruthy();
      expect((await run()).refresh_token).toBeUndefined();
      expect((await run("consent")).refresh_token).toBeTruthy();
    } finally {
      await fresh.close();
    }
  });

  it("rejects a wrong client secret with invalid_client", async () => {
    const { codeVerifier, params } = await authorise({ prompt: "consent" });
    const bad = new OAuth2Client({
      clientId: emu.clientId,
      clientSecret: "nope",
      redirectUri: `${callback.url}/oauth/callback`,
      endpoints: emu.googleAuthEndpoints,
    });
    const err = await googleError(bad.getToken({ code: params.get("code") ?? "", codeVerifier }));
    expect(err.status).toBe(401);
    expect(err.data).toMatchObject({ error: "invalid_client" });
  });
});

describe("consent page", () => {
  it("lists the users when none is preselected, and login_hint picks one", async () => {
    const multi = await startGoogleEmulator({
      users: [{ email: OWNER }, { email: OTHER, name: "Assistant" }],
    });
    try {
      const client = new OAuth2Client({
        clientId: multi.clientId,
        redirectUri: `${callback.url}/cb`,
        endpoints: multi.googleAuthEndpoints,
      });
      const url = client.generateAuthUrl({ scope: [GMAIL_READONLY], state: "s" });
      const page = await fetch(url, { redirect: "manual" });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(OWNER);
      expect(html).toContain("Assistant &#60;assistant@example.com&#62;");

      const hinted = await fetch(
        client.generateAuthUrl({ scope: [GMAIL_READONLY], login_hint: OTHER }),
        {
          redirect: "manual",
        },
      );
      expect(hinted.status).toBe(302);
      const location = new URL(hinted.headers.get("location") ?? "");
      expect(location.origin).toBe(callback.url);
      const link = html.match(/href="([^"]*login_hint=owner[^"]*)"/)?.[1]?.replace(/&#38;/g, "&");
      const followed = await fetch(`${multi.url}${link ?? ""}`, { redirect: "manual" });
      expect(followed.status).toBe(302);
    } finally {
      await multi.close();
    }
  });

  it("shows Google's error page for an unknown client or a missing scope", async () => {
    const unknownClient = await fetch(
      `${emu.endpoints.authUrl}?client_id=x&redirect_uri=${encodeURIComponent(callback.url)}&response_type=code&scope=openid`,
      { redirect: "manual" },
    );
    expect(unknownClient.status).toBe(401);
    expect(await unknownClient.text()).toContain("invalid_client");
    const noScope = await fetch(
      `${emu.endpoints.authUrl}?client_id=${emu.clientId}&redirect_uri=${encodeURIComponent(callback.url)}&response_type=code`,
      { redirect: "manual" },
    );
    expect(noScope.status).toBe(400);
  });
});

describe("refresh and revocation", () => {
  it("refreshes an access token, then answers invalid_grant once revoked", async () => {
    const tokens = emu.issueTokens(OTHER);
    const client = webClient();
    client.setCredentials({ refresh_token: tokens.refresh_token });
    const refreshed = await client.refreshAccessToken();
    expect(refreshed.credentials.access_token).toMatch(/^ya29\./);
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);

    await client.revokeToken(tokens.refresh_token);
    const err = await googleError(client.refreshAccessToken());
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: "invalid_grant" });
    expect((await googleError(client.revokeToken(tokens.refresh_token))).data).toMatchObject({
      error: "invalid_token",
    });
  });

  it("revokeRefreshTokens kills the refresh token and the access tokens of the user", async () => {
    const { gmail, auth, tokens } = clientsFor(emu, OTHER, { withRefresh: true });
    await gmail.users.getProfile({ userId: "me" });
    emu.revokeRefreshTokens(OTHER);
    const err = await googleError(gmail.users.getProfile({ userId: "me" }));
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: "invalid_grant" });
    expect(auth.credentials.refresh_token).toBe(tokens.refresh_token);
  });

  it("refreshes transparently when an access token has expired", async () => {
    const { gmail, auth } = clientsFor(emu, OWNER, { withRefresh: true });
    const before = auth.credentials.access_token;
    emu.expireAccessTokens(OWNER);
    const profile = await gmail.users.getProfile({ userId: "me" });
    expect(profile.data.emailAddress).toBe(OWNER);
    expect(auth.credentials.access_token).not.toBe(before);
    const statuses = emu.calls.slice(-3).map((c) => `${c.method}:${c.status}`);
    expect(statuses).toEqual([
      "gmail.users.getProfile:401",
      "oauth.token:200",
      "gmail.users.getProfile:200",
    ]);
  });
});

describe("access tokens on the APIs", () => {
  it("answers 401 with Google's error body for a missing, unknown or expired token", async () => {
    const res = await fetch(`${emu.url}/gmail/v1/users/me/profile`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("invalid_token");
    expect(await res.json()).toMatchObject({
      error: {
        code: 401,
        status: "UNAUTHENTICATED",
        errors: [{ reason: "authError", domain: "global" }],
      },
    });
    const unknown = await fetch(`${emu.url}/gmail/v1/users/me/profile`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(unknown.status).toBe(401);

    const { gmail } = clientsFor(emu, OWNER);
    emu.expireAccessTokens(OWNER);
    expect((await googleError(gmail.users.getProfile({ userId: "me" }))).status).toBe(401);
  });

  it("answers 403 insufficientPermissions when the token lacks the method's scope", async () => {
    const { gmail } = clientsFor(emu, OWNER, { scopes: [GMAIL_READONLY] });
    const err = await googleError(
      gmail.users.labels.create({ userId: "me", requestBody: { name: "Decorum" } }),
    );
    expect(err.status).toBe(403);
    expect(err.data).toMatchObject({ error: { errors: [{ reason: "insufficientPermissions" }] } });
  });

  it("refuses another user's mailbox", async () => {
    const { gmail } = clientsFor(emu, OWNER);
    const err = await googleError(gmail.users.getProfile({ userId: OTHER }));
    expect(err.status).toBe(403);
  });

  it("serves tokeninfo and userinfo for a live token", async () => {
    const { auth, tokens } = clientsFor(emu, OWNER, {
      scopes: ["openid", "email", GMAIL_READONLY],
    });
    const info = await auth.getTokenInfo(tokens.access_token);
    expect(info.email).toBe(OWNER);
    expect(info.scopes).toContain(GMAIL_READONLY);
    const { id_token } = emu.issueTokens(OWNER);
    const idInfo = await fetch(`${emu.endpoints.tokenInfoUrl}?id_token=${id_token}`);
    expect(await idInfo.json()).toMatchObject({
      email: OWNER,
      aud: emu.clientId,
      email_verified: "true",
    });
    const forged = await emu.signPushToken({ audience: emu.clientId, key: "forged" });
    expect((await fetch(`${emu.endpoints.tokenInfoUrl}?id_token=${forged}`)).status).toBe(400);
    const userinfo = await fetch(emu.endpoints.userInfoUrl, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ email: OWNER, email_verified: true });
  });
});

describe("signing keys", () => {
  it("publishes a real X.509 certificate (v1) and a JWK (v3) for the same key", async () => {
    const certs: unknown = await (await fetch(emu.endpoints.certsUrl)).json();
    expect(certs).toBeTypeOf("object");
    const entries = Object.entries(certs ?? {});
    expect(entries).toHaveLength(1);
    const [kid, pem] = entries[0] ?? ["", ""];
    expect(String(pem)).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const { id_token } = emu.issueTokens(OWNER);
    const { payload, protectedHeader } = await jwtVerify(
      id_token,
      await importX509(String(pem), "RS256"),
      {
        issuer: "https://accounts.google.com",
        audience: emu.clientId,
      },
    );
    expect(protectedHeader.kid).toBe(kid);
    expect(payload.email).toBe(OWNER);

    const jwks: unknown = await (await fetch(emu.endpoints.jwksUrl)).json();
    expect(jwks).toMatchObject({ keys: [{ kid, kty: "RSA", alg: "RS256" }] });
  });

  it("verifyIdToken fails for a token signed by another key or meant for another audience", async () => {
    const verifier = new OAuth2Client({ endpoints: emu.googleAuthEndpoints });
    const forged = await emu.signPushToken({ audience: emu.clientId, key: "forged" });
    await expect(
      verifier.verifyIdToken({ idToken: forged, audience: emu.clientId }),
    ).rejects.toThrow(/Invalid token signature/);
    const { id_token } = emu.issueTokens(OWNER);
    await expect(
      verifier.verifyIdToken({ idToken: id_token, audience: "someone-else" }),
    ).rejects.toThrow(/Wrong recipient/);
  });
});
