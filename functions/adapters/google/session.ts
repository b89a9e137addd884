import type { Credentials, OAuth2Client, OAuth2ClientOptions } from "google-auth-library";
import { GoogleError, type GoogleErrorKind, translateGoogleError } from "./errors.ts";
import type { GoogleEndpoints, GoogleTokens } from "./ports.ts";
import { isRetryable, isSafeToResend, type RetryOptions, withRetry } from "./retry.ts";

export interface GoogleClientsConfig {
  clientId: string;
  clientSecret: string;
  redirectUri?: string;
  /** Replaces https://gmail.googleapis.com/ and https://www.googleapis.com/ (the emulator). */
  rootUrl?: string;
  endpoints?: GoogleEndpoints;
  refreshToken: string;
  accessToken?: string;
  expiryDate?: Date | number;
  /** Called with every token Google issues, before the request it was issued for is sent. */
  onTokens?: (tokens: GoogleTokens) => Promise<void>;
  retry?: RetryOptions;
  /** Each HTTP request is abandoned (and counted as a network failure) after this. Default 15 s. */
  requestTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface OAuthClientOptions {
  clientId: string;
  clientSecret?: string;
  redirectUri?: string;
  endpoints?: GoogleEndpoints;
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

function endpointOptions(endpoints: GoogleEndpoints | undefined): OAuth2ClientOptions["endpoints"] {
  if (!endpoints) return undefined;
  return {
    ...(endpoints.authUrl ? { oauth2AuthBaseUrl: endpoints.authUrl } : {}),
    ...(endpoints.tokenUrl ? { oauth2TokenUrl: endpoints.tokenUrl } : {}),
    ...(endpoints.revokeUrl ? { oauth2RevokeUrl: endpoints.revokeUrl } : {}),
    ...(endpoints.certsUrl ? { oauth2FederatedSignonPemCertsUrl: endpoints.certsUrl } : {}),
  };
}

/**
 * An OAuth2Client with gaxios' own retries switched off on every request it makes (API calls,
 * token refreshes, certificate fetches), so withRetry is the only retry policy. google-auth-library
 * is imported here, on first use, so merely loading the ports costs nothing.
 */
export async function createOAuthClient(options: OAuthClientOptions): Promise<OAuth2Client> {
  const { OAuth2Client } = await import("google-auth-library");
  const client = new OAuth2Client({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    endpoints: endpointOptions(options.endpoints),
    // Every request through this client (API, token, certificates) inherits the timeout; gaxios
    // arms it before interceptors run, so it must be a transporter default.
    transporterOptions: { timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS },
  });
  client.transporter.interceptors.request.add({
    resolved: async (request) => {
      request.retry = false;
      delete request.retryConfig;
      return request;
    },
  });
  return client;
}

export interface CallOptions {
  /** False for calls with effects that must not happen twice (send, create draft). Default true. */
  idempotent?: boolean;
  notFound?: GoogleErrorKind;
}

/**
 * One Google account's connection: its OAuth client (created on first use) and the single path
 * every call takes — fresh token, request, one refresh on 401, error translation, retry.
 */
export class GoogleSession {
  private client: Promise<OAuth2Client> | undefined;
  private persisting: Promise<void> = Promise.resolve();
  private readonly retry: RetryOptions;
  readonly now: () => number;

  constructor(readonly config: GoogleClientsConfig) {
    this.now = config.now ?? config.retry?.now ?? Date.now;
    this.retry = {
      ...config.retry,
      now: this.now,
      ...(config.sleep ? { sleep: config.sleep } : {}),
    };
  }

  auth(): Promise<OAuth2Client> {
    this.client ??= this.connect().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private async connect(): Promise<OAuth2Client> {
    const { config } = this;
    const client = await createOAuthClient(config);
    const credentials: Credentials = { refresh_token: config.refreshToken };
    if (config.accessToken) {
      credentials.access_token = config.accessToken;
      // With no expiry, google-auth-library would run its own refresh-and-retry on a 401 or
      // 403; an unknown expiry is instead treated as "valid until Google says otherwise".
      credentials.expiry_date =
        config.expiryDate === undefined ? Number.MAX_SAFE_INTEGER : Number(config.expiryDate);
    }
    client.setCredentials(credentials);
    client.on("tokens", (tokens: Credentials) => {
      const { onTokens } = config;
      if (!onTokens || !tokens.access_token) return;
      const issued: GoogleTokens = {
        accessToken: tokens.access_token,
        expiryDate: typeof tokens.expiry_date === "number" ? new Date(tokens.expiry_date) : null,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
        ...(tokens.scope ? { scope: tokens.scope } : {}),
      };
      this.persisting = this.persisting.then(() => onTokens(issued));
    });
    return client;
  }

  /** A valid access token, refreshed first if it is missing or about to expire, and persisted. */
  private async freshToken(client: OAuth2Client): Promise<string | null> {
    try {
      const { token } = await client.getAccessToken();
      return token ?? null;
    } catch (error) {
      throw translateGoogleError(error, { method: "oauth2.token", now: this.now() });
    } finally {
      await this.flushTokens();
    }
  }

  private async flushTokens(): Promise<void> {
    const pending = this.persisting;
    this.persisting = Promise.resolve();
    await pending;
  }

  async call<T>(method: string, run: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const translate = (error: unknown) =>
      translateGoogleError(error, { method, notFound: options.notFound, now: this.now() });
    let refreshed = false;
    const attempt = async (): Promise<T> => {
      const client = await this.auth();
      const used = await this.freshToken(client);
      try {
        return await run();
      } catch (error) {
        const translated = translate(error);
        if (refreshed || !isExpiredAccessToken(translated)) throw translated;
        // An access token can die before its expiry (revoked session, clock skew): refresh
        // once per call and repeat the request; a second 401 is final.
        refreshed = true;
        if (client.credentials.access_token === used) {
          client.setCredentials({ refresh_token: client.credentials.refresh_token });
        }
        await this.freshToken(client);
        try {
          return await run();
        } catch (again) {
          throw translate(again);
        }
      }
    };
    try {
      return await withRetry(attempt, {
        ...this.retry,
        retryWhen: options.idempotent === false ? isSafeToResend : isRetryable,
      });
    } finally {
      // Tokens the library refreshed on its own mid-request are persisted before the call returns.
      await this.flushTokens();
    }
  }
}

function isExpiredAccessToken(error: unknown): boolean {
  return (
    error instanceof GoogleError &&
    error.kind === "unauthorised" &&
    error.status === 401 &&
    error.reason !== "invalid_client" &&
    error.reason !== "unauthorized_client"
  );
}
