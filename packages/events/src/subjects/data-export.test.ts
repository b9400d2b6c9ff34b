import { describe, expect, it } from 'vitest';
import { DATA_EXPORT_FILE_NAME } from './data-export.ts';

describe('the archive file names a source may write', () => {
  it('are plain lower-case .json and .jsonl names', () => {
    for (const name of ['profile.json', 'messages.jsonl', 'blocked-users.jsonl']) {
      expect(DATA_EXPORT_FILE_NAME.test(name)).toBe(true);
    }
  });

  it("are never a path, another kind of file, or one of the media worker's own entries", () => {
    for (const name of ['../x.json', 'images/a.json', 'a/b.jsonl', 'README.txt', 'x.zip', 'Profile.json', '.json']) {
      expect(DATA_EXPORT_FILE_NAME.test(name)).toBe(false);
    }
    for (const name of ['images.jsonl', 'files.jsonl']) expect(DATA_EXPORT_FILE_NAME.test(name)).toBe(false);
  });
});
