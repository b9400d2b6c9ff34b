import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { pipeline, type Duplex } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { AddressPolicy } from './address-policy.ts';
import { createDnsResolver, type Resolver } from './dns-resolver.ts';

/** Redirects followed by hand, each to a URL checked like the first. */
const MAX_REDIRECTS = 3;
/** Time for the whole fetch, redirects included. */
const FETCH_TIMEOUT_MS = 5_000;

/** DNS answers that say the name has no address: asking again soon would get the same. */
const FINAL_DNS_ANSWERS = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Times a page or image whose site fails in a way it may get over (a retryable FetchError) is tried, once per
 * delivery of the event that asked for it, before it is taken as failed.
 */
export const FETCH_ATTEMPTS = 5;

/** Why a fetch gave up. `retryable` failures (the site's or the network's fault) may work a moment later. */
export type FetchFailureKind =
  'url' | 'policy' | 'network' | 'timeout' | 'status' | 'content-type' | 'too-large' | 'redirects';

export class FetchError extends Error {
  constructor(
    readonly kind: FetchFailureKind,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

/** Where a connection goes: an address the policy allowed, never a name left for someone else to resolve. */
export interface ConnectTarget {
  address: string;
  port: number;
  tls: boolean;
  /** The host name for TLS (SNI and the certificate check); undefined for an IP literal. */
  servername: string | undefined;
}

/** Opens the connection for one request. */
export type SocketFactory = (target: ConnectTarget) => Duplex;

export interface FetchLimits {
  /** Bytes of body kept (after decompression). */
  maxBytes: number;
  /** What a larger body does: cut it at maxBytes (an HTML page's head comes first) or fail (an image). */
  overflow: 'truncate' | 'fail';
  /** Whether a media type (lower case, no parameters) is wanted. */
  accepts: (mediaType: string) => boolean;
  /** The request's Accept header. */
  accept: string;
  timeoutMs?: number;
}

export interface FetchedResource {
  /** The URL the body came from, after redirects. */
  url: string;
  status: number;
  /** The Content-Type header as sent (with parameters such as charset). */
  contentType: string;
  body: Buffer;
  /** The body was longer than maxBytes and was cut. */
  truncated: boolean;
}

const directSocket: SocketFactory = (target) =>
  target.tls
    ? tls.connect({
        host: target.address,
        port: target.port,
        ...(target.servername ? { servername: target.servername } : {}),
        ALPNProtocols: ['http/1.1'],
      })
    : net.connect({ host: target.address, port: target.port });

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a URL that came from a user without letting it reach anything internal: http and https only,
 * no credentials in the URL, ports the policy allows, every address the host resolves to checked against
 * the policy and the connection made to that checked address (so a DNS answer that changes between the
 * check and the connection cannot redirect it), redirects followed by hand and checked again (at most
 * {@link MAX_REDIRECTS}), one deadline for everything, the body capped and its type checked before it is read.
 */
export class SafeFetcher {
  private readonly policy: AddressPolicy;
  private readonly userAgent: string;
  private readonly resolve: Resolver;
  private readonly connect: SocketFactory;

  /** `resolve` is {@link createDnsResolver}'s c-ares resolver unless another is given (a test's, or one with other name servers). */
  constructor(options: { policy: AddressPolicy; userAgent: string; resolve?: Resolver; connect?: SocketFactory }) {
    this.policy = options.policy;
    this.userAgent = options.userAgent;
    this.resolve = options.resolve ?? createDnsResolver();
    this.connect = options.connect ?? directSocket;
  }

  async fetch(url: string, limits: FetchLimits): Promise<FetchedResource> {
    const deadline = AbortSignal.timeout(limits.timeoutMs ?? FETCH_TIMEOUT_MS);
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const outcome = await this.fetchOnce(current, limits, deadline);
      if ('body' in outcome) return outcome;
      if (redirects === MAX_REDIRECTS) throw new FetchError('redirects', `more than ${MAX_REDIRECTS} redirects`);
      current = outcome.location;
    }
  }

  /** Checks a URL and where its host leads; returns the address to connect to. */
  private async target(url: URL, deadline: AbortSignal): Promise<ConnectTarget> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new FetchError('url', `${url.protocol} links are not fetched`);
    if (url.username || url.password) throw new FetchError('url', 'links with credentials are not fetched');
    const secure = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : secure ? 443 : 80;
    const portVerdict = this.policy.checkPort(url.hostname, port);
    if (!portVerdict.allowed) throw new FetchError('policy', portVerdict.reason);
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const isLiteral = net.isIP(literal) !== 0;
    let addresses: string[];
    if (isLiteral) {
      addresses = [literal];
    } else {
      addresses = await beforeDeadline(
        this.resolve(url.hostname, deadline).catch((error: unknown) => {
          const { code, message } = error as NodeJS.ErrnoException;
          // A name server that does not answer may answer later: retryable. A name that does not exist
          // (NXDOMAIN) or has no address is an answer: not retried (a later message tries again).
          if (code === 'ETIMEOUT')
            throw new FetchError('timeout', `${url.hostname} could not be resolved: ${message}`, true);
          throw new FetchError(
            'network',
            `${url.hostname} could not be resolved: ${message}`,
            !FINAL_DNS_ANSWERS.has(code ?? ''),
          );
        }),
        deadline,
      );
      if (addresses.length === 0) throw new FetchError('network', `${url.hostname} has no address`);
    }
    // Every address must pass: a name that also resolves to an internal address is refused outright.
    for (const address of addresses) {
      const verdict = this.policy.checkResolved(url.hostname, address);
      if (!verdict.allowed) throw new FetchError('policy', `${url.hostname}: ${verdict.reason}`);
    }
    return { address: addresses[0]!, port, tls: secure, servername: isLiteral ? undefined : url.hostname };
  }

  private async fetchOnce(
    href: string,
    limits: FetchLimits,
    deadline: AbortSignal,
  ): Promise<FetchedResource | { location: string }> {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      throw new FetchError('url', 'not a valid URL');
    }
    if (deadline.aborted) throw timedOut();
    const target = await this.target(url, deadline);
    const client = target.tls ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request({
        method: 'GET',
        host: target.address,
        port: target.port,
        path: `${url.pathname}${url.search}`,
        setHost: false,
        headers: {
          host: url.host,
          'user-agent': this.userAgent,
          accept: limits.accept,
          'accept-encoding': 'gzip, deflate, br',
        },
        createConnection: () => this.connect(target),
      });
      /** The body's decompressor, when the site sent one: it must stop with the request (see `finish`). */
      let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
      let settled = false;
      /**
       * Every way out (body read, cut, too large, failed, deadline, redirect) tears the whole pipeline down: the
       * request and its socket, and the decompressor too. Destroying only the request leaves the decompressor
       * inflating what it already holds, and a few hundred bytes of brotli are hundreds of megabytes of output.
       */
      const finish = (outcome: { value: FetchedResource | { location: string } } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        deadline.removeEventListener('abort', onAbort);
        decoder?.destroy();
        request.destroy();
        if ('value' in outcome) resolve(outcome.value);
        else
          reject(
            outcome.error instanceof FetchError ? outcome.error : networkError(outcome.error as NodeJS.ErrnoException),
          );
      };
      const fail = (error: unknown) => finish({ error });
      const onAbort = () => fail(timedOut());
      deadline.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status) && response.headers.location) {
          let location: string;
          try {
            location = new URL(response.headers.location, url).href;
          } catch {
            return fail(new FetchError('url', 'the redirect is not a valid URL'));
          }
          return finish({ value: { location } });
        }
        if (status < 200 || status > 299) {
          return fail(new FetchError('status', `the site answered ${status}`, status >= 500 || status === 429));
        }
        const contentType = response.headers['content-type'] ?? '';
        const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
        if (!limits.accepts(mediaType))
          return fail(new FetchError('content-type', `${mediaType || 'no content type'} is not wanted`));
        const declared = Number(response.headers['content-length']);
        if (limits.overflow === 'fail' && declared > limits.maxBytes) return fail(tooLarge(limits.maxBytes));
        const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
        else if (encoding === 'deflate') decoder = zlib.createInflate();
        else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
        else if (encoding !== 'identity')
          return fail(new FetchError('content-type', `content encoding ${encoding} is not supported`));
        // Hanging up early (a truncated page) makes the response fail, and pipeline passes that on.
        const body: NodeJS.ReadableStream = decoder
          ? pipeline(response, decoder, (error) => error && fail(error))
          : response.on('error', fail);
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = limits.maxBytes - size;
          if (chunk.length <= room) {
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          if (limits.overflow === 'fail') return fail(tooLarge(limits.maxBytes));
          chunks.push(chunk.subarray(0, room));
          finish({ value: { url: url.href, status, contentType, body: Buffer.concat(chunks), truncated: true } });
        });
        body.on('end', () =>
          finish({ value: { url: url.href, status, contentType, body: Buffer.concat(chunks), truncated: false } }),
        );
      });
      request.end();
    });
  }
}

/** TLS failures of the site's own making (a bad certificate): trying again soon will not help. */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|ERR_TLS|HOSTNAME_MISMATCH|UNABLE_TO_VERIFY/;

function networkError(error: NodeJS.ErrnoException): FetchError {
  const code = error.code ?? '';
  return new FetchError('network', error.message, !CERTIFICATE_ERROR.test(code));
}

const timedOut = () => new FetchError('timeout', 'the site took too long');

/** `promise`, or a timeout failure once the deadline passes (whichever comes first). */
function beforeDeadline<T>(promise: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(timedOut());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(timedOut());
    deadline.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

const tooLarge = (maxBytes: number) => new FetchError('too-large', `larger than ${maxBytes} bytes`);
