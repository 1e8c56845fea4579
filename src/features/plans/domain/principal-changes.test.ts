import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, diffEditions, diffFlat, flattenEdition, type FlatElement } from './principal-changes.ts';
import { commitment, edition, editionArbitrary, measure, objective, priority } from './test-editions.ts';

/** Content and order among siblings, which is what a diff must preserve. */
function bySiblings(elements: readonly FlatElement[]) {
  const groups: Record<string, { lineageId: string; fields: unknown }[]> = {};
  for (const e of elements) (groups[`${e.type}|${e.parentLineageId ?? ''}`] ??= []).push({ lineageId: e.lineageId, fields: e.fields });
  return groups;
}

describe('principal changes between editions', () => {
  it('finds nothing between an edition and itself', () => {
    fc.assert(
      fc.property(editionArbitrary, (a) => {
        expect(diffEditions(a, a)).toEqual([]);
      }),
    );
  });

  it('reports changes that, applied to the first edition, give the second', () => {
    fc.assert(
      fc.property(editionArbitrary, editionArbitrary, (a, b) => {
        const changes = diffFlat(flattenEdition(a), flattenEdition(b));
        expect(bySiblings(applyChanges(flattenEdition(a), changes))).toEqual(bySiblings(flattenEdition(b)));
      }),
      { numRuns: 300 },
    );
  });

  it('names additions, removals, rewording and moves by lineage', () => {
    const before = edition({
      priorities: [
        priority('p1', [objective('o1', [commitment('c1', { text: 'We will recruit 100 more officers' })]), objective('o2')], {
          title: 'Protect the most vulnerable',
        }),
        priority('p2', [objective('o3')]),
      ],
    });
    const after = edition({
      priorities: [
        priority('p1', [objective('o2'), objective('o1', [commitment('c1', { text: 'We will recruit 150 more officers' })])], {
          title: 'Protect the most vulnerable from harm',
        }),
        priority('p3', [objective('o3')]),
      ],
      measures: [measure('m1', { kind: 'priority', lineageId: 'p1' })],
    });
    const changes = diffEditions(before, after);
    const summary = changes.map((c) => `${c.kind} ${c.element.type} ${c.element.lineageId}`);
    expect(summary).toEqual([
      'changed priority p1',
      'moved objective o2',
      'changed commitment c1',
      'added priority p3',
      'moved objective o3',
      'added measure m1',
      'removed priority p2',
    ]);
    const reworded = changes.find((c) => c.element.lineageId === 'c1');
    expect(reworded?.kind === 'changed' && reworded.fields[0]?.words).toEqual([
      { kind: 'same', text: 'We will recruit ' },
      { kind: 'removed', text: '100' },
      { kind: 'added', text: '150' },
      { kind: 'same', text: ' more officers' },
    ]);
  });
});
