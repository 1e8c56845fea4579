import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffWords } from './word-diff.ts';

const join = (changes: ReturnType<typeof diffWords>, keep: 'added' | 'removed') =>
  changes
    .filter((c) => c.kind === 'same' || c.kind === keep)
    .map((c) => c.text)
    .join('');

describe('word-level differences', () => {
  it('marks only the words that changed', () => {
    expect(diffWords('Protect the most vulnerable', 'Protect the most vulnerable from harm')).toEqual([
      { kind: 'same', text: 'Protect the most vulnerable' },
      { kind: 'added', text: ' from harm' },
    ]);
  });

  it('rebuilds both texts exactly from its output', () => {
    const text = fc.array(fc.constantFrom('a ', 'b ', 'c', ' ', 'crime ', 'victims\n'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const changes = diffWords(before, after);
        expect(join(changes, 'removed')).toBe(before);
        expect(join(changes, 'added')).toBe(after);
      }),
    );
  });
});
