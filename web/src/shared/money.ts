/**
 * Money is integer fen (分) everywhere; these turn it into yuan text and back with integer
 * arithmetic only, so ¥0.10 + ¥0.20 is never ¥0.30000000000000004.
 */

const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/** 12345 → "¥123.45"; 120000 → "¥1,200.00"; -100 → "−¥1.00". */
export function formatFen(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = String(Math.floor(abs / 100)).replace(GROUPS, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '−' : ''}¥${yuan}.${cents}`;
}

/** The yuan of an amount as typed in an input ("123.45", no symbol, no separators). */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const YUAN = /^(\d{1,10})(?:\.(\d{0,2}))?$/;

/**
 * Typed yuan ("1,200.5", "¥80", "0.05") → exact fen, or null when it is not an amount of
 * yuan with at most two decimals. The decimal string is read as digits, never as a float.
 */
export function parseYuan(text: string): number | null {
  const cleaned = text.trim().replace(/^[¥￥]/, '').replace(/[,，\s]/g, '');
  const match = YUAN.exec(cleaned);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}
