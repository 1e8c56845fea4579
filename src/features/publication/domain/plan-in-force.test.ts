import { describe, expect, it } from 'vitest';
import { consecutivePairs, planInForce } from './plan-in-force.ts';

describe('planInForce', () => {
  it('is the newest published edition that is issued or in force', () => {
    const published = [
      { id: 1, lifecycleState: 'superseded' },
      { id: 2, lifecycleState: 'in_force' },
      { id: 3, lifecycleState: 'issued' },
    ];
    expect(planInForce(published)?.id).toBe(3);
    expect(planInForce(published.slice(0, 2))?.id).toBe(2);
  });

  it('is nothing when every published edition is superseded, expired or withdrawn', () => {
    expect(planInForce([{ lifecycleState: 'superseded' }, { lifecycleState: 'expired' }, { lifecycleState: 'withdrawn' }])).toBeUndefined();
    expect(planInForce([])).toBeUndefined();
  });
});

describe('consecutivePairs', () => {
  it('pairs each edition with the one before it, newest pair first', () => {
    expect(consecutivePairs(['a', 'b', 'c'])).toEqual([
      { from: 'b', to: 'c' },
      { from: 'a', to: 'b' },
    ]);
    expect(consecutivePairs(['a'])).toEqual([]);
  });
});
