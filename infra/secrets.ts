/**
 * Secrets, set per stage with `npx sst secret set <Name> <value> --stage <stage>` and read at
 * runtime through `Resource.<Name>.value`. Each is linked only to the functions that read it.
 */

/** The OAuth client from Google Cloud's "Credentials" page. */
export const googleClientId = new sst.Secret("GoogleClientId");
export const googleClientSecret = new sst.Secret("GoogleClientSecret");

/** Signs the settings page's session cookie (any long random string). */
export const sessionKey = new sst.Secret("SessionKey");

/** AES-256-GCM key for refresh tokens at rest: 32 random bytes, base64 (`openssl rand -base64 32`). */
export const tokenKey = new sst.Secret("TokenKey");
