import { describe, expect, it } from 'vitest';
import { formatNumber } from '../alerts/rule';

/** Thresholds as PromQL and prose show them: whole numbers exactly, fractions without float noise. */
describe('formatNumber', () => {
  it('keeps whole numbers exact', () => {
    expect(formatNumber(16 * 1024 ** 3)).toBe('17179869184');
    expect(formatNumber(1e15)).toBe('1000000000000000');
  });
  it('drops float noise from fractions', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
  });
});
