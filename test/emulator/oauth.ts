import { createHash, randomBytes, timingSafeEqual, verify } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type Core, findBox } from "./core.ts";
import { OAuthError } from "./errors.ts";
import { parseForm, type Reply, type RequestContext, type Route, route } from "./http.ts";
import { jwk, type SigningKey, signJwt } from "./keys.ts";
import type { Mailbox } from "./store.ts";

export const ISSUER = "https://accounts.google.com";
const AUTH = "https://www.googleapis.com/auth/";

/** Google answers short scope names with their URLs. */
const SCOPE_ALIASES: Record<string, string> = {
  email: `${AUTH}userinfo.email`,
  profile: `${AUTH}userinfo.profile`,
};

export const DEFAULT_TEST_SCOPES = [
  "openid",
  `${AUTH}userinfo.email`,
  "https://mail.google.com/",
  `${AUTH}calendar`,
];

export function normalizeScopes(scopes: Iterable<string>): string[] {
  return [...new Set([...scopes].filter(Boolean).map((s) => SCOPE_ALIASES[s] ?? s))];
}

export interface AccessToken {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  grantId: string;
  offline: boolean;
}

interface RefreshToken {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  grantId: string;
}

interface AuthCode {
  code: string;
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string | null;
  challengeMethod: "S256" | "plain";
  offline: boolean;
  issueRefresh: boolean;
  nonce: string | undefined;
  expiresAt: number;
  used: boolean;
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: "Bearer";
  id_token?: string;
}

export class TokenStore {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();
  /** (user, client) pairs that already consented to offline access: no new refresh token then. */
  private readonly consented = new Set<string>();
  private readonly revokedGrants = new Set<string>();

  constructor(
    private readonly deps: { now: () => number; key: SigningKey; box: (email: string) => Mailbox },
  ) {}

  issue(opts: {
    box: Mailbox;
    clientId: string;
    scopes: string[];
    ttlSeconds?: number;
    grantId?: string;
    withRefresh: boolean;
    nonce?: string;
  }): TokenResponse {
    const grantId = opts.grantId ?? randomBytes(8).toString("hex");
    const ttl = opts.ttlSeconds ?? 3599;
    const access: AccessToken = {
      token: `ya29.emu-${randomBytes(24).toString("base64url")}`,
      email: opts.box.email,
      clientId: opts.clientId,
      scopes: opts.scopes,
      expiresAt: this.deps.now() + ttl * 1000,
      grantId,
      offline: opts.withRefresh,
    };
    this.access.set(access.token, access);
    const out: TokenResponse = {
      access_token: access.token,
      expires_in: ttl,
      scope: opts.scopes.join(" "),
      token_type: "Bearer",
    };
    if (opts.withRefresh) {
      const refresh: RefreshToken = {
        token: `1//emu-${randomBytes(32).toString("base64url")}`,
        email: opts.box.email,
        clientId: opts.clientId,
        scopes: opts.scopes,
        grantId,
      };
      this.refresh.set(refresh.token, refresh);
      out.refresh_token = refresh.token;
    }
    if (opts.scopes.some((s) => s === "openid" || s.startsWith(`${AUTH}userinfo.`))) {
      out.id_token = this.idToken(opts.box, opts.clientId, opts.scopes, opts.nonce);
    }
    return out;
  }

  idToken(box: Mailbox, clientId: string, scopes: string[], nonce?: string): string {
    const iat = Math.floor(this.deps.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: ISSUER,
      azp: clientId,
      aud: clientId,
      sub: box.sub,
      email: box.email,
      email_verified: true,
      iat,
      exp: iat + 3600,
    };
    if (nonce) claims.nonce = nonce;
    if (scopes.includes(`${AUTH}userinfo.profile`) && box.name) claims.name = box.name;
    return signJwt(this.deps.key, claims);
  }

  resolveAccess(token: string): AccessToken | null {
    const found = this.access.get(token);
    if (!found) return null;
    if (found.expiresAt <= this.deps.now() || this.revokedGrants.has(found.grantId)) return null;
    return found;
  }

  expireAccess(email: string): void {
    const now = this.deps.now();
    for (const t of this.access.values())
      if (t.email === email) t.expiresAt = Math.min(t.expiresAt, now);
  }

  revokeUser(email: string): void {
    for (const t of this.refresh.values()) if (t.email === email) this.revokedGrants.add(t.grantId);
    for (const t of this.access.values()) if (t.email === email) this.revokedGrants.add(t.grantId);
    for (const key of [...this.consented])
      if (key.startsWith(`${email} `)) this.consented.delete(key);
  }

  /** Revoking either token of a grant revokes the whole grant, as Google does. */
  revoke(token: string): boolean {
    const grant = this.refresh.get(token)?.grantId ?? this.access.get(token)?.grantId;
    if (!grant || this.revokedGrants.has(grant)) return false;
    this.revokedGrants.add(grant);
    const email = this.refresh.get(token)?.email ?? this.access.get(token)?.email;
    const clientId = this.refresh.get(token)?.clientId ?? this.access.get(token)?.clientId;
    if (email && clientId) this.consented.delete(`${email} ${clientId}`);
    return true;
  }

  createCode(
    c: Omit<AuthCode, "code" | "used" | "expiresAt" | "issueRefresh"> & { forceConsent: boolean },
  ): string {
    const key = `${c.email} ${c.clientId}`;
    const issueRefresh = c.offline && (c.forceConsent || !this.consented.has(key));
    if (c.offline) this.consented.add(key);
    const code = `4/0emu-${randomBytes(24).toString("base64url")}`;
    const { forceConsent: _ignored, ...rest } = c;
    this.codes.set(code, {
      ...rest,
      code,
      used: false,
      issueRefresh,
      expiresAt: this.deps.now() + 600_000,
    });
    return code;
  }

  exchangeCode(form: URLSearchParams, clientId: string): TokenResponse {
    const code = this.codes.get(form.get("code") ?? "");
    if (!code) throw new OAuthError(400, "invalid_grant", "Malformed auth code.");
    if (code.used || code.expiresAt <= this.deps.now()) {
      throw new OAuthError(400, "invalid_grant", "Bad Request");
    }
    if (code.clientId !== clientId) throw new OAuthError(400, "invalid_grant", "Bad Request");
    if (form.get("redirect_uri") !== code.redirectUri) {
      throw new OAuthError(400, "redirect_uri_mismatch", "Bad Request");
    }
    if (code.challenge !== null) {
      const verifier = form.get("code_verifier");
      if (!verifier) throw new OAuthError(400, "invalid_grant", "Missing code verifier.");
      const computed =
        code.challengeMethod === "S256"
          ? createHash("sha256").update(verifier).digest("base64url")
          : verifier;
      if (!safeEqual(computed, code.challenge)) {
        throw new OAuthError(400, "invalid_grant", "Invalid code verifier.");
      }
    }
    code.used = true;
    return this.issue({
      box: this.deps.box(code.email),
      clientId,
      scopes: code.scopes,
      withRefresh: code.issueRefresh,
      nonce: code.nonce,
    });
  }

  exchangeRefresh(form: URLSearchParams, clientId: string): TokenResponse {
    const stored = this.refresh.get(form.get("refresh_token") ?? "");
    if (!stored || this.revokedGrants.has(stored.grantId) || stored.clientId !== clientId) {
      throw new OAuthError(400, "invalid_grant", "Token has been expired or revoked.");
    }
    const requested = form.get("scope");
    const scopes = requested ? normalizeScopes(requested.split(" ")) : stored.scopes;
    if (scopes.some((s) => !stored.scopes.includes(s))) {
      throw new OAuthError(400, "invalid_scope", "Some requested scopes were invalid.");
    }
    const out = this.issue({
      box: this.deps.box(stored.email),
      clientId,
      scopes,
      grantId: stored.grantId,
      withRefresh: false,
    });
    return out;
  }

  accessInfo(token: string): AccessToken | null {
    return this.resolveAccess(token);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Claims of an id_token signed by this emulator and not yet expired; null otherwise. */
function verifiedClaims(core: Core, jwt: string): Record<string, unknown> | null {
  const [head, body, signature] = jwt.split(".");
  if (!head || !body || !signature) return null;
  const ok = verify(
    "sha256",
    Buffer.from(`${head}.${body}`),
    core.key.publicKey,
    Buffer.from(signature, "base64url"),
  );
  if (!ok) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (!claims || typeof claims !== "object") return null;
    const entries = Object.fromEntries(Object.entries(claims));
    return Number(entries.exp) * 1000 > core.now() ? entries : null;
  } catch {
    return null;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(status: number, title: string, body: string): Reply {
  return {
    status,
    contentType: "text/html; charset=utf-8",
    text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

function redirect(location: string): Reply {
  return { status: 302, headers: { location }, text: "" };
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Client authentication by body (client_secret_post) or Basic header (client_secret_basic). */
function authenticateClient(core: Core, req: IncomingMessage, form: URLSearchParams): string {
  let clientId = form.get("client_id");
  let secret = form.get("client_secret");
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const [id, pw] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    clientId = decodeURIComponent(id ?? "");
    secret = decodeURIComponent(pw ?? "");
  }
  if (clientId !== core.clientId)
    throw new OAuthError(401, "invalid_client", "The OAuth client was not found.");
  if (secret === null || !safeEqual(secret, core.clientSecret)) {
    throw new OAuthError(401, "invalid_client", "Unauthorized");
  }
  return clientId;
}

function bearerOrParam(
  req: IncomingMessage,
  url: URL,
  form: URLSearchParams,
  name: string,
): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return url.searchParams.get(name) ?? form.get(name) ?? m?.[1] ?? null;
}

export function oauthRoutes(core: Core): Route<RequestContext>[] {
  const authorize = (ctx: RequestContext): Reply => {
    const q = ctx.url.searchParams;
    const clientId = q.get("client_id");
    const redirectUri = q.get("redirect_uri");
    if (!clientId)
      return htmlPage(
        400,
        "Error 400: invalid_request",
        "<p>Missing required parameter: client_id</p>",
      );
    if (clientId !== core.clientId)
      return htmlPage(401, "Error 401: invalid_client", "<p>The OAuth client was not found.</p>");
    if (!redirectUri)
      return htmlPage(
        400,
        "Error 400: invalid_request",
        "<p>Missing required parameter: redirect_uri</p>",
      );
    let parsedRedirect: URL;
    try {
      parsedRedirect = new URL(redirectUri);
    } catch {
      return htmlPage(
        400,
        "Error 400: invalid_request",
        "<p>Invalid parameter value for redirect_uri</p>",
      );
    }
    const registered = core.redirectUris;
    if (
      (registered && !registered.includes(redirectUri)) ||
      !/^https?:$/.test(parsedRedirect.protocol)
    ) {
      return htmlPage(
        400,
        "Error 400: redirect_uri_mismatch",
        `<p>${escapeHtml(redirectUri)} is not registered for this client.</p>`,
      );
    }
    const state = q.get("state") ?? undefined;
    const fail = (error: string, description?: string) =>
      redirect(withQuery(redirectUri, { error, error_description: description, state }));
    if (q.get("response_type") !== "code") return fail("unsupported_response_type");
    const scope = q.get("scope");
    if (!scope)
      return htmlPage(
        400,
        "Error 400: invalid_request",
        "<p>Missing required parameter: scope</p>",
      );
    const challenge = q.get("code_challenge");
    const method = q.get("code_challenge_method") ?? (challenge ? "plain" : null);
    if (method !== null && method !== "S256" && method !== "plain") {
      return fail("invalid_request", "Invalid code_challenge_method");
    }
    if (method !== null && !challenge) return fail("invalid_request", "Missing code_challenge");
    if (challenge && !/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
      return fail("invalid_request", "Invalid code_challenge");
    }
    if (q.get("deny") === "1") return fail("access_denied");

    const hint = q.get("login_hint")?.toLowerCase();
    const users = [...core.boxes.values()];
    const chosen =
      (hint ? core.boxes.get(hint) : undefined) ??
      (core.defaultUser ? core.boxes.get(core.defaultUser) : undefined) ??
      (users.length === 1 ? users[0] : undefined);
    if (!chosen) {
      const link = (params: Record<string, string>) => {
        const u = new URL(ctx.url.toString());
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
        return escapeHtml(`${u.pathname}${u.search}`);
      };
      const items = users
        .map(
          (u) =>
            `<li><a href="${link({ login_hint: u.email })}">${escapeHtml(u.name ? `${u.name} <${u.email}>` : u.email)}</a></li>`,
        )
        .join("");
      return htmlPage(
        200,
        "Choose an account",
        `<p>Google API emulator: sign in to continue.</p><ul>${items || "<li>No users configured.</li>"}</ul><p><a href="${link({ deny: "1" })}">Cancel</a></p>`,
      );
    }
    const scopes = normalizeScopes(scope.split(/\s+/));
    const code = core.tokens.createCode({
      email: chosen.email,
      clientId,
      redirectUri,
      scopes,
      challenge,
      challengeMethod: method === "S256" ? "S256" : "plain",
      offline: q.get("access_type") === "offline",
      forceConsent: (q.get("prompt") ?? "").split(" ").includes("consent"),
      nonce: q.get("nonce") ?? undefined,
    });
    return redirect(
      withQuery(redirectUri, { state, code, scope: scopes.join(" "), authuser: "0" }),
    );
  };

  const token = (ctx: RequestContext): Reply => {
    const form = parseForm(ctx.body);
    const clientId = authenticateClient(core, ctx.req, form);
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      return { status: 200, json: core.tokens.exchangeCode(form, clientId) };
    }
    if (grantType === "refresh_token") {
      return { status: 200, json: core.tokens.exchangeRefresh(form, clientId) };
    }
    throw new OAuthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
  };

  const revoke = (ctx: RequestContext): Reply => {
    const form = parseForm(ctx.body);
    const value = ctx.url.searchParams.get("token") ?? form.get("token");
    if (!value || !core.tokens.revoke(value)) {
      throw new OAuthError(400, "invalid_token", "Token expired or revoked");
    }
    return { status: 200, json: {} };
  };

  const certs = (): Reply => ({
    status: 200,
    json: { [core.key.kid]: core.key.certificatePem },
    headers: { "cache-control": "public, max-age=3600, must-revalidate, no-transform" },
  });

  const jwks = (): Reply => ({
    status: 200,
    json: { keys: [jwk(core.key)] },
    headers: { "cache-control": "public, max-age=3600, must-revalidate, no-transform" },
  });

  const tokeninfo = (ctx: RequestContext): Reply => {
    const form = parseForm(ctx.body);
    const idToken = ctx.url.searchParams.get("id_token") ?? form.get("id_token");
    if (idToken) {
      const payload = verifiedClaims(core, idToken);
      if (!payload) throw new OAuthError(400, "invalid_token", "Invalid Value");
      return {
        status: 200,
        json: Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)])),
      };
    }
    const value = bearerOrParam(ctx.req, ctx.url, form, "access_token");
    const info = value ? core.tokens.accessInfo(value) : null;
    if (!info) throw new OAuthError(400, "invalid_token", "Invalid Value");
    const box = findBox(core, info.email);
    const expiresIn = Math.max(0, Math.floor((info.expiresAt - core.now()) / 1000));
    return {
      status: 200,
      json: {
        azp: info.clientId,
        aud: info.clientId,
        sub: box.sub,
        scope: info.scopes.join(" "),
        exp: String(Math.floor(info.expiresAt / 1000)),
        expires_in: String(expiresIn),
        email: box.email,
        email_verified: "true",
        access_type: info.offline ? "offline" : "online",
      },
    };
  };

  const userinfo = (ctx: RequestContext): Reply => {
    const value = bearerOrParam(ctx.req, ctx.url, new URLSearchParams(), "access_token");
    const info = value ? core.tokens.accessInfo(value) : null;
    if (!info) {
      return {
        status: 401,
        json: { error: "invalid_request", error_description: "Invalid Credentials" },
        headers: {
          "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        },
      };
    }
    const box = findBox(core, info.email);
    return {
      status: 200,
      json: {
        sub: box.sub,
        email: box.email,
        email_verified: true,
        ...(box.name ? { name: box.name } : {}),
      },
    };
  };

  const discovery = (): Reply => ({
    status: 200,
    json: {
      issuer: ISSUER,
      authorization_endpoint: `${core.url}/o/oauth2/v2/auth`,
      token_endpoint: `${core.url}/token`,
      userinfo_endpoint: `${core.url}/v1/userinfo`,
      revocation_endpoint: `${core.url}/revoke`,
      jwks_uri: `${core.url}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    },
  });

  return [
    route("oauth.authorize", "GET", "/o/oauth2/v2/auth", authorize),
    route("oauth.authorize", "GET", "/o/oauth2/auth", authorize),
    route("oauth.token", "POST", "/token", token),
    route("oauth.revoke", "POST", "/revoke", revoke),
    route("oauth.revoke", "GET", "/revoke", revoke),
    route("oauth.certs", "GET", "/oauth2/v1/certs", certs),
    route("oauth.jwks", "GET", "/oauth2/v3/certs", jwks),
    route("oauth.tokeninfo", "GET", "/tokeninfo", tokeninfo),
    route("oauth.tokeninfo", "POST", "/tokeninfo", tokeninfo),
    route("oauth.userinfo", "GET", "/oauth2/v3/userinfo", userinfo),
    route("oauth.userinfo", "GET", "/v1/userinfo", userinfo),
    route("oauth.discovery", "GET", "/.well-known/openid-configuration", discovery),
  ];
}
