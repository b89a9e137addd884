/**
 * The Google permissions Decorum asks for, each with the reason it is needed.
 *
 * Why `gmail.modify` and not `gmail.readonly` + `gmail.compose`: Decorum labels the invitations it
 * handled, and `users.messages.modify` (putting a label on a message) is allowed only by
 * `gmail.modify` or full `mail.google.com`; `gmail.labels` can create labels but not apply them.
 * `gmail.modify` already covers everything readonly and compose would (reading raw messages,
 * history and watch, drafts, sending) and cannot delete mail permanently, so asking for all three
 * would add consent-screen lines without adding any power. All three are "restricted" scopes, so
 * the choice does not change Google's verification tier. If labelling is ever dropped, replace it
 * with `gmail.readonly` + `gmail.compose`: the narrowest pair that still reads, drafts and sends.
 *
 * Calendar is read-only: `calendar.events.readonly` lists events, watches them and stops its own
 * channels. `openid email` yield the id_token whose `sub` keys the account and whose `email`
 * names it. (Per-method scope lists checked in the generated @googleapis/gmail 18 and
 * @googleapis/calendar 16 clients; the emulator enforces the same lists and the adapter tests run
 * every port method with exactly these scopes.)
 */
export const GOOGLE_SCOPES = {
  "https://www.googleapis.com/auth/gmail.modify":
    "read incoming mail and its history, write reply drafts, send the one weekly summary to the owner, and label handled invitations",
  "https://www.googleapis.com/auth/calendar.events.readonly":
    "read calendar invitations and be notified when they change",
  openid: "identify the Google account that connected (the id_token's subject)",
  email: "know the connected account's address, which the weekly summary is sent to",
} as const;

export type GoogleScope = keyof typeof GOOGLE_SCOPES;

export const GOOGLE_SCOPE_LIST: readonly GoogleScope[] = [
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/calendar.events.readonly",
  "openid",
  "email",
];

/** Google reports some scopes under their long names in a token's `scope`. */
const SCOPE_ALIASES: Record<string, string> = {
  email: "https://www.googleapis.com/auth/userinfo.email",
  profile: "https://www.googleapis.com/auth/userinfo.profile",
};

function canonical(scope: string): string {
  return SCOPE_ALIASES[scope] ?? scope;
}

/**
 * The requested scopes the user did not grant (granular consent lets them untick some), so the
 * settings page can say which feature will not work. `granted` is a token's space-separated
 * `scope` or a list.
 */
export function missingScopes(granted: string | readonly string[]): GoogleScope[] {
  const list = typeof granted === "string" ? granted.split(/\s+/) : granted;
  const have = new Set(list.filter((s) => s !== "").map(canonical));
  return GOOGLE_SCOPE_LIST.filter((scope) => !have.has(canonical(scope)));
}
