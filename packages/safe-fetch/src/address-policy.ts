import ipaddr from 'ipaddr.js';

/** The ports a URL may name; any other is refused before anything is resolved. */
const ALLOWED_PORTS: ReadonlySet<number> = new Set([80, 443]);

/** Why an address may not be connected to. */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** IPv6 global unicast (2000::/3): everything outside it is loopback, local, mapped, multicast or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether an IP address is a public unicast address the server may connect to. Refused: loopback,
 * unspecified, private (RFC 1918), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10),
 * unique-local (fc00::/7), multicast, broadcast, documentation and benchmarking ranges, reserved space,
 * and every IPv6 form that embeds or translates an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible,
 * NAT64 64:ff9b::/96, 6to4, Teredo), since it could reach a private IPv4 network. A string that is not an IP
 * address is refused too. Pure: no DNS, no I/O.
 */
export function checkAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `"${address}" is not an IP address` };
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (parsed.kind() === 'ipv6' && !(parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) {
    return { allowed: false, reason: `${address} is not a global unicast address (${range})` };
  }
  if (range !== 'unicast') return { allowed: false, reason: `${address} is in a non-public range (${range})` };
  return { allowed: true };
}

/**
 * Decides which hosts, ports and addresses a fetch may use. `allowHosts` lists URL hosts (IP literals or
 * names, as written in the link) that are let through to any address and port they resolve to: an
 * operator's intranet site, or 127.0.0.1 in tests. A host that is not listed gets the public-only rule
 * even when it resolves to a listed address, so `localhost` stays refused when only `127.0.0.1` is listed.
 */
export class AddressPolicy {
  private readonly allowHosts: ReadonlySet<string>;

  constructor(allowHosts: Iterable<string> = []) {
    this.allowHosts = new Set([...allowHosts].map(normalizeHost));
  }

  /** Whether the URL host (as the URL parser gives it, IPv6 in brackets) is on the allow list. */
  isListed(host: string): boolean {
    return this.allowHosts.has(normalizeHost(host));
  }

  checkPort(host: string, port: number): AddressVerdict {
    if (this.isListed(host) || ALLOWED_PORTS.has(port)) return { allowed: true };
    return { allowed: false, reason: `port ${port} is not allowed (only ${[...ALLOWED_PORTS].join(' and ')})` };
  }

  /** Whether `address`, which `host` resolved to, may be connected to. */
  checkResolved(host: string, address: string): AddressVerdict {
    if (this.isListed(host)) return { allowed: true };
    return checkAddress(address);
  }
}

function normalizeHost(host: string): string {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toString() : bare.replace(/\.$/, '');
}
