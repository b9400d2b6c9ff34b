import { describe, expect, it } from 'vitest';
import { formatText, formatTextCached, type FormattedText } from './format-text.ts';

const plain = (text: string) => ({ text, link: null });
const joined = (formatted: FormattedText) =>
  formatted.paragraphs.map((paragraph) => paragraph.spans.map((span) => span.text).join(''));

describe('formatText paragraphs', () => {
  it('makes one paragraph per non-blank line, trimming line ends and accepting every line break', () => {
    const formatted = formatText('  first line  \n\n   \r\nsecond\r\rthird\t\n');
    expect(formatted.paragraphs).toEqual([
      { spans: [plain('first line')] },
      { spans: [plain('second')] },
      { spans: [plain('third')] },
    ]);
  });

  it('returns nothing for empty or whitespace-only text', () => {
    expect(formatText('')).toEqual({ paragraphs: [], emojiOnly: false, emojiCount: 0, firstLink: null });
    expect(formatText(' \n\t\r\n ').paragraphs).toEqual([]);
  });

  it('keeps inner whitespace of a line as written', () => {
    expect(formatText(' a  \t b ').paragraphs).toEqual([{ spans: [plain('a  \t b')] }]);
  });
});

describe('formatText links', () => {
  it('links a URL in the middle of a sentence and leaves the final period as plain text', () => {
    expect(formatText('Read https://example.com/a.').paragraphs).toEqual([
      { spans: [plain('Read '), { text: 'https://example.com/a', link: 'https://example.com/a' }, plain('.')] },
    ]);
  });

  it('leaves an unbalanced closing parenthesis out of the link', () => {
    expect(formatText('(see http://example.org/x)').paragraphs[0]?.spans).toEqual([
      plain('(see '),
      { text: 'http://example.org/x', link: 'http://example.org/x' },
      plain(')'),
    ]);
  });

  it('links two URLs on one line with the text between them as one plain span', () => {
    expect(formatText('a https://one.example/x and http://two.example/y b').paragraphs[0]?.spans).toEqual([
      plain('a '),
      { text: 'https://one.example/x', link: 'https://one.example/x' },
      plain(' and '),
      { text: 'http://two.example/y', link: 'http://two.example/y' },
      plain(' b'),
    ]);
  });

  it('keeps the written text but normalizes the href', () => {
    expect(formatText('HTTPS://Example.COM').paragraphs[0]?.spans).toEqual([
      { text: 'HTTPS://Example.COM', link: 'https://example.com/' },
    ]);
    expect(formatText('https://example.com/<b>').paragraphs[0]?.spans).toEqual([
      { text: 'https://example.com/<b>', link: 'https://example.com/%3Cb%3E' },
    ]);
  });

  it('leaves a URL the URL parser rejects as plain text', () => {
    expect(formatText('go https://x.example<b>').paragraphs[0]?.spans).toEqual([plain('go https://x.example<b>')]);
  });

  it('does not link bare domains, www hosts or e-mail addresses, and keeps the line one plain span', () => {
    const text = 'mail me@example.com or visit example.com and www.example.org';
    const formatted = formatText(text);
    expect(formatted.paragraphs).toEqual([{ spans: [plain(text)] }]);
    expect(formatted.firstLink).toBeNull();
  });

  it('never links javascript:, data:, ftp: or mailto: URLs', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://files.example.com/a',
      'mailto:me@example.com',
    ]) {
      const formatted = formatText(text);
      expect(formatted.paragraphs, text).toEqual([{ spans: [plain(text)] }]);
      expect(formatted.firstLink, text).toBeNull();
    }
  });

  it('keeps markup verbatim as plain text without escaping or linking it', () => {
    const text = '<script>alert("x")</script> &amp; <a href="https://evil.example">';
    const formatted = formatText(text);
    expect(formatted.paragraphs[0]?.spans[0]).toEqual(plain('<script>alert("x")</script> &amp; <a href="'));
    expect(joined(formatted)).toEqual([text]);
    expect(formatText('<script>alert(1)</script>').paragraphs).toEqual([
      { spans: [plain('<script>alert(1)</script>')] },
    ]);
  });

  it('reports the first http(s) link across paragraphs as firstLink', () => {
    const text =
      'no link here\nftp://x.example then https://first.example/p?q=1 and https://second.example\nhttps://third.example\nbye';
    expect(formatText(text).firstLink).toBe('https://first.example/p?q=1');
    expect(formatText('example.com only').firstLink).toBeNull();
  });
});

describe('formatText emoji', () => {
  it.each([
    ['😀', 1],
    ['😀 😀', 2],
    ['👨‍👩‍👧', 1],
    ['🇫🇷', 1],
    ['👍🏽', 1],
    ['\n 🇫🇷👍🏽\t👨‍👩‍👧 ', 3],
    ['1️⃣', 1],
    // A ZWJ sequence emoji-regex does not list is still one cluster of emoji.
    ['😀\u200D😀', 1],
  ])('counts %j as emoji-only with %i emoji', (text, count) => {
    const formatted = formatText(text);
    expect(formatted.emojiOnly).toBe(true);
    expect(formatted.emojiCount).toBe(count);
  });

  it.each(['', '   ', 'hi 😀', '😀 hi', '123', '1', '#', '*', '😀1', '\u200D\uFE0F', 'x\u200D'])(
    'does not count %j as emoji-only',
    (text) => {
      const formatted = formatText(text);
      expect(formatted.emojiOnly).toBe(false);
      expect(formatted.emojiCount).toBe(0);
    },
  );
});

describe('formatText concatenation', () => {
  it.each([
    'plain words',
    '  padded  \n\nsecond  line ',
    'Read https://example.com/a. Then (http://b.example/x), ok?',
    'https://a.example/x,https://b.example "http://c.example"',
    '<b>bold</b> & javascript:alert(1) me@example.com',
    '😀 https://例子.测试/路径 👨‍👩‍👧\r\nend',
  ])('rebuilds every trimmed non-blank line of %j from its spans', (text) => {
    const lines = text
      .split(/\r\n|\n|\r/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const formatted = formatText(text);
    expect(joined(formatted)).toEqual(lines);
    for (const paragraph of formatted.paragraphs) {
      for (const span of paragraph.spans) expect(span.text).not.toBe('');
    }
  });
});

describe('formatTextCached', () => {
  it('gives what formatText gives, computed once per text', () => {
    const text = `see https://example.com/${Math.random()}`;
    const first = formatTextCached(text);
    expect(first).toEqual(formatText(text));
    expect(formatTextCached(text)).toBe(first);
    expect(formatTextCached(`${text} `)).not.toBe(first);
  });
});
