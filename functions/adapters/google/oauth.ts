import { createHash, randomBytes } from "node:crypto";
import { GoogleError, translateGoogleError } from "./errors.ts";
import type { GoogleEndpoints, OAuthPort } from "./ports.ts";
import { isRetryable, isSafeToResend, type RetryOptions, withRetry } from "./retry.ts";
import { CodeTokenResponse, IdTokenClaims } from "./schemas.ts";
import { GOOGLE_SCOPE_LIST } from "./scopes.ts";
import { createOAuthClient } from "./session.ts";
import { lazy, parseResponse } from "./validate.ts";

export const GOOGLE_AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth";

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  endpoints?: GoogleEndpoints;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The settings page's OAuth port. authUrl and createPkce are plain string and crypto work, so a
 * page that only renders a "Connect Google" link loads no Google library at all.
 */
export function createOAuth(config: OAuthConfig): OAuthPort {
  const now = config.now ?? config.retry?.now ?? Date.now;
  const retry: RetryOptions = {
    ...config.retry,
    now,
    ...(config.sleep ? { sleep: config.sleep } : {}),
  };
  const client = lazy(() =>
    createOAuthClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      requestTimeoutMs: config.requestTimeoutMs,
      ...(config.endpoints ? { endpoints: config.endpoints } : {}),
    }),
  );

  return {
    authUrl({ state, codeChallenge, redirectUri, loginHint }) {
      const url = new URL(config.endpoints?.authUrl ?? GOOGLE_AUTH_URL);
      const params: Record<string, string> = {
        client_id: config.clientId,
        redirect_uri: redirectUri,
        response_type: "code",
        scope: GOOGLE_SCOPE_LIST.join(" "),
        // Offline access plus forced consent: the only way to be sure a refresh token comes back,
        // including for a user reconnecting after a revocation.
        access_type: "offline",
        prompt: "consent",
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        ...(loginHint ? { login_hint: loginHint } : {}),
      };
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      return url.toString();
    },

    async exchangeCode({ code, codeVerifier, redirectUri }) {
      const method = "oauth2.token";
      const oauth = await client();
      // An authorisation code works once, so the exchange is retried only when Google did not act.
      const tokens = await withRetry(
        async () => {
          try {
            const res = await oauth.getToken({ code, codeVerifier, redirect_uri: redirectUri });
            return parseResponse(CodeTokenResponse, res.tokens, method);
          } catch (error) {
            throw translateGoogleError(error, { method, now: now(), invalidGrant: "bad_request" });
          }
        },
        { ...retry, retryWhen: isSafeToResend },
      );
      if (!tokens.refresh_token) {
        throw new GoogleError({
          kind: "bad_request",
          method,
          message:
            "Google did not return a refresh token, so Decorum could not keep working in the background. Remove Decorum's access in your Google account settings and connect again.",
        });
      }
      if (!tokens.id_token) {
        throw new GoogleError({
          kind: "bad_request",
          method,
          message:
            "Google did not say which account connected (no id_token). Connect again and allow every requested access.",
        });
      }
      const idToken = tokens.id_token;
      const ticket = await withRetry(async () => {
        try {
          return await oauth.verifyIdToken({ idToken, audience: config.clientId });
        } catch (error) {
          const translated = translateGoogleError(error, { method: "oauth2.certs", now: now() });
          if (translated instanceof GoogleError) throw translated;
          throw new GoogleError({
            kind: "unauthorised",
            method,
            message:
              "The identity Google returned did not verify; Decorum did not connect the account. Try again.",
            cause: error,
          });
        }
      }, retry);
      return {
        refreshToken: tokens.refresh_token,
        accessToken: tokens.access_token,
        expiryDate: new Date(tokens.expiry_date ?? now() + 3_600_000),
        idToken: parseResponse(IdTokenClaims, ticket.getPayload(), method),
        grantedScopes: (tokens.scope ?? "").split(/\s+/).filter((s) => s !== ""),
      };
    },

    async revoke(token) {
      const method = "oauth2.revoke";
      const oauth = await client();
      await withRetry(
        async () => {
          try {
            await oauth.revokeToken(token);
          } catch (error) {
            const translated = translateGoogleError(error, { method, now: now() });
            // Google answers 400 invalid_token for a token it no longer knows: already revoked.
            if (translated instanceof GoogleError && translated.reason === "invalid_token") return;
            throw translated;
          }
        },
        { ...retry, retryWhen: isRetryable },
      );
    },

    createPkce() {
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      return { verifier, challenge };
    },
  };
}
