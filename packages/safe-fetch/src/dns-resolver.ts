import { Resolver as CaresResolver } from 'node:dns/promises';

/**
 * Time for one host name's lookup (its A and AAAA queries, asked at once). Past it the queries are cancelled:
 * the addresses that arrived are used, and with none the fetch fails (`timeout`, retryable).
 */
const DNS_TIMEOUT_MS = 2_000;
/** How long c-ares waits for the first answer to a query before asking again (later tries wait longer). */
const DNS_TRY_TIMEOUT_MS = 500;
/** Queries c-ares sends to each name server for one question before giving up (a lost UDP packet is asked again once). */
const DNS_TRIES = 2;

/**
 * Finds the addresses of a host name. `signal` aborts when the fetch no longer needs the answer (its deadline):
 * a resolver should then stop asking.
 */
export type Resolver = (hostname: string, signal: AbortSignal) => Promise<string[]>;

export interface DnsResolverOptions {
  /** Name servers (`'127.0.0.1:5353'`, `'[::1]:53'`); the system's (resolv.conf) when absent. */
  servers?: string[];
  /** {@link DNS_TIMEOUT_MS} by default. */
  timeoutMs?: number;
  /** {@link DNS_TRY_TIMEOUT_MS} by default. */
  tryTimeoutMs?: number;
  /** {@link DNS_TRIES} by default. */
  tries?: number;
}

/** A failed lookup; `code` is c-ares's (`ENOTFOUND`, `ESERVFAIL`, …) or `ETIMEOUT` when DNS did not answer in time. */
class DnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

/**
 * A resolver that asks DNS through c-ares (`node:dns` `Resolver`), never `dns.lookup`: getaddrinfo runs on
 * libuv's pool of four threads and cannot be cancelled, so four links to a name whose DNS never answers would
 * hold every thread, and with them file access, zlib and crypto, for the system's whole timeout. c-ares
 * queries are sockets on the event loop; each lookup has its own channel, cancelled when `signal` aborts or
 * after {@link DNS_TIMEOUT_MS}, so nothing outlives the fetch that asked.
 *
 * A and AAAA are asked at once and both answers are returned, IPv4 first. The hosts file is not read:
 * `localhost` and names under `.localhost` are loopback (RFC 6761) without a query, and every other name is
 * DNS's to answer.
 */
export function createDnsResolver(options: DnsResolverOptions = {}): Resolver {
  const timeoutMs = options.timeoutMs ?? DNS_TIMEOUT_MS;
  return async (hostname, signal) => {
    const name = hostname.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost' || name.endsWith('.localhost')) return ['127.0.0.1', '::1'];
    signal.throwIfAborted();
    const resolver = new CaresResolver({
      timeout: options.tryTimeoutMs ?? DNS_TRY_TIMEOUT_MS,
      tries: options.tries ?? DNS_TRIES,
    });
    if (options.servers) resolver.setServers(options.servers);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      resolver.cancel();
    }, timeoutMs);
    const cancel = () => resolver.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    const started = Date.now();
    try {
      const answers = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
      const addresses = answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
      if (addresses.length > 0) return addresses;
      signal.throwIfAborted();
      const errors = answers.map((answer) => (answer as PromiseRejectedResult).reason as NodeJS.ErrnoException);
      if (timedOut || errors.some((error) => error.code === 'ETIMEOUT')) {
        throw new DnsError('ETIMEOUT', `DNS did not answer for ${name} (gave up after ${Date.now() - started} ms)`);
      }
      // "No record of this type" says least: the other family's error is the news.
      const error = errors.find((candidate) => candidate.code !== 'ENODATA') ?? errors[0]!;
      throw new DnsError(error.code ?? 'EDNS', `DNS lookup of ${name} failed (${error.code ?? error.message})`);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
    }
  };
}
