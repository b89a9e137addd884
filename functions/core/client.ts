import type { Settings } from "../schemas/settings.ts";

/** Consumer mail domains: each address on them is its own client (shared/rulebook.md). */
export const CONSUMER_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "yahoo.es",
  "yahoo.de",
  "ymail.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "t-online.de",
  "orange.fr",
  "free.fr",
  "laposte.net",
  "wanadoo.fr",
  "hotmail.fr",
  "hotmail.es",
  "telefonica.net",
  "fastmail.com",
  "zoho.com",
  "mail.com",
]);

export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1).toLowerCase();
}

export function isConsumerDomain(domain: string, settings: Settings): boolean {
  return CONSUMER_DOMAINS.has(domain) || settings.clients.consumerDomains.includes(domain);
}

/**
 * The client a sender belongs to: the organisation's mail domain, or the whole address for
 * consumer mail domains. Null when the sender is not a client: the owner, or (when the owner has
 * listed client domains or addresses) anyone outside those lists.
 */
export function clientKey(address: string, settings: Settings): string | null {
  const normalised = address.trim().toLowerCase();
  const domain = domainOf(normalised);
  if (!domain) return null;
  if (settings.owner.email && normalised === settings.owner.email) return null;
  const consumer = isConsumerDomain(domain, settings);
  const { domains, addresses } = settings.clients;
  if (domains.length > 0 || addresses.length > 0) {
    const listed = addresses.includes(normalised) || (!consumer && domains.includes(domain));
    if (!listed) return null;
  }
  return consumer ? normalised : domain;
}
