import * as z from "zod";

/**
 * Who may sign in: whole mail domains ("@firm.example") and single addresses, configured at
 * deploy time (DECORUM_ALLOWED). An empty list lets nobody in: a deployment that forgot to set
 * it fails closed.
 */
export interface AllowList {
  domains: ReadonlySet<string>;
  addresses: ReadonlySet<string>;
}

const Address = z.email();
const Domain = /^(?:[a-z0-9-]+\.)+[a-z]{2,}$/;

export class AllowListError extends Error {
  override readonly name = "AllowListError";
}

/**
 * Parses "ana@firm.example, @partner.example" (commas, spaces or new lines between entries). A
 * bare "firm.example" is read as a domain too. Throws AllowListError naming the first bad entry.
 */
export function parseAllowList(input: string | readonly string[]): AllowList {
  const entries = (typeof input === "string" ? input.split(/[\s,;]+/) : input)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
  const domains = new Set<string>();
  const addresses = new Set<string>();
  for (const entry of entries) {
    const domain = entry.startsWith("@") ? entry.slice(1) : entry.includes("@") ? null : entry;
    if (domain !== null) {
      if (!Domain.test(domain)) throw new AllowListError(`"${entry}" is not a mail domain`);
      domains.add(domain);
    } else {
      if (!Address.safeParse(entry).success) {
        throw new AllowListError(`"${entry}" is not an email address`);
      }
      addresses.add(entry);
    }
  }
  return { domains, addresses };
}

/** Exact matches only: "@firm.example" does not admit "x@evil.firm.example.net" or subdomains. */
export function isAllowed(list: AllowList, email: string): boolean {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return false;
  return list.addresses.has(address) || list.domains.has(address.slice(at + 1));
}
