import { getPreviewFromContent } from 'link-preview-js';
import type { FetchedResource } from '@letstalk/safe-fetch';
import { MAX_DESCRIPTION_LENGTH, MAX_SITE_NAME_LENGTH, MAX_TITLE_LENGTH } from '../limits.ts';

export interface PagePreview {
  title: string | null;
  description: string | null;
  siteName: string | null;
  /** The absolute URL of the page's image, if it names one. */
  imageUrl: string | null;
}

/** Bytes searched for a `<meta charset>` when the Content-Type names none. */
const CHARSET_SNIFF_BYTES = 1024;

function charsetOf(fetched: FetchedResource): string {
  const declared = /charset\s*=\s*"?([\w-]+)/i.exec(fetched.contentType)?.[1];
  const sniffed = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(
    fetched.body.subarray(0, CHARSET_SNIFF_BYTES).toString('latin1'),
  )?.[1];
  return declared ?? sniffed ?? 'utf-8';
}

function decode(fetched: FetchedResource): string {
  try {
    return new TextDecoder(charsetOf(fetched)).decode(fetched.body);
  } catch {
    // An unknown charset label: UTF-8 is the best guess.
    return new TextDecoder().decode(fetched.body);
  }
}

/**
 * The document up to the end of its `<head>`, where every tag a preview reads lives: a 2 MB page is not
 * parsed into a DOM of its whole body (16 pages are read at once per worker). A page without `</head>` is
 * kept whole.
 */
export function headOf(html: string): string {
  const end = html.search(/<\/head\s*>/i);
  return end === -1 ? html : `${html.slice(0, end)}</head></html>`;
}

/** One line of plain text, control characters removed, cut at `max` characters (code points) with an ellipsis. */
export function clean(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  const text = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  const characters = Array.from(text);
  return characters.length <= max
    ? text
    : `${characters
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** An http(s) URL, resolved against the page's; null for anything else (data:, javascript:, garbage). */
function absoluteHttp(url: string | undefined, base: string): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
  } catch {
    return null;
  }
}

/**
 * What a page says about itself: Open Graph first, then the Twitter card, then `<title>` and
 * `<meta name=description>`; HTML entities decoded, text cleaned and capped. Parsing is link-preview-js's
 * (no network: the page was fetched by our own fetcher).
 */
export async function parsePage(fetched: FetchedResource): Promise<PagePreview> {
  let tags:
    | Record<'ogTitle' | 'ogDescription' | 'twitterTitle' | 'twitterDescription' | 'twitterImage', string | undefined>
    | undefined;
  const parsed = await getPreviewFromContent(
    { url: fetched.url, data: headOf(decode(fetched)), headers: { 'content-type': 'text/html' } },
    {
      // Only images the page names for previews: never whatever <img> happens to come first.
      imagesPropertyType: 'og',
      onResponse: (response, doc) => {
        const meta = (name: string) =>
          doc(`meta[property='${name}'], meta[name='${name}']`).first().attr('content')?.trim() || undefined;
        tags = {
          ogTitle: meta('og:title'),
          ogDescription: meta('og:description'),
          twitterTitle: meta('twitter:title'),
          twitterDescription: meta('twitter:description'),
          twitterImage: meta('twitter:image') ?? meta('twitter:image:src'),
        };
        return response;
      },
    },
  );
  // link-preview-js gives og:title or else <title>, and prefers <meta name=description> to og:description.
  const page = 'title' in parsed ? parsed : undefined;
  return {
    title: clean(tags?.ogTitle ?? tags?.twitterTitle ?? page?.title, MAX_TITLE_LENGTH),
    description: clean(tags?.ogDescription ?? tags?.twitterDescription ?? page?.description, MAX_DESCRIPTION_LENGTH),
    siteName: clean(page?.siteName, MAX_SITE_NAME_LENGTH),
    imageUrl: absoluteHttp(page?.images[0], fetched.url) ?? absoluteHttp(tags?.twitterImage, fetched.url),
  };
}
