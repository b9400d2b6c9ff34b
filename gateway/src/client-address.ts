import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * The client's address as the gateway sees it: the socket's peer, or, behind `trustedHops` proxies
 * (`TRUST_PROXY_HOPS`), the address that many hops back in `X-Forwarded-For`. The same rule as
 * express's numeric `trust proxy`, so a client cannot pick its own address by sending the header.
 */
export function clientAddress(trustedHops: number): (req: IncomingMessage) => string {
  return (req) => proxyAddr(req, (_address, hop) => hop < trustedHops);
}
