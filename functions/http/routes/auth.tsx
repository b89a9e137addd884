import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Hono } from "hono";
import { GoogleError } from "../../adapters/google/errors.ts";
import { GOOGLE_SCOPES, missingScopes } from "../../adapters/google/scopes.ts";
import { isAllowed } from "../allow-list.ts";
import { authenticate } from "../authenticate.ts";
import { type AppContext, callerKey, logId } from "../context.ts";
import { isSigninNotice, MessagePage, SignInPage } from "../pages/message.tsx";
import {
  clearOAuthCookie,
  clearSessionCookie,
  readOAuthCookie,
  readSessionCookie,
  setOAuthCookie,
  setSessionCookie,
} from "../session.ts";
import type { WebContext, WebEnv } from "../types.ts";

const STATE_TTL_SECONDS = 600;
const ACCOUNT_ID = /^[A-Za-z0-9._@+-]{1,200}$/;

/** The account id: Google's stable `sub`, or a hash of it if it ever had other characters. */
export function accountIdFor(sub: string): string {
  return ACCOUNT_ID.test(sub) ? sub : `h-${createHash("sha256").update(sub).digest("hex")}`;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sign-in, its callback and sign-out: the only routes that work without a session. */
export function authRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps, config, log } = ctx;

  const limited = async (c: WebContext) => {
    const decision = await deps.stores.limiter.take(
      "signin",
      callerKey(ctx, c),
      config.rateLimits.signIn,
    );
    if (decision.allowed) return null;
    c.header("Retry-After", String(decision.retryAfterSeconds));
    return c.html(
      <MessagePage title="Too many sign-in attempts" kind="warn">
        Please wait {Math.ceil(decision.retryAfterSeconds / 60)} minutes and try again.
      </MessagePage>,
      429,
    );
  };

  const refuse = (c: WebContext, status: 400 | 403, title: string, text: string) =>
    c.html(
      <MessagePage title={title} action={{ href: "/signin", label: "Back to sign-in" }}>
        {text}
      </MessagePage>,
      status,
    );

  app.get("/signin", async (c) => {
    if (await authenticate(ctx, c)) return c.redirect("/", 302);
    const notice = c.req.query("m");
    return c.html(<SignInPage notice={isSigninNotice(notice) ? notice : null} />);
  });

  app.get("/auth/google", async (c) => {
    const tooMany = await limited(c);
    if (tooMany) return tooMany;
    const state = randomBytes(32).toString("base64url");
    const pkce = deps.oauth.createPkce();
    await deps.stores.oauthStates.save(state, pkce.verifier, STATE_TTL_SECONDS);
    await setOAuthCookie(c, config, state, STATE_TTL_SECONDS);
    // Reconnecting while signed in: Google preselects the account Decorum already knows.
    const signedIn = await authenticate(ctx, c);
    return c.redirect(
      deps.oauth.authUrl({
        state,
        codeChallenge: pkce.challenge,
        redirectUri: config.redirectUri,
        ...(signedIn ? { loginHint: signedIn.account.email } : {}),
      }),
      302,
    );
  });

  app.get("/auth/google/callback", async (c) => {
    const tooMany = await limited(c);
    if (tooMany) return tooMany;
    const state = c.req.query("state") ?? "";
    const code = c.req.query("code") ?? "";
    const browserState = await readOAuthCookie(c, config);
    clearOAuthCookie(c, config);
    // The state must be the one this browser was given, and still unused on the server: this
    // stops a forged callback (login CSRF) and a replayed one.
    if (state === "" || !browserState || !sameString(state, browserState)) {
      return refuse(
        c,
        400,
        "Sign-in could not be verified",
        "This sign-in did not start in this browser, or it was already used. Please start again.",
      );
    }
    const stored = await deps.stores.oauthStates.take(state);
    if (!stored) {
      return refuse(
        c,
        400,
        "Sign-in could not be verified",
        "This sign-in expired or was already used. Please start again.",
      );
    }
    if (c.req.query("error")) return c.redirect("/signin?m=denied", 303);
    if (code === "") {
      return refuse(c, 400, "Sign-in failed", "Google did not send an authorisation code.");
    }

    let grant: Awaited<ReturnType<typeof deps.oauth.exchangeCode>>;
    try {
      grant = await deps.oauth.exchangeCode({
        code,
        codeVerifier: stored.verifier,
        redirectUri: config.redirectUri,
      });
    } catch (error) {
      if (!(error instanceof GoogleError)) throw error;
      log({ event: "web.signin.exchange_failed", kind: error.kind, reason: error.reason });
      return refuse(
        c,
        400,
        "Sign-in failed",
        "Google did not confirm this sign-in. Please start again.",
      );
    }

    const revokeGrant = async () => {
      try {
        await deps.oauth.revoke(grant.refreshToken);
      } catch (error) {
        log({ event: "web.signin.revoke_failed", error: String(error) });
      }
    };
    const claims = grant.idToken;
    if (!claims.email_verified || !isAllowed(config.allowList, claims.email)) {
      // Decorum keeps nothing of an address it may not serve, not even the grant.
      await revokeGrant();
      log({ event: "web.signin.refused", who: logId(claims.email) });
      return refuse(
        c,
        403,
        "This address cannot use Decorum",
        "This Decorum is set up for particular people, and this Google account is not one of them (or its address is not verified). Nothing was stored.",
      );
    }
    const missing = missingScopes(grant.grantedScopes);
    if (missing.length > 0) {
      await revokeGrant();
      return c.html(
        <MessagePage
          title="Decorum needs every permission"
          kind="warn"
          action={{ href: "/auth/google", label: "Try again" }}
        >
          <p>Google did not grant these, so nothing was connected:</p>
          <ul>
            {missing.map((scope) => (
              <li>{GOOGLE_SCOPES[scope]}</li>
            ))}
          </ul>
        </MessagePage>,
        403,
      );
    }

    const accountId = accountIdFor(claims.sub);
    const email = claims.email.toLowerCase();
    await deps.accounts.createAccount({ accountId, email, settings: { owner: { email } } });
    await deps.accounts.setRefreshToken(accountId, grant.refreshToken);
    let watching = true;
    try {
      await deps.connection.connect(accountId);
    } catch (error) {
      watching = false;
      log({ event: "web.connect_failed", account: logId(accountId), error: String(error) });
    }

    const previous = await readSessionCookie(c, config);
    if (previous) {
      await deps.stores.sessions.delete(previous.accountId, previous.sessionId).catch(() => {});
    }
    const session = await deps.stores.sessions.create(accountId, config.sessionTtlSeconds);
    await setSessionCookie(
      c,
      config,
      { accountId, sessionId: session.sessionId },
      session.expiresAt,
      deps.now(),
    );
    return c.redirect(watching ? "/" : "/?m=watch-failed", 303);
  });

  app.get("/signout", async (c) => {
    const auth = c.get("auth");
    return c.html(
      <MessagePage title="Sign out" kind="info" auth={auth}>
        <form method="post" action="/signout">
          <input type="hidden" name="_csrf" value={auth.formToken} />
          <p>Sign out of Decorum on this device? Decorum keeps working in the background.</p>
          <button type="submit">Sign out</button>
        </form>
      </MessagePage>,
    );
  });

  app.post("/signout", async (c) => {
    const auth = c.get("auth");
    await deps.stores.sessions.delete(auth.account.accountId, auth.sessionId);
    clearSessionCookie(c, config);
    return c.redirect("/signin?m=signed-out", 303);
  });
}
