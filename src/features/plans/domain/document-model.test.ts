import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlanDocument, formatValue, joinNames } from './document-model.ts';
import { commitment, edition, editionArbitrary, measure, objective, priority } from './test-editions.ts';

const noInputs = { partnerNames: new Map<string, string>(), sprThreats: [] };

describe('formatValue and joinNames', () => {
  it('formats measure values and says when none is set', () => {
    expect(formatValue(12500)).toBe('12,500');
    expect(formatValue(72.5)).toBe('72.5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(null)).toBe('Not set');
  });

  it('joins names as a sentence would', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['A'])).toBe('A');
    expect(joinNames(['A', 'B'])).toBe('A and B');
    expect(joinNames(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('buildPlanDocument', () => {
  it('numbers priorities, objectives and commitments as the reader sees them', () => {
    const tree = edition({
      priorities: [
        priority('p1', [objective('o1', [commitment('c1'), commitment('c2')]), objective('o2', [commitment('c3')])]),
        priority('p2', [objective('o3', [commitment('c4')])]),
      ],
    });
    const document = buildPlanDocument(tree, noInputs);
    expect(document.priorities.map((p) => p.number)).toEqual(['1', '2']);
    expect(document.priorities.map((p) => p.objectives.map((o) => o.number))).toEqual([['1.1', '1.2'], ['2.1']]);
    expect(document.priorities.flatMap((p) => p.objectives.flatMap((o) => o.commitments.map((c) => [c.number, c.text])))).toEqual([
      ['1.1.1', 'Commitment c1'],
      ['1.1.2', 'Commitment c2'],
      ['1.2.1', 'Commitment c3'],
      ['2.1.1', 'Commitment c4'],
    ]);
    expect(document.priorities[0]!.objectives[1]!.commitments[0]!.anchor).toBe('commitment-1-2-1');
  });

  it('groups measures under their priority, including those attached to its objectives, in the edition’s order', () => {
    const tree = edition({
      priorities: [priority('p1', [objective('o1'), objective('o2')]), priority('p2', [objective('o3')])],
      measures: [
        measure('m1', { kind: 'objective', lineageId: 'o3' }),
        measure('m2', { kind: 'priority', lineageId: 'p1' }),
        measure('m3', { kind: 'objective', lineageId: 'o2' }),
        measure('m4', { kind: 'priority', lineageId: 'p2' }),
        measure('m5', { kind: 'objective', lineageId: 'gone' }),
      ],
    });
    const document = buildPlanDocument(tree, noInputs);
    expect(document.priorities.map((p) => p.measures.map((m) => [m.lineageId, m.attachedTo]))).toEqual([
      [
        ['m2', 'Priority 1'],
        ['m3', 'Objective 1.2'],
      ],
      [
        ['m1', 'Objective 2.1'],
        ['m4', 'Priority 2'],
      ],
    ]);
    expect(document.unplacedMeasures.map((m) => m.lineageId)).toEqual(['m5']);
  });

  it('places every measure exactly once', () => {
    fc.assert(
      fc.property(editionArbitrary, (tree) => {
        const document = buildPlanDocument(tree, noInputs);
        const placed = [...document.priorities.flatMap((p) => p.measures), ...document.unplacedMeasures].map((m) => m.lineageId);
        expect(placed.sort()).toEqual(tree.measures.map((m) => m.lineageId).sort());
      }),
    );
  });

  it('formats a measure’s values and labels', () => {
    const tree = edition({
      priorities: [priority('p1')],
      measures: [
        measure(
          'm1',
          { kind: 'priority', lineageId: 'p1' },
          {
            unit: '%',
            baselineValue: 72.5,
            baselinePeriod: '2024/25',
            targetValue: null,
            polarity: 'higher_is_better',
            evidenceSource: 'public_survey',
          },
        ),
      ],
    });
    expect(buildPlanDocument(tree, noInputs).priorities[0]!.measures[0]).toMatchObject({
      unit: '%',
      baseline: '72.5',
      baselinePeriod: '2024/25',
      target: 'Not set',
      direction: 'Higher is better',
      evidence: 'Public survey',
      frequency: 'Quarterly',
    });
  });

  it('names each commitment’s owner, partners by name, and whether the owner controls or influences it', () => {
    const tree = edition({
      priorities: [
        priority('p1', [
          objective('o1', [
            commitment('c1', { ownerKind: 'pcc', ownerRole: 'control' }),
            commitment('c2', { ownerKind: 'chief_constable', ownerRole: 'influence', timescale: 'medium', status: 'at_risk' }),
            commitment('c3', {
              ownerKind: 'partners',
              partnerIds: ['x', 'y'],
              ownerRole: 'influence',
              timescale: 'by_date',
              targetDate: '2026-03-31',
            }),
            commitment('c4', { ownerKind: null, ownerRole: null, timescale: null }),
          ]),
        ]),
      ],
    });
    const partnerNames = new Map([
      ['x', 'Northmoor Community Safety Partnership'],
      ['y', 'Northmoor Youth Offending Service'],
    ]);
    const [c1, c2, c3, c4] = buildPlanDocument(tree, { partnerNames, sprThreats: [] }).priorities[0]!.objectives[0]!.commitments;
    expect(c1).toMatchObject({
      owner: 'The commissioner',
      role: 'Controls (delivers it)',
      timescale: 'Short term (within a year)',
      status: 'Not started',
    });
    expect(c2).toMatchObject({
      owner: 'The chief constable',
      role: 'Influences (persuades others to deliver it)',
      timescale: 'Medium term (1 to 3 years)',
      status: 'At risk',
    });
    expect(c3).toMatchObject({
      owner: 'Northmoor Community Safety Partnership and Northmoor Youth Offending Service',
      partnerNames: ['Northmoor Community Safety Partnership', 'Northmoor Youth Offending Service'],
      timescale: 'By 31 March 2026',
    });
    expect(c4).toMatchObject({ owner: 'Not decided yet', role: 'Not decided yet', timescale: 'Not set' });
  });

  it('totals funding per year and across years, and lists grants with their priorities', () => {
    const tree = edition({
      priorities: [priority('p1', [], { title: 'Protect people' }), priority('p2', [], { title: 'Support victims' })],
      fundingYears: [
        { lineageId: 'f1', financialYear: '2025/26', precept: 15_000_000_000, governmentGrant: 20_000_000_050, other: 100 },
        { lineageId: 'f2', financialYear: '2026/27', precept: 16_000_000_000, governmentGrant: 20_500_000_000, other: 0 },
      ],
      grants: [
        {
          lineageId: 'g1',
          recipient: 'Victim Support',
          amount: 125_000_000,
          startsOn: '2025-04-01',
          endsOn: '2026-03-31',
          purpose: 'Help victims',
          conditions: 'Quarterly returns',
          priorityLineageIds: ['p2', 'p1'],
        },
        {
          lineageId: 'g2',
          recipient: 'Youth club',
          amount: 50_050,
          startsOn: null,
          endsOn: null,
          purpose: '',
          conditions: '',
          priorityLineageIds: ['gone'],
        },
      ],
    });
    const document = buildPlanDocument(tree, noInputs);
    expect(document.funding!.years[0]).toEqual({
      financialYear: '2025/26',
      precept: '£150,000,000',
      governmentGrant: '£200,000,000.50',
      other: '£1',
      total: '£350,000,001.50',
    });
    expect(document.funding!.total).toEqual({
      financialYear: 'Total',
      precept: '£310,000,000',
      governmentGrant: '£405,000,000.50',
      other: '£1',
      total: '£715,000,001.50',
    });
    expect(document.grants!.rows[0]).toEqual({
      recipient: 'Victim Support',
      amount: '£1,250,000',
      period: '1 April 2025 to 31 March 2026',
      purpose: 'Help victims',
      conditions: 'Quarterly returns',
      priorities: ['2. Support victims', '1. Protect people'],
    });
    expect(document.grants!.rows[1]).toMatchObject({ amount: '£500.50', period: 'Not set', priorities: [] });
    expect(document.grants!.total).toBe('£1,250,500.50');
  });

  it('has no funding or grants tables when there are none', () => {
    const document = buildPlanDocument(edition(), noInputs);
    expect(document.funding).toBeNull();
    expect(document.grants).toBeNull();
  });

  it('gives every statutory section and duty, in order, with the parts of the plan that meet a duty', () => {
    const tree = edition({
      priorities: [priority('p1', [objective('o1', [commitment('c1', { text: 'Fund advisers' })])])],
      statutorySections: [{ lineageId: 's1', kind: 'reporting', narrative: 'Monthly board' }],
      dutyStatements: [{ lineageId: 'd1', duty: 'equality', statement: 'We assessed it', elementLineageIds: ['c1', 'p1', 'gone'] }],
    });
    const document = buildPlanDocument(tree, noInputs);
    expect(document.sections.map((s) => [s.basis, s.narrative])).toEqual([
      ['PRSRA 2011 s.7(1)(b)', ''],
      ['PRSRA 2011 s.7(1)(c)', ''],
      ['PRSRA 2011 s.7(1)(d)', 'Monthly board'],
      ['PRSRA 2011 s.7(1)(e)', ''],
      ['PRSRA 2011 s.7(1)(f)', ''],
    ]);
    const equality = document.duties.find((d) => d.duty === 'equality')!;
    expect(equality).toMatchObject({
      statement: 'We assessed it',
      metBy: ['Commitment 1.1.1: Fund advisers', 'Priority 1: Priority p1'],
      basis: 'Equality Act 2010 s.149',
    });
    expect(document.duties).toHaveLength(5);
  });

  it('shows each SPR threat with the numbered elements that address it, or the explanation', () => {
    const tree = edition({
      priorities: [
        priority('p1', [objective('o1', [commitment('c1', { frameworkItemIds: ['t1'] })], { frameworkItemIds: ['t1'] })], {
          frameworkItemIds: ['t1'],
        }),
      ],
      sprExplanations: [{ frameworkItemId: 't2', explanation: 'Regional unit' }],
    });
    const document = buildPlanDocument(tree, {
      partnerNames: new Map(),
      sprThreats: [
        { id: 't1', title: 'Terrorism' },
        { id: 't2', title: 'Serious and organised crime' },
        { id: 't3', title: 'Public disorder' },
      ],
    });
    expect(document.spr).toEqual([
      {
        id: 't1',
        title: 'Terrorism',
        addressedBy: ['Priority 1: Priority p1', 'Objective 1.1: Objective o1', 'Commitment 1.1.1: Commitment c1'],
        explanation: '',
      },
      { id: 't2', title: 'Serious and organised crime', addressedBy: [], explanation: 'Regional unit' },
      { id: 't3', title: 'Public disorder', addressedBy: [], explanation: '' },
    ]);
  });
});
