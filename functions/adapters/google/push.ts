import type { OAuth2Client } from "google-auth-library";
import { translateGoogleError } from "./errors.ts";
import { createOAuthClient } from "./session.ts";

/**
 * Verifying the OIDC token Pub/Sub puts on a Gmail push. Only google-auth-library is loaded on
 * this path (on first use): a push endpoint must answer fast and never load the Gmail client.
 */

export type PushRejection =
  | "malformed"
  | "signature"
  | "issuer"
  | "audience"
  | "expired"
  | "wrong_sender"
  | "email_unverified";

/** The push did not come from our Pub/Sub subscription: answer 401/403 and do nothing. */
export class PushUnauthorized extends Error {
  override readonly name = "PushUnauthorized";
  constructor(
    readonly reason: PushRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface PushIdentity {
  /** The service account the subscription pushes as. */
  email: string;
  subject: string;
  audience: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface VerifyPushOptions {
  /** The audience configured on the push subscription (by default the endpoint URL). */
  audience: string;
  /** The service account configured on the push subscription. */
  serviceAccountEmail: string;
  /** Google's PEM certificates (https://www.googleapis.com/oauth2/v1/certs); the emulator's in tests. */
  certsUrl?: string;
}

const GOOGLE_ISSUERS = ["accounts.google.com", "https://accounts.google.com"];

/** One client per certificate URL, kept for the life of the process so its certificate cache is reused. */
const verifiers = new Map<string, Promise<OAuth2Client>>();

function verifier(certsUrl: string | undefined): Promise<OAuth2Client> {
  const key = certsUrl ?? "";
  let client = verifiers.get(key);
  if (!client) {
    client = createOAuthClient({
      clientId: "",
      ...(certsUrl ? { endpoints: { certsUrl } } : {}),
      requestTimeoutMs: 5_000,
    });
    client.catch(() => verifiers.delete(key));
    verifiers.set(key, client);
  }
  return client;
}

/** google-auth-library says why in the first words of its message. */
function rejection(message: string): PushRejection {
  if (message.startsWith("Token used too late")) return "expired";
  if (message.startsWith("Wrong recipient")) return "audience";
  if (message.startsWith("Invalid issuer")) return "issuer";
  if (message.startsWith("Invalid token signature") || message.startsWith("No pem found")) {
    return "signature";
  }
  return "malformed";
}

async function certificates(client: OAuth2Client) {
  try {
    return (await client.getFederatedSignonCertsAsync()).certs;
  } catch (error) {
    throw translateGoogleError(error, { method: "oauth2.certs" });
  }
}

async function verifiedPayload(client: OAuth2Client, token: string, audience: string) {
  const certs = await certificates(client);
  try {
    const ticket = await client.verifySignedJwtWithCertsAsync(
      token,
      certs,
      audience,
      GOOGLE_ISSUERS,
    );
    return ticket.getPayload();
  } catch (error) {
    const reason = rejection(error instanceof Error ? error.message : "");
    // google-auth-library's messages quote the whole token; keep it out of logs.
    throw new PushUnauthorized(reason, `The push token was rejected (${reason}).`);
  }
}

/**
 * Accepts a push token only when it is signed by Google, issued by accounts.google.com, meant
 * for `audience`, unexpired, and issued to the subscription's service account with a verified
 * email (verifyIdToken alone does not check who the token was issued to). Throws
 * PushUnauthorized for a bad token and a GoogleError ("unavailable") when Google's certificates
 * cannot be fetched, so the push is answered with a 5xx and Pub/Sub delivers it again.
 */
export async function verifyPushToken(
  token: string,
  options: VerifyPushOptions,
): Promise<PushIdentity> {
  if (token.split(".").length !== 3) {
    throw new PushUnauthorized("malformed", "The push carries no well-formed bearer token.");
  }
  const client = await verifier(options.certsUrl);
  const payload = await verifiedPayload(client, token, options.audience);
  if (!payload) throw new PushUnauthorized("malformed", "The push token has no payload.");
  const email = payload.email ?? "";
  if (email.toLowerCase() !== options.serviceAccountEmail.toLowerCase()) {
    throw new PushUnauthorized(
      "wrong_sender",
      `The push token was issued to ${email || "no one"}, not to the subscription's service account.`,
    );
  }
  if (payload.email_verified !== true) {
    throw new PushUnauthorized("email_unverified", "The push token's email is not verified.");
  }
  return {
    email,
    subject: payload.sub,
    audience: options.audience,
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
  };
}
