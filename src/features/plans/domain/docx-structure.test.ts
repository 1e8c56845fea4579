import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { editionToDocx } from '../docx-export.ts';
import {
  detectStructure,
  mammothStyleMap,
  outlineFromItems,
  outlineItems,
  outlineToTree,
  stripNumbering,
  tokenize,
  type Outline,
  type OutlineItem,
} from './docx-structure.ts';
import { editionToPlanJson } from './plan-json.ts';
import { commitment, edition, objective, priority } from './test-editions.ts';

const detected = (html: string): Outline => {
  const result = detectStructure(html);
  if (!result.ok) throw new Error(`no outline: ${result.error}`);
  return result.value;
};
/** The outline as plain nested titles, to compare in one expectation. */
const shape = (outline: Outline) => outline.priorities.map((p) => [p.title, p.objectives.map((o) => [o.title, o.commitments])]);

describe('tokenize', () => {
  it('reads headings, paragraphs, list items and bold, decoding entities', () => {
    expect(
      tokenize(
        '<h1 class="title">Plan &amp; more</h1><p><strong>Bold</strong> not</p><p><strong>All bold</strong></p><ul><li>One&#8217;s</li><li>Two<br />lines</li></ul>',
      ),
    ).toEqual([
      { kind: 'heading', level: 1, text: 'Plan & more', isTitle: true },
      { kind: 'paragraph', text: 'Bold not', isAllBold: false },
      { kind: 'paragraph', text: 'All bold', isAllBold: true },
      { kind: 'item', text: 'One’s' },
      { kind: 'item', text: 'Two\nlines' },
    ]);
  });

  it('leaves out tables, footnotes and their references, and tolerates unclosed tags', () => {
    const html =
      '<p>Before<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup><table><tr><td><p>Cell</p></td></tr></table><h2>After<p>Loose text' +
      '<ol><li id="footnote-1"><p>A note</p></li></ol>';
    expect(tokenize(html)).toEqual([
      { kind: 'paragraph', text: 'Before', isAllBold: false },
      { kind: 'heading', level: 2, text: 'After', isTitle: false },
      { kind: 'paragraph', text: 'Loose text', isAllBold: false },
    ]);
  });

  it('splits a list item from the sub-list inside it', () => {
    expect(tokenize('<ul><li>Parent<ul><li>Child</li></ul></li></ul>').map((b) => b.text)).toEqual(['Parent', 'Child']);
    expect(tokenize('<ol><li><p>First</p><p>more</p></li><li>Second</li></ol>')).toEqual([
      { kind: 'item', text: 'First\nmore' },
      { kind: 'item', text: 'Second' },
    ]);
  });
});

describe('stripNumbering', () => {
  it.each([
    ['1. Keeping people safe', 'Keeping people safe', 'priority'],
    ['2) Supporting victims', 'Supporting victims', 'priority'],
    ['Priority 1: Keeping people safe', 'Keeping people safe', 'priority'],
    ['Priority one – Fighting crime', 'Fighting crime', 'priority'],
    ['Priority: Roads', 'Roads', 'priority'],
    ['1.2 Reduce repeat victimisation', 'Reduce repeat victimisation', 'objective'],
    ['Objective 3: Faster answers', 'Faster answers', 'objective'],
    ['Keeping people safe', 'Keeping people safe', 'none'],
    ['2025 and beyond', '2025 and beyond', 'none'],
    ['Priority 1', 'Priority 1', 'none'],
  ])('%s', (heading, text, marker) => {
    expect(stripNumbering(heading)).toEqual({ text, marker });
  });
});

describe('detectStructure', () => {
  it('takes numbered Heading 1s as priorities, Heading 2s as objectives and list items as commitments', () => {
    const outline = detected(
      '<h1>Police and Crime Plan 2025–2029</h1><p>Our county is safe.</p><p>We want it safer.</p>' +
        '<h1>1. Keeping people safe</h1><p>Why it matters.</p>' +
        '<h2>1.1 Reduce violence</h2><p>Most violence is at night.</p><ul><li>Fund street pastors</li><li>Light the parks</li></ul>' +
        '<h2>1.2 Safer roads</h2><ol><li>More speed checks</li></ol>' +
        '<h1>2. Supporting victims</h1><h2>2.1 Better care</h2><ul><li>Open a victims’ hub</li></ul>' +
        '<h1>Finance</h1><p>The budget is £300m.</p><h1>Glossary</h1>',
    );
    expect(outline.title).toBe('Police and Crime Plan 2025–2029');
    expect(outline.vision).toBe('Our county is safe.\nWe want it safer.');
    expect(shape(outline)).toEqual([
      [
        'Keeping people safe',
        [
          ['Reduce violence', ['Fund street pastors', 'Light the parks']],
          ['Safer roads', ['More speed checks']],
        ],
      ],
      ['Supporting victims', [['Better care', ['Open a victims’ hub']]]],
    ]);
    expect(outline.priorities[0]!.summary).toBe('Why it matters.');
    expect(outline.priorities[0]!.objectives[0]!.description).toBe('Most violence is at night.');
    expect(outline.counts).toEqual({ priorities: 2, objectives: 3, commitments: 4 });
    // Only sections with something in them are worth a word.
    expect(outline.warnings).toEqual([
      'These sections did not look like priorities and were left out: “Finance”. Add them after importing if the plan needs them.',
    ]);
  });

  it('reads "Priority 1:" headings under a title, with a foreword as the vision and "We will" sentences as commitments', () => {
    const outline = detected(
      '<h1 class="title">Safer Shire Plan</h1><h2>Contents</h2><p>Foreword 2</p><h2>Commissioner’s foreword</h2><p>I was elected to cut crime.</p>' +
        '<h3>My promise</h3><p>Every call answered.</p>' +
        '<h2>Priority 1: Tackling violence against women and girls</h2><h3>Objective 1: Believe victims</h3><p>We will train every officer.</p><p>We will:</p><ul><li>publish results</li></ul>' +
        '<h2>Priority 2: Rural crime</h2><h3>Objective 1: Protect farms</h3><p>I will fund a rural team.</p>',
    );
    expect(outline.title).toBe('Safer Shire Plan');
    expect(outline.vision).toBe('I was elected to cut crime.\nEvery call answered.');
    expect(shape(outline)).toEqual([
      ['Tackling violence against women and girls', [['Believe victims', ['We will train every officer.', 'publish results']]]],
      ['Rural crime', [['Protect farms', ['I will fund a rural team.']]]],
    ]);
    expect(outline.priorities[0]!.objectives[0]!.description).toBe('We will:');
  });

  it('with unnumbered headings takes the commonest level, and bold paragraphs as objectives when there is no level below', () => {
    const outline = detected(
      '<h1>Our plan</h1><p>Intro text.</p><h2>Safer streets</h2><p><strong>Cut burglary</strong></p><ul><li>Target hotspots</li></ul>' +
        '<p><strong>Cut car crime</strong></p><ul><li>Mark catalytic converters</li></ul><h2>Victims first</h2><ul><li>Call back every victim</li></ul>',
    );
    expect(outline.title).toBe('Our plan');
    expect(shape(outline)).toEqual([
      [
        'Safer streets',
        [
          ['Cut burglary', ['Target hotspots']],
          ['Cut car crime', ['Mark catalytic converters']],
        ],
      ],
      ['Victims first', [['Victims first', ['Call back every victim']]]],
    ]);
    expect(outline.warnings).toEqual([
      '“Victims first” had commitments with no objective above them. They were put under an objective with the priority’s name: rename it, or change the levels, below.',
    ]);
  });

  it('refuses a document with no headings instead of guessing', () => {
    expect(detectStructure('<p>Paragraph one.</p><p>Paragraph two.</p><ul><li>A bullet</li></ul>')).toEqual({
      ok: false,
      error: 'no_headings',
    });
    // A title alone is not a heading structure either.
    expect(detectStructure('<h1>Plan</h1><p>Text.</p>')).toEqual({ ok: false, error: 'no_headings' });
  });

  it('refuses a document with no text', () => {
    expect(detectStructure('')).toEqual({ ok: false, error: 'no_text' });
    expect(detectStructure('<p> </p><table><tr><td><p>Only a table</p></td></tr></table>')).toEqual({ ok: false, error: 'no_text' });
  });

  it('finds the tree in a real .docx made by our own export', async () => {
    const tree = edition({
      vision: 'Safe, resilient and connected communities.',
      priorities: [
        priority(
          'p1',
          [
            objective('o1', [commitment('c1', { text: 'Fund independent advisers' }), commitment('c2', { text: 'Work with councils' })], {
              title: 'Reduce repeat victimisation',
              description: 'Most harm is repeat harm.',
              intendedOutcome: 'Fewer repeat victims',
            }),
            objective('o2', [commitment('c3', { text: 'Answer 999 calls within 10 seconds' })], { title: 'Answer calls quickly' }),
          ],
          { title: 'Protect people at risk', aim: 'Fewer victims' },
        ),
        priority(
          'p2',
          [
            objective('o3', [commitment('c4', { text: 'Call every victim back', ownerKind: null, ownerRole: null, timescale: null })], {
              title: 'Improve victim satisfaction',
            }),
          ],
          { title: 'Support victims and witnesses' },
        ),
      ],
      statutorySections: [{ lineageId: 's1', kind: 'resources', narrative: 'The budget.' }],
      dutyStatements: [{ lineageId: 'd1', duty: 'equality', statement: 'We had regard.', elementLineageIds: [] }],
    });
    const json = editionToPlanJson(
      'https://plans.example.org/schema/plan-v1.json',
      {
        plan: { id: 'plan', title: 'Police and Crime Plan 2025–2029', periodStartsOn: '2025-04-01', periodEndsOn: '2029-03-31' },
        edition: { id: 'edition', number: 1, label: '2025–29, edition 1', kind: 'new_plan', isFrozen: false },
        body: { name: 'Avon and Somerset PCC', forceAreaId: 'avon-and-somerset' },
      },
      tree,
      { partnerName: () => undefined, frameworkItem: () => undefined },
    );
    const docx = await editionToDocx(json, { frameworkTitle: () => undefined });
    const { value: html } = await mammoth.convertToHtml({ buffer: docx }, { styleMap: mammothStyleMap });

    const outline = detected(html);
    expect(outline.title).toBe('Police and Crime Plan 2025–2029');
    expect(outline.vision).toBe(tree.vision);
    expect(shape(outline)).toEqual(
      tree.priorities.map((p) => [p.title, p.objectives.map((o) => [o.title, o.commitments.map((c) => c.text)])]),
    );
    expect(outline.priorities[0]!.objectives[0]!.description).toBe('Most harm is repeat harm.\nIntended outcome: Fewer repeat victims');
    expect(outline.warnings.join(' ')).toContain('“Resources provided to the chief constable”');
  });
});

describe('outlineFromItems', () => {
  const item = (level: OutlineItem['level'], text: string, isIncluded = true): OutlineItem => ({ level, text, detail: '', isIncluded });

  it('round-trips the detected outline, and honours levels changed and items left out', () => {
    const priorities = [{ title: 'P', summary: 'S', objectives: [{ title: 'O', description: '', commitments: ['C1', 'C2'] }] }];
    expect(outlineFromItems(outlineItems(priorities))).toEqual({ ok: true, value: priorities });

    const items = outlineItems(priorities);
    items[2] = { ...items[2]!, level: 'objective' };
    items[3] = { ...items[3]!, isIncluded: false };
    expect(outlineFromItems(items)).toEqual({
      ok: true,
      value: [
        {
          title: 'P',
          summary: 'S',
          objectives: [
            { title: 'O', description: '', commitments: [] },
            { title: 'C1', description: '', commitments: [] },
          ],
        },
      ],
    });
  });

  it('lists every item that is empty, too long or has nothing to hang from', () => {
    const result = outlineFromItems([
      item('commitment', 'Orphan'),
      item('objective', 'Lost'),
      item('priority', ' '),
      item('priority', 'x'.repeat(301)),
      item('commitment', 'Skipped', false),
    ]);
    expect(result.ok ? [] : result.error.map((p) => [p.index, p.field])).toEqual([
      [0, 'level'],
      [1, 'level'],
      [2, 'text'],
      [3, 'text'],
    ]);
  });

  it('needs at least one priority', () => {
    expect(outlineFromItems([item('priority', 'P', false)])).toEqual({
      ok: false,
      error: [{ index: 0, field: 'level', message: 'Include at least one priority' }],
    });
  });
});

describe('outlineToTree', () => {
  it('gives every element fresh ids and leaves commitments for the officer to complete', () => {
    let n = 0;
    const tree = outlineToTree(
      'V',
      [{ title: 'P', summary: '', objectives: [{ title: 'O', description: 'D', commitments: ['C'] }] }],
      () => `id-${++n}`,
    );
    expect(tree.vision).toBe('V');
    const c = tree.priorities[0]!.objectives[0]!.commitments[0]!;
    expect(c).toMatchObject({ text: 'C', ownerKind: null, ownerRole: null, timescale: null, status: 'not_started', partnerIds: [] });
    expect(new Set([tree.priorities[0]!.lineageId, tree.priorities[0]!.objectives[0]!.lineageId, c.lineageId]).size).toBe(3);
  });
});
