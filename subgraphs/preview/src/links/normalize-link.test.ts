import { describe, expect, it } from 'vitest';
import { MAX_LINK_LENGTH } from '../limits.ts';
import { linkKey, normalizeLink } from './normalize-link.ts';

describe('normalizeLink', () => {
  it.each([
    ['HTTPS://Example.COM:443/a/../b?q=1#section', 'https://example.com/b?q=1'],
    ['http://example.com:80', 'http://example.com/'],
    ['https://example.com/page?utm_source=chat&id=7&fbclid=abc', 'https://example.com/page?id=7'],
    ['https://example.com/page?utm_medium=x', 'https://example.com/page'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['https://example.com/a%20b?q=a%20b', 'https://example.com/a%20b?q=a%20b'],
  ])('%s → %s', (link, expected) => {
    expect(normalizeLink(link)).toBe(expected);
  });

  it('gives two spellings of one page one key', () => {
    expect(linkKey(normalizeLink('https://EXAMPLE.com/x#top')!)).toBe(
      linkKey(normalizeLink('https://example.com/x?utm_campaign=y')!),
    );
    expect(linkKey('https://example.com/x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    'ftp://example.com/',
    'javascript:alert(1)',
    'not a link',
    `https://example.com/${'a'.repeat(MAX_LINK_LENGTH)}`,
  ])('gives no preview to %s', (link) => {
    expect(normalizeLink(link)).toBeNull();
  });
});
