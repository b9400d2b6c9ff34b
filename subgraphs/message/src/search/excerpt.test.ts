import { describe, expect, it } from 'vitest';
import { highlight, queryWords } from './excerpt.ts';

describe('search words and excerpts', () => {
  it('takes runs of letters and digits as words, lower-cased, whatever the punctuation', () => {
    expect(queryWords('  Deploy +"prod"  -v2.1 café, 東京! ')).toEqual(['deploy', 'prod', 'v2', '1', 'café', '東京']);
  });

  it('marks each word that starts with a query word, keeps the rest plain, and never splits an emoji', () => {
    expect(highlight('Deploying now 🚀 then the deployment\nagain', ['deploy'])).toEqual([
      { text: 'Deploying', match: true },
      { text: ' now 🚀 then the ', match: false },
      { text: 'deployment', match: true },
      { text: ' again', match: false },
    ]);
    // Inside a word is no match ("redeploy" does not start with "deploy").
    expect(highlight('redeploy it', ['deploy'])).toEqual([{ text: 'redeploy it', match: false }]);
    const long = `${'🙂'.repeat(200)} deploy ${'🙂'.repeat(200)}`;
    const shown = highlight(long, ['deploy'])
      .map((span) => span.text)
      .join('');
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u);
    expect(shown).toContain('deploy');
  });
});
