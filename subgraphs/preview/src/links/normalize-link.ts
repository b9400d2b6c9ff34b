import { createHash } from 'node:crypto';
import { MAX_LINK_LENGTH } from '../limits.ts';

/** Query parameters that only say where a click came from: two links that differ in them show one page. */
const TRACKING_PARAMETER = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi)$/i;

/**
 * The form of a link its preview is cached under: parsed (scheme and host lower-case, default port
 * dropped, IDN in punycode, dots resolved), without the fragment (never sent to the server) and without
 * tracking parameters. Null for a link that gets no preview: not http(s), unparseable or longer than
 * {@link MAX_LINK_LENGTH}.
 */
export function normalizeLink(link: string): string | null {
  if (link.length > MAX_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  const tracking = [...url.searchParams.keys()].filter((name) => TRACKING_PARAMETER.test(name));
  // Deleting re-encodes the whole query, so the query is only touched when it holds tracking parameters.
  for (const name of tracking) url.searchParams.delete(name);
  return url.href.length > MAX_LINK_LENGTH ? null : url.href;
}

/** The cache key of a normalized link (links are longer than an index can hold). */
export const linkKey = (normalized: string) => createHash('sha256').update(normalized).digest('hex');
