import { describe, expect, it } from 'vitest';
import { diffBlocks } from './version-diff.tsx';

describe('comparing two versions block by block', () => {
  it('keeps what both have and marks what the later one removed and added', () => {
    expect(diffBlocks(['标题', '第一段', '第二段'], ['标题', '第一段（改）', '第二段', '第三段'])).toEqual([
      { kind: 'same', text: '标题' },
      { kind: 'added', text: '第一段（改）' },
      { kind: 'removed', text: '第一段' },
      { kind: 'same', text: '第二段' },
      { kind: 'added', text: '第三段' },
    ]);
  });
});
