import type { MessageFieldsFragment } from './generated/graphql.ts';

/** `QuotedMessage.excerpt`'s length: the server's QUOTE_EXCERPT_LENGTH. */
const QUOTE_EXCERPT_LENGTH = 100;

/** What a reply shows of `original` now: the server's rule for `QuotedMessage` (lines joined, cut with `…`). */
export function quoteOf(original: Pick<MessageFieldsFragment, 'text' | 'deletedAt' | 'image' | 'file'>) {
  const deleted = original.deletedAt !== null;
  const flat = [...(original.text ?? '').replace(/\s+/gu, ' ').trim()];
  const excerpt =
    deleted || original.text === null
      ? null
      : flat.length <= QUOTE_EXCERPT_LENGTH
        ? flat.join('')
        : `${flat.slice(0, QUOTE_EXCERPT_LENGTH).join('').trimEnd()}…`;
  return {
    excerpt,
    deleted,
    hasImage: !deleted && original.image !== null,
    hasFile: !deleted && original.file !== null,
  };
}
