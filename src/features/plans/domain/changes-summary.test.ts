import { describe, expect, it } from 'vitest';
import { diffEditions } from './principal-changes.ts';
import { changesAsMarkdown, summariseChanges } from './changes-summary.ts';
import { commitment, edition, objective, priority } from './test-editions.ts';

describe('the summary of principal changes', () => {
  const before = edition({
    vision: 'A safe county',
    priorities: [
      priority('p1', [objective('o1', [commitment('c1', { text: 'We will recruit 100 officers' })])], { title: 'Protect the vulnerable' }),
    ],
    statutorySections: [{ lineageId: 's1', kind: 'reporting', narrative: 'Quarterly' }],
  });
  const after = edition({
    vision: 'A safe county',
    priorities: [
      priority('p1', [objective('o1', [commitment('c1', { text: 'We will recruit 150 officers', ownerRole: 'influence' })])], {
        title: 'Protect the vulnerable',
      }),
      priority('p2', [], { title: 'Support *victims*' }),
    ],
    statutorySections: [{ lineageId: 's1', kind: 'reporting', narrative: 'Monthly' }],
  });

  it('groups changes in plan order with readable names and fields', () => {
    const groups = summariseChanges(diffEditions(before, after));
    expect(groups.map((g) => g.title)).toEqual(['Priorities', 'Commitments', 'Statutory sections']);
    const commitmentChange = groups[1]!.items[0]!;
    expect(commitmentChange).toMatchObject({ verb: 'Changed', label: 'We will recruit 150 officers' });
    expect(commitmentChange.fields.map((f) => [f.label, f.before, f.after])).toEqual([
      ['Text', 'We will recruit 100 officers', 'We will recruit 150 officers'],
      ['Control or influence', 'control', 'influence'],
    ]);
    expect(groups[2]!.items[0]!.label).toBe('How the chief constable reports to the commissioner');
  });

  it('writes Markdown a panel paper can use, escaping user text', () => {
    const markdown = changesAsMarkdown('Police and Crime Plan', 'edition 1', 'edition 2', summariseChanges(diffEditions(before, after)));
    expect(markdown).toContain('## Priorities\n\n- **Added** priority: Support \\*victims\\*');
    expect(markdown).toContain('  - Text: We will recruit ~~100~~ **150** officers');
    expect(changesAsMarkdown('P', 'a', 'b', [])).toContain('There are no changes.');
  });
});
