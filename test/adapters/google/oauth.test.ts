import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGoogleClients,
  createOAuth,
  GOOGLE_SCOPE_LIST,
  type OAuthPort,
} from "../../../functions/adapters/google/index.ts";
import type { GoogleEmulator } from "../../emulator/index.ts";
import { OWNER, startEmulator, virtualTime } from "./harness.ts";

const REDIRECT = "https://decorum.example/settings/google/callback";

let emulator: GoogleEmulator;
let oauth: OAuthPort;

beforeAll(async () => {
  emulator = await startEmulator();
  const time = virtualTime();
  oauth = createOAuth({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    endpoints: emulator.endpoints,
    now: time.now,
    sleep: time.sleep,
  });
});

afterAll(async () => {
  await emulator.close();
});

/** Follows the consent page's redirect the way the browser would, returning the callback's query. */
async function consent(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

describe("OAuthPort", () => {
  it("builds an offline, forced-consent, S256 authorisation URL for Decorum's scopes", () => {
    const url = new URL(
      oauth.authUrl({
        state: "st4te",
        codeChallenge: "c".repeat(43),
        redirectUri: REDIRECT,
        loginHint: OWNER,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(emulator.endpoints.authUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: emulator.clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: GOOGLE_SCOPE_LIST.join(" "),
      access_type: "offline",
      prompt: "consent",
      state: "st4te",
      code_challenge: "c".repeat(43),
      code_challenge_method: "S256",
      login_hint: OWNER,
    });
  });

  it("makes a PKCE pair whose challenge is the verifier's SHA-256", async () => {
    const { verifier, challenge } = oauth.createPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const digest = Buffer.from(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)),
    );
    expect(challenge).toBe(digest.toString("base64url"));
    expect(oauth.createPkce().verifier).not.toBe(verifier);
  });

  it("exchanges the code for a working grant, and refuses the same code twice", async () => {
    const pkce = oauth.createPkce();
    const query = await consent(
      oauth.authUrl({
        state: "s1",
        codeChallenge: pkce.challenge,
        redirectUri: REDIRECT,
        loginHint: OWNER,
      }),
    );
    expect(query.get("state")).toBe("s1");
    const code = query.get("code") ?? "";
    const grant = await oauth.exchangeCode({
      code,
      codeVerifier: pkce.verifier,
      redirectUri: REDIRECT,
    });
    expect(grant.idToken).toMatchObject({
      email: OWNER,
      email_verified: true,
      sub: expect.any(String),
    });
    expect(grant.refreshToken).not.toBe("");
    expect(grant.expiryDate.getTime()).toBeGreaterThan(Date.now());
    expect(grant.grantedScopes).toEqual(
      expect.arrayContaining([
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/calendar.events.readonly",
      ]),
    );

    const { gmail } = createGoogleClients({
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      rootUrl: emulator.url,
      endpoints: emulator.endpoints,
      refreshToken: grant.refreshToken,
    });
    await expect(gmail.getProfile()).resolves.toMatchObject({ emailAddress: OWNER });

    const again = await oauth
      .exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri: REDIRECT })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: "bad_request", reason: "invalid_grant" });
    expect(String(again)).toContain("start connecting again");
  });

  it("refuses a code presented with the wrong verifier", async () => {
    const pkce = oauth.createPkce();
    const query = await consent(
      oauth.authUrl({
        state: "s2",
        codeChallenge: pkce.challenge,
        redirectUri: REDIRECT,
        loginHint: OWNER,
      }),
    );
    const error = await oauth
      .exchangeCode({
        code: query.get("code") ?? "",
        codeVerifier: oauth.createPkce().verifier,
        redirectUri: REDIRECT,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "bad_request" });
  });

  it("revokes a grant, after which it yields the Disconnected outcome; revoking again succeeds", async () => {
    const pkce = oauth.createPkce();
    const query = await consent(
      oauth.authUrl({
        state: "s3",
        codeChallenge: pkce.challenge,
        redirectUri: REDIRECT,
        loginHint: OWNER,
      }),
    );
    const grant = await oauth.exchangeCode({
      code: query.get("code") ?? "",
      codeVerifier: pkce.verifier,
      redirectUri: REDIRECT,
    });
    await oauth.revoke(grant.refreshToken);
    await expect(oauth.revoke(grant.refreshToken)).resolves.toBeUndefined();
    const { gmail } = createGoogleClients({
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      rootUrl: emulator.url,
      endpoints: emulator.endpoints,
      refreshToken: grant.refreshToken,
    });
    await expect(gmail.getProfile()).rejects.toMatchObject({ kind: "revoked" });
  });
});
