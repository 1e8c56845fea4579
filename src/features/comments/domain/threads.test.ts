import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildThreads, commentableElements, countByStatus } from './threads.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));

describe('comment threads', () => {
  it('puts each reply under its opening comment, in time order', () => {
    const threads = buildThreads([
      { id: 'r2', parentId: 't1', lineageId: 'x', status: null, createdAt: at(5) },
      { id: 't1', parentId: null, lineageId: 'x', status: 'open', createdAt: at(1) },
      { id: 'r1', parentId: 't1', lineageId: 'x', status: null, createdAt: at(3) },
      { id: 't2', parentId: null, lineageId: 'x', status: 'noted', createdAt: at(2) },
      { id: 'orphan', parentId: 'gone', lineageId: 'x', status: null, createdAt: at(4) },
    ] as const);
    expect(threads.map((t) => [t.opening.id, t.replies.map((r) => r.id)])).toEqual([
      ['t1', ['r1', 'r2']],
      ['t2', []],
    ]);
    expect(countByStatus(threads)).toEqual({ open: 1, addressed: 0, noted: 1, total: 2 });
  });

  it('keeps every opening comment and every reply that has one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(20)), { maxLength: 30 }), (spec) => {
        const openings = spec.filter(([isOpening]) => isOpening).length;
        const comments = spec.map(([isOpening, n], i) => ({
          id: `c${i}`,
          parentId: isOpening || openings === 0 ? null : `c${spec.findIndex(([o]) => o)}`,
          lineageId: 'x',
          status: isOpening || openings === 0 ? ('open' as const) : null,
          createdAt: at(n),
        }));
        const threads = buildThreads(comments);
        return threads.reduce((n, t) => n + 1 + t.replies.length, 0) === comments.length;
      }),
    );
  });
});

describe('the elements that may be commented on', () => {
  it('lists the vision, then each priority with its measures, objectives and commitments, numbered', () => {
    const elements = commentableElements(
      {
        vision: 'Safe, resilient and connected communities',
        priorities: [
          {
            lineageId: 'p1',
            title: 'Connecting communities and policing',
            aim: '',
            objectives: [
              { lineageId: 'o1', title: 'Contact', description: '', commitments: [{ lineageId: 'c1', text: 'Answer 999 fast' }] },
            ],
          },
        ],
        measures: [{ lineageId: 'm1', name: 'Public confidence', description: '', attachedTo: { lineageId: 'p1' } }],
      },
      'plan-id',
    );
    expect(elements.map((e) => `${e.lineageId} ${e.label}`)).toEqual([
      'plan-id Vision',
      'p1 Priority 1: Connecting communities and policing',
      'm1 Measure: Public confidence',
      'o1 Objective 1.1: Contact',
      'c1 Commitment 1.1.1',
    ]);
  });
});
