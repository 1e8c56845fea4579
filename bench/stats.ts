/**
 * Small statistics for the data bench: nearest-rank percentiles of timing samples, the median of
 * repeated runs, throughput and ratios. Pure, so `test/bench/stats.test.ts` can check them.
 */

/**
 * The nearest-rank percentile (p in 0–100] of the samples: the smallest sample with at least p %
 * of the samples at or below it, so p95 of 200 samples is the 190th smallest and never an
 * interpolated value no run took.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], not ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

/** The middle sample, or the mean of the two middle samples of an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Summary = { runs: number; p50: number; p95: number; min: number; max: number };

export function summarise(samples: readonly number[]): Summary {
  return {
    runs: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** Rows per second of each run (rows over milliseconds), for taking a median of runs. */
export function rowsPerSecond(rows: number, milliseconds: number): number {
  if (!(milliseconds > 0)) throw new Error(`a run must take some time, not ${milliseconds} ms`);
  return (rows * 1000) / milliseconds;
}

/**
 * The service's figure over the reference's, and whether it meets a goal of at least `goal`
 * (throughput, higher is better). Undefined when there is no reference to compare with.
 */
export function ratio(measured: number, reference: number | undefined, goal?: number): { ratio: number; met?: boolean } | undefined {
  if (reference === undefined || !(reference > 0)) return undefined;
  const value = measured / reference;
  return goal === undefined ? { ratio: value } : { ratio: value, met: value >= goal };
}

/**
 * The interleaved spread of paired runs: each importer run sits next to a reference run, so a
 * burst of load from elsewhere hits both. The median of per-pair ratios is steadier than the ratio
 * of medians when the machine is shared.
 */
export function pairedRatio(measured: readonly number[], reference: readonly number[]): number {
  if (measured.length === 0 || measured.length !== reference.length) throw new Error('paired runs must have the same, non-zero count');
  return median(measured.map((value, index) => value / reference[index]!));
}
