import { createHash } from 'node:crypto';

/** The hash the first row of the chain links back to. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = {
  occurredAt: string;
  actorUserId: string | null;
  actorLabel: string;
  policingBodyId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  previousHash: string;
};

/**
 * JSON with object keys sorted at every depth, so a value reads back from jsonb
 * (which reorders keys) to the same text it was hashed from.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

export type StoredEvent = ChainedFields & { id: number; hash: string };

export type ChainBreak = { id: number; reason: 'previous_hash_mismatch' | 'hash_mismatch' };

/** Walks events in id order; returns the first row whose link or own hash does not hold. */
export function findFirstBreak(events: Iterable<StoredEvent>, expectedPrevious = GENESIS_HASH): ChainBreak | null {
  let previous = expectedPrevious;
  for (const event of events) {
    if (event.previousHash !== previous) return { id: event.id, reason: 'previous_hash_mismatch' };
    const { id: _id, hash, ...fields } = event;
    if (hashEvent(fields) !== hash) return { id: event.id, reason: 'hash_mismatch' };
    previous = hash;
  }
  return null;
}
