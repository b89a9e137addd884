import type { Core } from "./core.ts";
import { signJwt } from "./keys.ts";
import { ISSUER } from "./oauth.ts";

export interface PushTokenOptions {
  audience: string;
  email?: string;
  emailVerified?: boolean;
  expiresInSeconds?: number;
  /** "forged" signs with a key the certs endpoint never publishes, under the same kid. */
  key?: "emulator" | "forged";
}

/** The OIDC token Pub/Sub attaches to a push: iss Google, aud the endpoint, email the push SA. */
export function signPushJwt(core: Core, opts: PushTokenOptions): string {
  const iat = Math.floor(core.now() / 1000);
  const email = opts.email ?? core.pushServiceAccount;
  return signJwt(opts.key === "forged" ? core.forgedKey() : core.key, {
    iss: ISSUER,
    aud: opts.audience,
    azp: "113774264463038321964",
    sub: "113774264463038321964",
    email,
    email_verified: opts.emailVerified ?? true,
    iat,
    exp: iat + (opts.expiresInSeconds ?? 3600),
  });
}
