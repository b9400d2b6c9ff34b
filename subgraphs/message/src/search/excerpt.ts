import { SEARCH_EXCERPT_LENGTH } from '../limits.ts';

export interface HighlightSpan {
  text: string;
  match: boolean;
}

/** The words of a query: runs of letters and digits (marks kept with their letter), lower-cased. */
export const queryWords = (query: string): string[] =>
  [...query.normalize('NFC').matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu)].map((match) => match[0].toLowerCase());

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Code points of `text` as an array, so a window never splits an emoji's surrogate pair. */
const codePoints = (text: string) => [...text];

/**
 * The part of `text` around its first match of `words` (each word a prefix of a word of the text, as the index
 * matched it), at most SEARCH_EXCERPT_LENGTH code points, `…` where cut, as spans: the matching words marked.
 */
export function highlight(text: string, words: readonly string[]): HighlightSpan[] {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${words.map(escape).join('|')})[\\p{L}\\p{M}\\p{N}]*`, 'giu');
  const all = codePoints(flat);
  const firstMatch = pattern.exec(flat);
  // Where the first match starts, in code points; a third of the window before it.
  const matchAt = firstMatch ? codePoints(flat.slice(0, firstMatch.index)).length : 0;
  const start = Math.max(
    0,
    Math.min(matchAt - Math.floor(SEARCH_EXCERPT_LENGTH / 3), all.length - SEARCH_EXCERPT_LENGTH),
  );
  const end = Math.min(all.length, start + SEARCH_EXCERPT_LENGTH);
  const window = all.slice(start, end).join('');
  const spans: HighlightSpan[] = [];
  const push = (piece: string, match: boolean) => {
    if (piece === '') return;
    const last = spans.at(-1);
    if (last && last.match === match) last.text += piece;
    else spans.push({ text: piece, match });
  };
  if (start > 0) push('…', false);
  let at = 0;
  pattern.lastIndex = 0;
  for (const match of window.matchAll(pattern)) {
    push(window.slice(at, match.index), false);
    push(match[0], true);
    at = match.index + match[0].length;
  }
  push(window.slice(at), false);
  if (end < all.length) push('…', false);
  return spans;
}
