import { describe, expect, it } from 'vitest';
import { boardRows, outcomeOperations, type Disposition } from './review-board.ts';
import { commitment, edition, objective, priority } from './test-editions.ts';

const draft = edition({
  priorities: [
    priority('p1', [objective('o1', [commitment('c1'), commitment('c2')]), objective('o2', [commitment('c3')])]),
    priority('p2', [objective('o3')]),
  ],
});

const decision = (d: Partial<Disposition> & Pick<Disposition, 'disposition'>): Disposition => ({
  elementType: 'objective',
  lineageId: null,
  parentLineageId: null,
  wording: '',
  rationale: '',
  ...d,
});

describe('the refresh review board', () => {
  it('lists every objective and commitment, carried forward unless decided otherwise', () => {
    const rows = boardRows(draft, [decision({ elementType: 'commitment', lineageId: 'c2', disposition: 'retire', rationale: 'Done' })]);
    expect(rows.map((r) => [r.number, r.elementType, r.disposition])).toEqual([
      ['1.1', 'objective', 'carry_forward'],
      ['1.1.1', 'commitment', 'carry_forward'],
      ['1.1.2', 'commitment', 'retire'],
      ['1.2', 'objective', 'carry_forward'],
      ['1.2.1', 'commitment', 'carry_forward'],
      ['2.1', 'objective', 'carry_forward'],
    ]);
  });

  it('turns decisions into operations on the draft', () => {
    const { operations, problems } = outcomeOperations(draft, [
      decision({ elementType: 'objective', lineageId: 'o1', disposition: 'carry_forward' }),
      decision({ elementType: 'commitment', lineageId: 'c1', disposition: 'amend', wording: ' Reworded ' }),
      decision({ elementType: 'objective', lineageId: 'o2', disposition: 'retire' }),
      decision({ elementType: 'commitment', lineageId: 'c3', disposition: 'amend', wording: 'Goes with its objective' }),
      decision({ elementType: 'objective', disposition: 'new', parentLineageId: 'p2', wording: 'Tackle serious violence' }),
      decision({ elementType: 'commitment', disposition: 'new', parentLineageId: 'o3', wording: 'Fund a violence reduction unit' }),
    ]);
    expect(problems).toEqual([]);
    expect(operations).toEqual([
      { kind: 'reword', elementType: 'commitment', lineageId: 'c1', wording: 'Reworded' },
      { kind: 'retire', elementType: 'objective', lineageId: 'o2' },
      { kind: 'add', elementType: 'objective', parentLineageId: 'p2', wording: 'Tackle serious violence' },
      { kind: 'add', elementType: 'commitment', parentLineageId: 'o3', wording: 'Fund a violence reduction unit' },
    ]);
  });

  it('reports what cannot be applied instead of guessing', () => {
    const { operations, problems } = outcomeOperations(draft, [
      decision({ elementType: 'objective', lineageId: 'gone', disposition: 'retire' }),
      decision({ elementType: 'commitment', lineageId: 'c1', disposition: 'amend', wording: '  ' }),
      decision({ elementType: 'objective', lineageId: 'o1', disposition: 'retire' }),
      decision({ elementType: 'commitment', disposition: 'new', parentLineageId: 'o1', wording: 'Under a retired objective' }),
      decision({ elementType: 'objective', disposition: 'new', parentLineageId: 'p9', wording: 'Orphan' }),
    ]);
    expect(operations).toEqual([{ kind: 'retire', elementType: 'objective', lineageId: 'o1' }]);
    expect(problems).toEqual([
      'An objective the board decided to retire is no longer in the draft',
      'The new commitment “Under a retired objective” has nowhere to go: its objective is not in the draft',
      'The new objective “Orphan” has nowhere to go: its priority is not in the draft',
    ]);
  });
});
