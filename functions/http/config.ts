import { createHmac } from "node:crypto";
import { type AllowList, parseAllowList } from "./allow-list.ts";
import type { RateRule } from "./rate-limit.ts";

/** The web app's configuration, as the handler (Lambda) or the local server reads it. */
export interface WebConfig {
  /**
   * The public origin, e.g. "https://decorum.example". CSRF origin checks and the OAuth redirect
   * URI are built from it, never from the request: behind API Gateway or a router the request's
   * host is the Lambda's own domain (platform facts, pitfall 6).
   */
  baseUrl: string;
  /** Addresses and "@domains" allowed to sign in (DECORUM_ALLOWED); empty lets nobody in. */
  allowList: string | readonly string[];
  /** Secret for signing cookies and form tokens: at least 32 characters. */
  sessionKey: string;
  /**
   * Secure + __Host- cookies. Only the local server may turn this off (plain http); Chromium
   * accepts Secure cookies from http://localhost anyway, so tests keep it on.
   */
  secureCookies: boolean;
  /** How long a session lasts from sign-in. Default 12 hours. */
  sessionTtlSeconds?: number;
  rateLimits?: Partial<RateLimits>;
}

export interface RateLimits {
  /** Sign-in starts and callbacks, per client IP. */
  signIn: RateRule;
  /** Try-it submissions, per account. */
  tryIt: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signIn: { limit: 20, windowSeconds: 600 },
  tryIt: { limit: 30, windowSeconds: 600 },
};

export interface ResolvedConfig {
  origin: string;
  redirectUri: string;
  allowList: AllowList;
  /** Signs cookies (hono's HMAC-SHA256). */
  cookieSecret: string;
  /** Derives per-session form tokens. */
  csrfSecret: string;
  secureCookies: boolean;
  sessionTtlSeconds: number;
  rateLimits: RateLimits;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const MIN_KEY_LENGTH = 32;

/** Checks the configuration once, when the app is built, so a bad deployment fails at once. */
export function resolveConfig(config: WebConfig): ResolvedConfig {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new ConfigError(`baseUrl "${config.baseUrl}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError("baseUrl must be an http(s) URL");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ConfigError(
      "baseUrl must be an origin such as https://decorum.example, without a path",
    );
  }
  if (config.secureCookies && url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new ConfigError("Secure cookies need https (or http on localhost)");
  }
  if (config.sessionKey.length < MIN_KEY_LENGTH) {
    throw new ConfigError(`sessionKey must be at least ${MIN_KEY_LENGTH} characters`);
  }
  const ttl = config.sessionTtlSeconds ?? 12 * 3600;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 30 * 86_400) {
    throw new ConfigError("sessionTtlSeconds must be a whole number from 60 to 2592000");
  }
  return {
    origin: url.origin,
    redirectUri: `${url.origin}/auth/google/callback`,
    allowList: parseAllowList(config.allowList),
    cookieSecret: derive(config.sessionKey, "decorum:cookie"),
    csrfSecret: derive(config.sessionKey, "decorum:csrf"),
    secureCookies: config.secureCookies,
    sessionTtlSeconds: ttl,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

/** Separate keys per use, so a value signed for one purpose never verifies for another. */
function derive(key: string, label: string): string {
  return createHmac("sha256", key).update(label).digest("base64url");
}
