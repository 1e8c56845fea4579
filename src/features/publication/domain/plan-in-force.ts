/**
 * The plan in force on the public site: the newest published edition whose edition is issued or
 * in force (PRSRA 2011 s.5(1): the plan issued for the period). Superseded, expired or withdrawn
 * editions stay in the archive but are not "the plan".
 */
const inForceStates: ReadonlySet<string> = new Set(['issued', 'in_force']);

export function planInForce<T extends { lifecycleState: string }>(publishedOldestFirst: readonly T[]): T | undefined {
  for (let i = publishedOldestFirst.length - 1; i >= 0; i -= 1) {
    const candidate = publishedOldestFirst[i]!;
    if (inForceStates.has(candidate.lifecycleState)) return candidate;
  }
  return undefined;
}

/** Pairs of consecutive published editions, newest pair first, for the principal changes page. */
export function consecutivePairs<T>(oldestFirst: readonly T[]): { from: T; to: T }[] {
  const pairs: { from: T; to: T }[] = [];
  for (let i = oldestFirst.length - 1; i >= 1; i -= 1) pairs.push({ from: oldestFirst[i - 1]!, to: oldestFirst[i]! });
  return pairs;
}
