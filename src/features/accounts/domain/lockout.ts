/** Temporary account lock-out after repeated failed sign-ins (pure: the clock is an argument). */
export type LockoutPolicy = { failuresBeforeLock: number; lockMinutes: number };
export type LockState = { failedSignInCount: number; lockedUntil: Date | null };

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failed attempt, and whether this attempt is the one that locks it. */
export function afterFailedSignIn(state: LockState, policy: LockoutPolicy, now: Date): LockState & { hasJustLocked: boolean } {
  // A lock that has run out starts the count again.
  const previous = state.lockedUntil && !isLocked(state, now) ? 0 : state.failedSignInCount;
  const failedSignInCount = previous + 1;
  if (failedSignInCount >= policy.failuresBeforeLock) {
    return { failedSignInCount: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000), hasJustLocked: true };
  }
  return { failedSignInCount, lockedUntil: state.lockedUntil && isLocked(state, now) ? state.lockedUntil : null, hasJustLocked: false };
}
