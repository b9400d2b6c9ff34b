import { describe, expect, it } from 'vitest';
import type { FetchedResource } from '@letstalk/safe-fetch';
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from '../limits.ts';
import { clean, headOf, parsePage } from './parse-page.ts';

const page = (head: string, options: { contentType?: string; body?: Buffer; url?: string } = {}): FetchedResource => ({
  url: options.url ?? 'https://news.example/articles/1',
  status: 200,
  contentType: options.contentType ?? 'text/html; charset=utf-8',
  body:
    options.body ??
    Buffer.from(`<!doctype html><html><head>${head}</head><body><img src="/tracking.gif"></body></html>`),
  truncated: false,
});

describe('parsePage', () => {
  it('reads Open Graph tags first, entities decoded', async () => {
    const preview = await parsePage(
      page(`<title>Fallback</title><meta name="description" content="Meta description">
        <meta property="og:title" content="Ferries &amp; Fjords &#8211; &quot;West&quot;">
        <meta property="og:description" content="Daily timetables">
        <meta property="og:site_name" content="Coastal Travel">
        <meta property="og:image" content="/images/ferry.jpg">
        <meta name="twitter:title" content="Twitter title">`),
    );
    expect(preview).toEqual({
      title: 'Ferries & Fjords – "West"',
      description: 'Daily timetables',
      siteName: 'Coastal Travel',
      imageUrl: 'https://news.example/images/ferry.jpg',
    });
  });

  it('falls back to the Twitter card', async () => {
    const preview = await parsePage(
      page(`<title>Plain title</title><meta name="twitter:title" content="Card title"><meta name="twitter:description" content="Card text">
        <meta name="twitter:image" content="https://cdn.example/card.png">`),
    );
    expect(preview).toEqual({
      title: 'Card title',
      description: 'Card text',
      siteName: null,
      imageUrl: 'https://cdn.example/card.png',
    });
  });

  it('falls back to <title> and <meta name=description>, and never to a body image', async () => {
    const preview = await parsePage(
      page('<title> Just a\n  title </title><meta name="description" content="Plain description">'),
    );
    expect(preview).toEqual({
      title: 'Just a title',
      description: 'Plain description',
      siteName: null,
      imageUrl: null,
    });
  });

  it('finds nothing on a page without any', async () => {
    expect(await parsePage(page(''))).toEqual({ title: null, description: null, siteName: null, imageUrl: null });
  });

  it('decodes the charset the page declares', async () => {
    const body = Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"><title>Caf'),
      Buffer.from([0xe9]),
      Buffer.from('</title></head></html>'),
    ]);
    expect((await parsePage(page('', { contentType: 'text/html', body }))).title).toBe('Café');
    const declared = Buffer.concat([Buffer.from('<title>Na'), Buffer.from([0xef]), Buffer.from('ve</title>')]);
    expect((await parsePage(page('', { contentType: 'text/html; charset=ISO-8859-1', body: declared }))).title).toBe(
      'Naïve',
    );
  });

  it('caps lengths and ignores images that are not http(s)', async () => {
    const preview = await parsePage(
      page(`<meta property="og:title" content="${'T'.repeat(1000)}"><meta property="og:description" content="${'d'.repeat(5000)}">
        <meta property="og:image" content="javascript:alert(1)">`),
    );
    expect(Array.from(preview.title!)).toHaveLength(MAX_TITLE_LENGTH);
    expect(preview.title!.endsWith('…')).toBe(true);
    expect(Array.from(preview.description!)).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(preview.imageUrl).toBeNull();
  });
});

describe('clean', () => {
  it('makes one line of plain text without control or direction characters', () => {
    expect(clean('  a\tb\r\nc\u0000d\u202eevil\u200b ', 100)).toBe('a b c d evil');
    expect(clean('   ', 10)).toBeNull();
    expect(clean('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('headOf', () => {
  it('keeps the document up to </head>, or all of it without one', () => {
    expect(headOf('<html><HEAD><title>T</title></HEAD ><body>big</body></html>')).toBe(
      '<html><HEAD><title>T</title></head></html>',
    );
    expect(headOf('<title>No head</title><p>body</p>')).toBe('<title>No head</title><p>body</p>');
  });
});
