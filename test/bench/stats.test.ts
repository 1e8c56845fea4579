import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, pairedRatio, percentile, ratio, rowsPerSecond, summarise } from '../../bench/stats.ts';

describe('bench statistics', () => {
  it('takes the nearest-rank percentile: p95 of 1..200 is 190, p50 is 100', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentile(samples, 95)).toBe(190);
    expect(percentile(samples, 50)).toBe(100);
    expect(percentile(samples, 100)).toBe(200);
    expect(percentile([7], 95)).toBe(7);
  });

  it('a percentile is always one of the samples, at least p % of samples are at or below it, and it grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (samples, p) => {
          const value = percentile(samples, p);
          expect(samples).toContain(value);
          expect(samples.filter((s) => s <= value).length).toBeGreaterThanOrEqual((p / 100) * samples.length);
          expect(samples.filter((s) => s < value).length).toBeLessThan((p / 100) * samples.length);
          if (p < 100) expect(percentile(samples, p + 1)).toBeGreaterThanOrEqual(value);
        },
      ),
    );
  });

  it('refuses an empty sample or a percentile outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow();
    expect(() => percentile([1], 0)).toThrow();
    expect(() => percentile([1], 101)).toThrow();
    expect(() => median([])).toThrow();
  });

  it('takes the median of odd and even counts without reordering the input', () => {
    const input = [5, 1, 3];
    expect(median(input)).toBe(3);
    expect(input).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarises samples', () => {
    expect(summarise([3, 1, 2, 4])).toEqual({ runs: 4, p50: 2, p95: 4, min: 1, max: 4 });
  });

  it('turns rows and milliseconds into rows per second', () => {
    expect(rowsPerSecond(40_000, 2_000)).toBe(20_000);
    expect(() => rowsPerSecond(10, 0)).toThrow();
  });

  it('compares with a reference and a goal', () => {
    expect(ratio(30, 60, 0.5)).toEqual({ ratio: 0.5, met: true });
    expect(ratio(29, 60, 0.5)?.met).toBe(false);
    expect(ratio(30, 60)).toEqual({ ratio: 0.5 });
    expect(ratio(30, undefined, 0.5)).toBeUndefined();
    expect(ratio(30, 0, 0.5)).toBeUndefined();
  });

  it('takes the median of per-pair ratios, so one slow pair does not move it', () => {
    expect(pairedRatio([10, 10, 1], [20, 20, 20])).toBe(0.5);
    expect(() => pairedRatio([1], [1, 2])).toThrow();
  });
});
