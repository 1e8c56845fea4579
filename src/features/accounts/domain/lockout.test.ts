import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterFailedSignIn, isLocked, type LockState, type LockoutPolicy } from './lockout.ts';

const start = new Date('2026-11-23T10:00:00Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
const fresh: LockState = { failedSignInCount: 0, lockedUntil: null };
const policy: LockoutPolicy = { failuresBeforeLock: 3, lockMinutes: 15 };

/** Failed attempts at the given minutes, as the sign-in service makes them (none while locked). */
function failAt(times: number[], rules: LockoutPolicy, from: LockState = fresh) {
  let state: LockState = from;
  const locks: number[] = [];
  for (const [index, minute] of times.entries()) {
    if (isLocked(state, minutes(minute))) continue;
    const next = afterFailedSignIn(state, rules, minutes(minute));
    if (next.hasJustLocked) locks.push(index);
    state = { failedSignInCount: next.failedSignInCount, lockedUntil: next.lockedUntil };
  }
  return { state, locks };
}

describe('isLocked', () => {
  it('is false without a lock, true until the lock ends and false from that instant', () => {
    expect(isLocked(fresh, start)).toBe(false);
    const locked = { failedSignInCount: 0, lockedUntil: minutes(15) };
    expect(isLocked(locked, minutes(14.99))).toBe(true);
    expect(isLocked(locked, minutes(15))).toBe(false);
    expect(isLocked(locked, minutes(16))).toBe(false);
  });
});

describe('afterFailedSignIn', () => {
  it('counts failures and locks on the Nth for lockMinutes', () => {
    const first = afterFailedSignIn(fresh, policy, start);
    expect(first).toEqual({ failedSignInCount: 1, lockedUntil: null, hasJustLocked: false });
    const second = afterFailedSignIn(first, policy, minutes(1));
    expect(second).toEqual({ failedSignInCount: 2, lockedUntil: null, hasJustLocked: false });
    const third = afterFailedSignIn(second, policy, minutes(2));
    expect(third).toEqual({ failedSignInCount: 0, lockedUntil: minutes(17), hasJustLocked: true });
  });

  it('starts the count again once a lock has run out', () => {
    const expired = { failedSignInCount: 2, lockedUntil: minutes(15) };
    expect(afterFailedSignIn(expired, policy, minutes(20))).toEqual({ failedSignInCount: 1, lockedUntil: null, hasJustLocked: false });
  });

  it('locks on the first failure when the policy allows only one', () => {
    expect(afterFailedSignIn(fresh, { failuresBeforeLock: 1, lockMinutes: 5 }, start)).toEqual({
      failedSignInCount: 0,
      lockedUntil: minutes(5),
      hasJustLocked: true,
    });
  });

  const policies = fc.record({ failuresBeforeLock: fc.integer({ min: 1, max: 10 }), lockMinutes: fc.integer({ min: 1, max: 120 }) });

  it('never locks before N failures, and locks on exactly the Nth', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 0, max: 30 }), (rules, extra) => {
        // Failures in quick succession on a clean account: nothing locks before the Nth.
        const times = Array.from({ length: rules.failuresBeforeLock + extra }, (_, i) => i * 0.01);
        const { locks } = failAt(times, rules);
        expect(locks[0]).toBe(rules.failuresBeforeLock - 1);
      }),
    );
  });

  it('keeps the account locked for exactly lockMinutes, then lets it in', () => {
    fc.assert(
      fc.property(policies, fc.double({ min: 0, max: 1, noNaN: true }), (rules, fraction) => {
        const times = Array.from({ length: rules.failuresBeforeLock }, () => 0);
        const { state, locks } = failAt(times, rules);
        expect(locks).toEqual([rules.failuresBeforeLock - 1]);
        const during = rules.lockMinutes * fraction * 0.999;
        expect(isLocked(state, minutes(during))).toBe(true);
        expect(isLocked(state, minutes(rules.lockMinutes))).toBe(false);
      }),
    );
  });

  it('never reports a lock with fewer than N failures since the last lock or success', () => {
    fc.assert(
      fc.property(policies, fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 40 }), (rules, gaps) => {
        let clock = 0;
        let state: LockState = fresh;
        let sinceReset = 0;
        for (const gap of gaps) {
          clock += gap;
          const now = minutes(clock);
          if (isLocked(state, now)) continue;
          if (state.lockedUntil) sinceReset = 0; // the lock ran out: counting starts again
          const next = afterFailedSignIn(state, rules, now);
          sinceReset += 1;
          expect(next.hasJustLocked).toBe(sinceReset === rules.failuresBeforeLock);
          if (next.hasJustLocked) {
            expect(next.lockedUntil).toEqual(minutes(clock + rules.lockMinutes));
            sinceReset = 0;
          }
          expect(next.failedSignInCount).toBe(sinceReset);
          state = next;
        }
      }),
    );
  });
});
