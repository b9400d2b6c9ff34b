import ipaddr from 'ipaddr.js';

/** Per-client limits count an IPv6 address by its /64: one home or server is given a whole /64. */
const IPV6_NETWORK_PREFIX_LENGTH = 64;

/**
 * The key per-client limits count under: an IPv4 address as it is, an IPv6 address as its
 * {@link IPV6_NETWORK_PREFIX_LENGTH} network (`2001:db8:1:2::/64`), since one home or server is given a
 * whole /64 and could otherwise step around every limit with a new address per request. An IPv4-mapped IPv6
 * address (`::ffff:192.0.2.1`) counts as its IPv4 address. Anything that is not an address is kept as it is.
 */
export function clientNetwork(clientIp: string): string {
  if (!ipaddr.isValid(clientIp)) return clientIp;
  const address = ipaddr.process(clientIp);
  if (address.kind() === 'ipv4') return address.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toNormalizedString()}/${IPV6_NETWORK_PREFIX_LENGTH}`);
  return `${network.toRFC5952String()}/${IPV6_NETWORK_PREFIX_LENGTH}`;
}
