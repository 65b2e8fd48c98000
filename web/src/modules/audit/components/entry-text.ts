import type { AuditEntry } from '@workers-home/contract';
import { CATALOGUE } from '../../../shared/i18n/catalogue.ts';
import { formatFen } from '../../../shared/money.ts';
import type { LocaleContextValue, MessageKey } from '../../../shared/i18n/locale.tsx';

/** One changed field of an entry, in the reader's words. */
export interface ChangeText {
  field: string;
  before: string;
  after: string;
}

type Words = Pick<LocaleContextValue, 't' | 'locale' | 'formatDate' | 'formatDateTime' | 'formatNumber'>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// Bookkeeping every row carries: not a change anyone made.
const BOOKKEEPING = new Set(['updatedAt', 'createdAt']);
// Fields whose values are record ids: shown as "#12", the entry's link opens the record.
const ID_FIELDS = /(^id|Id|Ids)$/;

/**
 * The words of an audit entry: its action, record type, fields and values as the reader says
 * them ("修改 会员 张三: 手机号 139… → 138…"). A word the catalogue does not know yet is shown as
 * stored, never hidden.
 */
export function entryWords({ t, locale, formatDate, formatDateTime, formatNumber }: Words) {
  const catalogue = CATALOGUE[locale] as Record<string, string>;
  const known = (key: string) => key in catalogue;
  const word = (key: string, fallback: string, params?: Record<string, string | number>) => (known(key) ? t(key as MessageKey, params) : fallback);

  const value = (field: string, v: unknown): string => {
    if (v === undefined || v === null || v === '') return '—';
    if (typeof v === 'boolean') return t(v ? 'audit.yes' : 'audit.no');
    if (typeof v === 'number' && field.endsWith('Fen')) return formatFen(v); // money is integer fen
    if (typeof v === 'number') return ID_FIELDS.test(field) ? t('audit.id', { id: v }) : formatNumber(v);
    if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((item) => value(field, item)).join(locale === 'en' ? ', ' : '、');
    if (typeof v === 'object') {
      return Object.entries(v as Record<string, unknown>).map(([k, inner]) => `${fieldName(k)}: ${value(k, inner)}`).join(locale === 'en' ? '; ' : '；');
    }
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (field === 'role') return word(`role.${text}`, text);
    if (known(`audit.value.${field}.${text}`)) return t(`audit.value.${field}.${text}` as MessageKey);
    if (DATE.test(text)) return formatDate(text);
    if (INSTANT.test(text)) return formatDateTime(text);
    return text;
  };
  const fieldName = (field: string) => word(`audit.field.${field}`, field);

  return {
    action: (entry: AuditEntry) => word(`audit.action.${entry.action}`, entry.action),
    entity: (entry: AuditEntry) => word(`audit.entityName.${entry.entity}`, entry.entity),
    /** The record's name: as the server knows it now, else as the entry wrote it, else its id. */
    subject: (entry: AuditEntry) => {
      if (entry.subject) return entry.subject;
      for (const side of [entry.after, entry.before]) {
        const record = (side ?? {}) as Record<string, unknown>;
        for (const key of ['name', 'title', 'topic', 'username', 'number']) if (typeof record[key] === 'string') return record[key];
      }
      return entry.entityId ? `#${entry.entityId}` : '';
    },
    /** The fields an entry changed (all of them for a new record), before and after. */
    changes: (entry: AuditEntry): ChangeText[] => {
      const before = (entry.before ?? {}) as Record<string, unknown>;
      const after = (entry.after ?? {}) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !BOOKKEEPING.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      return keys.map((field) => ({ field: fieldName(field), before: field in before ? value(field, before[field]) : '—', after: field in after ? value(field, after[field]) : '—' }));
    },
  };
}
