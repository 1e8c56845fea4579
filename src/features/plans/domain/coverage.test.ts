import { describe, expect, it } from 'vitest';
import { coverageMatrix } from './coverage.ts';
import { commitment, edition, objective, priority } from './test-editions.ts';

describe('the framework coverage matrix', () => {
  it('numbers what addresses each item and counts the gaps', () => {
    const plan = edition({
      priorities: [
        priority(
          'p1',
          [
            objective('o1', [commitment('c1', { text: 'Fund a violence reduction unit', frameworkItemIds: ['sv'] })], {
              frameworkItemIds: ['sv'],
            }),
          ],
          { title: 'Tackle violence', frameworkItemIds: ['vawg'] },
        ),
      ],
    });
    const [spr] = coverageMatrix(plan, [
      {
        id: 'f',
        name: 'SPR',
        items: [
          { id: 'vawg', code: 'vawg', title: 'VAWG' },
          { id: 'sv', code: 'sv', title: 'Serious violence' },
          { id: 'cyber', code: 'cyber', title: 'Cyber' },
        ],
      },
    ]);
    expect(spr!.rows.map((r) => [r.title, r.addressedBy.map((a) => a.number)])).toEqual([
      ['VAWG', ['1']],
      ['Serious violence', ['1.1', '1.1.1']],
      ['Cyber', []],
    ]);
    expect(spr!.gapCount).toBe(1);
  });
});
