import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../i18n/catalogue.ts';
import { createTranslator } from '../i18n/translator.ts';
import { back, forward, trailOf } from './cursor-trail.ts';

describe('cursor trail', () => {
  it('goes forward two pages and back to the first', () => {
    const second = forward([], undefined, 'c1');
    expect(second).toEqual({ after: 'c1', trail: [null] });
    const third = forward(second.trail, second.after, 'c2');
    expect(third).toEqual({ after: 'c2', trail: [null, 'c1'] });
    const backToSecond = back(third.trail);
    expect(backToSecond).toEqual({ after: 'c1', trail: [null] });
    expect(back(backToSecond.trail)).toEqual({ after: undefined, trail: [] });
  });

  it('goes back to the first page from an address opened mid-list', () => {
    expect(back([])).toEqual({ after: undefined, trail: [] });
  });

  it('reads a trail only from a history state that holds one', () => {
    expect(trailOf(null)).toEqual([]);
    expect(trailOf({ other: 1 })).toEqual([]);
    expect(trailOf({ cursorTrail: 'c1' })).toEqual([]);
    expect(trailOf({ cursorTrail: [null, 2] })).toEqual([]);
    expect(trailOf({ cursorTrail: [null, 'c1'] })).toEqual([null, 'c1']);
  });
});

describe('the cursor pager\'s words', () => {
  it('says the total, and "more than" for a total that is a lower bound', () => {
    expect(createTranslator(CATALOGUE['zh-CN'], 'zh-CN')('pager.total', { count: 1457 })).toBe('共 1,457 件');
    expect(createTranslator(CATALOGUE['zh-CN'], 'zh-CN')('pager.totalAtLeast', { count: 10000 })).toBe('超过 10,000 件');
    expect(createTranslator(CATALOGUE.en, 'en')('pager.totalAtLeast', { count: 10000 })).toBe('More than 10,000');
  });
});
