import { describe, expect, it } from 'vitest';
import { fenToYuanText, formatFen, parseYuan } from './money.ts';

describe('fen as yuan', () => {
  it('formats with integer arithmetic and thousands separators', () => {
    expect(formatFen(12345)).toBe('¥123.45');
    expect(formatFen(120000)).toBe('¥1,200.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-10000)).toBe('−¥100.00');
    expect(formatFen(123456789012)).toBe('¥1,234,567,890.12');
    expect(fenToYuanText(5005)).toBe('50.05');
  });

  it('reads typed yuan exactly, never through a float', () => {
    expect(parseYuan('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(parseYuan('1,200.5')).toBe(120050);
    expect(parseYuan('¥80')).toBe(8000);
    expect(parseYuan(' 19.99 ')).toBe(1999);
    expect(parseYuan('1.')).toBe(100);
    expect(parseYuan('1.234')).toBeNull();
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    expect(parseYuan('')).toBeNull();
  });
});
