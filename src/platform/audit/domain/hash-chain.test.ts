import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, findFirstBreak, GENESIS_HASH, hashEvent, type ChainedFields, type StoredEvent } from './hash-chain.ts';

function chain(entries: Omit<ChainedFields, 'previousHash'>[]): StoredEvent[] {
  let previousHash = GENESIS_HASH;
  return entries.map((entry, index) => {
    const fields = { ...entry, previousHash };
    const hash = hashEvent(fields);
    previousHash = hash;
    return { ...fields, id: index + 1, hash };
  });
}

const entry = (action: string, after: unknown = null): Omit<ChainedFields, 'previousHash'> => ({
  occurredAt: '2026-11-23T10:00:00.000Z',
  actorUserId: null,
  actorLabel: 'system',
  policingBodyId: null,
  action,
  subjectType: 'test',
  subjectId: '1',
  before: null,
  after,
});

describe('audit hash chain', () => {
  it('accepts an intact chain', () => {
    expect(findFirstBreak(chain([entry('a.created'), entry('b.updated', { x: 1 }), entry('c.deleted')]))).toBeNull();
  });

  it('reports the first row whose contents were altered', () => {
    const events = chain([entry('a.created'), entry('b.updated', { x: 1 }), entry('c.deleted')]);
    events[1] = { ...events[1]!, after: { x: 2 } };
    expect(findFirstBreak(events)).toEqual({ id: 2, reason: 'hash_mismatch' });
  });

  it('reports a deleted row as a broken link at the row after it', () => {
    const events = chain([entry('a.created'), entry('b.updated'), entry('c.deleted')]);
    expect(findFirstBreak([events[0]!, events[2]!])).toEqual({ id: 3, reason: 'previous_hash_mismatch' });
  });

  it('hashes the same value to the same text whatever the key order (jsonb reorders keys)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
