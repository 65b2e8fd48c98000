import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@workers-home/contract';
import { CATALOGUE } from '../../../shared/i18n/catalogue.ts';
import { createTranslator } from '../../../shared/i18n/translator.ts';
import { entryWords } from './entry-text.ts';

const words = (locale: 'zh-CN' | 'en') => entryWords({
  t: Object.assign(createTranslator(CATALOGUE[locale], locale), { locale }),
  locale,
  formatDate: (iso) => iso ?? '—',
  formatDateTime: (iso) => iso ?? '—',
  formatNumber: (n) => new Intl.NumberFormat(locale).format(n),
});

const batchReady = {
  id: 1, at: '2026-12-05T01:00:00Z', action: 'batch', entity: 'services_batch', entityId: 7,
  before: { status: 'building' }, after: { status: 'ready', claims: 12, totalFen: 1234567 },
} as unknown as AuditEntry;

describe('an audit entry in the reader\'s words', () => {
  it('names a payout batch\'s fields in both languages and shows its amount in yuan, from integer fen', () => {
    const zh = words('zh-CN').changes(batchReady);
    expect(zh.find((c) => c.field === '金额')).toMatchObject({ before: '—', after: '¥12,345.67' });
    expect(zh.find((c) => c.field === '申请件数')).toMatchObject({ after: '12' });
    const en = words('en').changes(batchReady).map((c) => c.field);
    expect(en).toEqual(expect.arrayContaining(['Amount', 'Claims']));
  });
});
