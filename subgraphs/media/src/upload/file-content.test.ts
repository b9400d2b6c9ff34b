import { describe, expect, it } from 'vitest';
import { MAX_FILE_NAME_LENGTH } from '../limits.ts';
import { fileNameOf, OPAQUE_CONTENT_TYPE, servedContentType } from './file-content.ts';

describe('servedContentType', () => {
  it('takes what the bytes show over the name', () => {
    expect(servedContentType('application/pdf', 'report.txt')).toBe('application/pdf');
    expect(servedContentType('image/png', 'photo.html')).toBe('image/png');
  });

  it('falls back to the extension, then to an opaque type', () => {
    expect(servedContentType(undefined, 'notes.txt')).toBe('text/plain');
    expect(servedContentType(undefined, 'table.CSV')).toBe('text/csv');
    expect(servedContentType(undefined, 'README')).toBe(OPAQUE_CONTENT_TYPE);
    expect(servedContentType(undefined, 'archive.unknownext')).toBe(OPAQUE_CONTENT_TYPE);
  });

  it('serves every type a browser would render or run as an opaque download', () => {
    for (const name of ['page.html', 'page.htm', 'page.xhtml', 'logo.svg', 'feed.xml', 'app.js', 'app.mjs', 'site.css'])
      expect(servedContentType(undefined, name), name).toBe(OPAQUE_CONTENT_TYPE);
    for (const sniffed of ['text/html', 'application/xhtml+xml', 'image/svg+xml', 'application/x-shockwave-flash'])
      expect(servedContentType(sniffed, 'x.bin'), sniffed).toBe(OPAQUE_CONTENT_TYPE);
    expect(servedContentType('TEXT/HTML; charset=utf-8', 'x')).toBe(OPAQUE_CONTENT_TYPE);
    expect(servedContentType('message/rfc822', 'x')).toBe(OPAQUE_CONTENT_TYPE);
    for (const name of ['setup.exe', 'install.msi', 'run.sh', 'app.apk', 'disk.dmg', 'x.application', 'x.xpi'])
      expect(servedContentType(undefined, name), name).toBe(OPAQUE_CONTENT_TYPE);
    for (const name of ['x.crx', 'help.chm', 'link.lnk', 'Main.class', 'x.xap', 'index.php', 'run.pl', 'x.json'])
      expect(servedContentType(undefined, name), name).toBe(OPAQUE_CONTENT_TYPE);
  });

  it('serves the everyday types as what they are', () => {
    for (const [name, type] of [
      ['a.mp3', 'audio/mpeg'],
      ['a.mp4', 'video/mp4'],
      ['a.zip', 'application/zip'],
      ['a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['a.odt', 'application/vnd.oasis.opendocument.text'],
      ['a.png', 'image/png'],
      ['a.md', 'text/markdown'],
    ])
      expect(servedContentType(undefined, name!), name).toBe(type);
  });

  it('never passes a malformed type on', () => {
    expect(servedContentType('text/plain\r\nset-cookie: a=b', 'x')).toBe(OPAQUE_CONTENT_TYPE);
  });
});

describe('fileNameOf', () => {
  it('keeps only the last path segment', () => {
    expect(fileNameOf('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(fileNameOf('../../etc/passwd')).toBe('passwd');
  });

  it('drops control and bidirectional characters and leading dots', () => {
    expect(fileNameOf('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(fileNameOf('a\r\nb\u0000.txt')).toBe('a b.txt');
    expect(fileNameOf('.bashrc')).toBe('bashrc');
    expect(fileNameOf('  spaced   out .txt ')).toBe('spaced out .txt');
  });

  it('names an empty file name "file"', () => {
    expect(fileNameOf('')).toBe('file');
    expect(fileNameOf('/')).toBe('file');
    expect(fileNameOf('\u200B')).toBe('file');
  });

  it('cuts a long name before its extension, in code points', () => {
    const long = fileNameOf(`${'é'.repeat(300)}.tar`);
    expect([...long]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(long.endsWith('é.tar')).toBe(true);
    expect([...fileNameOf('😀'.repeat(300))]).toHaveLength(MAX_FILE_NAME_LENGTH);
  });
});
