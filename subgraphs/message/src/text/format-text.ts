import emojiRegex from 'emoji-regex';
import { find } from 'linkifyjs';
import { LRUCache } from 'lru-cache';
import { FORMATTED_TEXT_CACHE_CHARS, QUOTE_EXCERPT_LENGTH } from '../limits.ts';

/**
 * A run of text inside a paragraph.
 *
 * `link` is set when the run is an http(s) URL written out in full; it holds the normalized href
 * (WHATWG URL serialization, e.g. `"https://example.com/a"`), while `text` stays exactly as written.
 */
interface TextSpan {
  text: string;
  link: string | null;
}

/** One non-blank line of a message, split into plain and link spans. */
interface Paragraph {
  spans: TextSpan[];
}

/** The structured, render-safe form of a message's text. Nothing in it is HTML. */
export interface FormattedText {
  paragraphs: Paragraph[];
  /** true when the text, ignoring whitespace, consists only of emoji (at least one). */
  emojiOnly: boolean;
  /** number of emoji (grapheme clusters, so a family emoji or a flag or a skin-toned emoji counts as 1) when emojiOnly, else 0. */
  emojiCount: number;
  /** the first http/https link in the text, or null (a link-preview worker will use it). */
  firstLink: string | null;
}

const LINE_BREAK = /\r\n|\n|\r/;

/**
 * linkify also turns bare domains ("example.com") and other schemes into URLs; only links the
 * sender spelled out with an http(s) scheme are trusted enough to become clickable.
 */
const WRITTEN_HTTP_SCHEME = /^https?:\/\//i;

/** linkify is the costly step; a line without an http(s) scheme cannot hold a link we accept. */
const HAS_HTTP_SCHEME = /https?:\/\//i;

/** Sticky, so a walk can ask "does an emoji start exactly here?" without scanning ahead. */
const EMOJI_AT = new RegExp(emojiRegex().source, 'y');

/**
 * Zero-width joiners and variation selectors emoji-regex leaves out of a match (e.g. a ZWJ
 * sequence newer than its Unicode data) still belong to the emoji before them.
 */
const EMOJI_GLUE = /[\u200D\uFE0F]/;
const WHITESPACE = /\s/;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Turns a message's raw text into paragraphs of plain and link spans, and says whether it is
 * emoji-only (so clients can render it large) and which link, if any, deserves a preview.
 *
 * Pure: the spans of each paragraph concatenate to the trimmed line exactly, with no escaping;
 * clients must render `text` as text nodes. Links are only explicit `http://` / `https://` URLs
 * found by linkifyjs whose href parses as a URL; bare domains, e-mail addresses and other
 * schemes (`javascript:`, `data:`, `ftp:`, `mailto:`) stay plain text.
 *
 * @param text - the message text exactly as sent
 * @returns the paragraphs, emoji facts and first link of `text`
 */
export function formatText(text: string): FormattedText {
  const paragraphs: Paragraph[] = [];
  let firstLink: string | null = null;

  for (const rawLine of text.split(LINE_BREAK)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const spans = lineSpans(line);
    if (firstLink === null) firstLink = spans.find((span) => span.link !== null)?.link ?? null;
    paragraphs.push({ spans });
  }

  const emojiCount = countEmojiOnly(text);
  return { paragraphs, emojiOnly: emojiCount > 0, emojiCount, firstLink };
}

const formatted = new LRUCache<string, FormattedText>({
  maxSize: FORMATTED_TEXT_CACHE_CHARS,
  sizeCalculation: (_value, text) => Math.max(1, text.length),
});

/**
 * {@link formatText}, remembered by text: a page of history is read by every member of the chat and
 * again on each reconnect, and linkify is the costly part of serving it. Callers must not mutate the result.
 */
export function formatTextCached(text: string): FormattedText {
  let result = formatted.get(text);
  if (!result) {
    result = formatText(text);
    formatted.set(text, result);
  }
  return result;
}

/** Splits one trimmed, non-empty line into alternating plain and link spans. */
function lineSpans(line: string): TextSpan[] {
  if (!HAS_HTTP_SCHEME.test(line)) return [{ text: line, link: null }];
  const spans: TextSpan[] = [];
  // Plain text accumulates from here, so text around a rejected candidate merges into one span.
  let plainStart = 0;

  for (const candidate of find(line, 'url')) {
    const href = httpHref(candidate.value, candidate.href);
    if (href === null) continue;
    if (candidate.start > plainStart) spans.push({ text: line.slice(plainStart, candidate.start), link: null });
    spans.push({ text: line.slice(candidate.start, candidate.end), link: href });
    plainStart = candidate.end;
  }

  if (plainStart < line.length) spans.push({ text: line.slice(plainStart), link: null });
  return spans;
}

/** The normalized href of a linkify URL match, or null when it must not become a link. */
function httpHref(written: string, href: string): string | null {
  if (!WRITTEN_HTTP_SCHEME.test(written)) return null;
  try {
    return new URL(href).href;
  } catch {
    // linkify accepts some characters the URL parser refuses in a host (e.g. "https://x.io<b>").
    return null;
  }
}

/** Whether `text` is one emoji and nothing else (a skin tone, a flag or a family counts as one). */
export const isSingleEmoji = (text: string): boolean => text.trim() === text && countEmojiOnly(text) === 1;

/**
 * What a reply quotes of its original's text: its first QUOTE_EXCERPT_LENGTH code points, lines joined by
 * spaces, with `…` when cut.
 */
export function quoteExcerpt(text: string): string {
  const flat = [...text.replace(/\s+/gu, ' ').trim()];
  return flat.length <= QUOTE_EXCERPT_LENGTH
    ? flat.join('')
    : `${flat.slice(0, QUOTE_EXCERPT_LENGTH).join('').trimEnd()}…`;
}

/** The number of emoji grapheme clusters when `text` is only emoji and whitespace, else 0. */
function countEmojiOnly(text: string): number {
  if (!isEmojiAndWhitespace(text)) return 0;
  // Segmenting is the slow part, so it only runs once the text is known to be all emoji.
  let count = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (segment.trim() !== '') count += 1;
  }
  return count;
}

/**
 * Whether `text` holds only emoji, whitespace, and glue right after an emoji (blank text passes;
 * it then has no cluster to count). Glue never starts a grapheme cluster, so every non-blank
 * cluster then contains an emoji and nothing else. Linear, and stops at the first non-emoji.
 */
function isEmojiAndWhitespace(text: string): boolean {
  let index = 0;
  while (index < text.length) {
    if (WHITESPACE.test(text.charAt(index))) {
      index += 1;
      continue;
    }
    EMOJI_AT.lastIndex = index;
    if (!EMOJI_AT.test(text)) return false;
    index = EMOJI_AT.lastIndex;
    while (index < text.length && EMOJI_GLUE.test(text.charAt(index))) index += 1;
  }
  return true;
}
