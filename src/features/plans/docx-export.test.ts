import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { editionToDocx, ownerLine } from './docx-export.ts';
import type { PlanJson } from './domain/plan-json.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const plan: PlanJson = {
  schema: 'https://plans.example.org/schema/plan-v1.json',
  schemaVersion: 1,
  plan: { title: 'Police and Crime Plan 2025–2029', periodStartsOn: '2025-04-01', periodEndsOn: '2029-03-31' },
  edition: { number: 1, label: '2025–29, edition 1', kind: 'new_plan', isFrozen: false },
  body: { name: 'Avon and Somerset PCC', forceAreaId: 'avon-and-somerset' },
  vision: 'A safer county.\nFor everyone.',
  priorities: [
    {
      lineageId: uuid(1),
      title: 'Protect people at risk',
      aim: 'Fewer victims',
      summary: '',
      frameworkItems: [{ framework: 'spr', code: 'SPR-1' }],
      objectives: [
        {
          lineageId: uuid(2),
          title: 'Reduce repeat victimisation',
          description: '',
          intendedOutcome: 'Fewer repeat victims',
          frameworkItems: [],
          commitments: [
            {
              lineageId: uuid(3),
              text: 'Fund advisers',
              ownerKind: 'chief_constable',
              partners: [],
              ownerRole: 'control',
              timescale: 'short',
              targetDate: null,
              status: 'in_progress',
              frameworkItems: [],
            },
            {
              lineageId: uuid(4),
              text: 'Work with councils',
              ownerKind: 'partners',
              partners: ['Bristol CSP', 'Somerset Council'],
              ownerRole: 'influence',
              timescale: 'by_date',
              targetDate: '2026-03-31',
              status: 'not_started',
              frameworkItems: [],
            },
          ],
        },
      ],
    },
  ],
  measures: [
    {
      lineageId: uuid(5),
      attachedTo: { kind: 'priority', lineageId: uuid(1) },
      name: 'Public confidence',
      description: '',
      evidenceSource: 'public_survey',
      unit: '%',
      polarity: 'higher_is_better',
      baselineValue: 72.5,
      baselinePeriod: '2024/25',
      targetValue: 75,
      frequency: 'quarterly',
      owner: '',
    },
    {
      lineageId: uuid(6),
      attachedTo: { kind: 'objective', lineageId: uuid(2) },
      name: 'Repeat victims',
      description: '',
      evidenceSource: 'performance_metric',
      unit: 'people',
      polarity: 'lower_is_better',
      baselineValue: null,
      baselinePeriod: '',
      targetValue: null,
      frequency: 'annually',
      owner: '',
    },
  ],
  statutorySections: [
    { lineageId: uuid(7), kind: 'resources', narrative: 'The budget.' },
    { lineageId: uuid(8), kind: 'grants_and_victims', narrative: '' },
  ],
  fundingYears: [{ lineageId: uuid(9), financialYear: '2025/26', precept: 12_500_000_50, governmentGrant: 20_000_000_00, other: 0 }],
  grants: [
    {
      lineageId: uuid(10),
      recipient: 'Victim Support',
      amount: 250_000_00,
      startsOn: '2025-04-01',
      endsOn: null,
      purpose: 'Victim services',
      conditions: '',
      priorityLineageIds: [uuid(1)],
    },
  ],
  dutyStatements: [{ lineageId: uuid(11), duty: 'equality', statement: 'We assessed equality impacts.', elementLineageIds: [] }],
  sprExplanations: [{ framework: 'spr', code: 'SPR-2', explanation: 'Met by the regional unit.' }],
};

const lookups = {
  frameworkTitle: (ref: { code: string }) => ({ 'SPR-1': 'Violence against women and girls', 'SPR-2': 'Terrorism' })[ref.code],
};

describe('editionToDocx', () => {
  it('makes a Word document with real headings, numbered commitments and tables', async () => {
    // mammoth maps Heading 1–6 by itself; Word's Title style needs saying.
    const { value: html, messages } = await mammoth.convertToHtml(
      { buffer: await editionToDocx(plan, lookups) },
      { styleMap: ["p[style-name='Title'] => h1.title:fresh"] },
    );
    expect(messages.filter((m) => m.type === 'warning')).toEqual([]);
    expect(html).toContain('<h1 class="title">Police and Crime Plan 2025–2029</h1>');
    const headings = (tag: string) => [...html.matchAll(new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`, 'g'))].map((m) => m[1]);
    expect(headings('h1')).toEqual([
      'Police and Crime Plan 2025–2029',
      'Vision',
      '1. Protect people at risk',
      'Resources provided to the chief constable',
      'Crime and disorder reduction grants and services for victims',
      'How the plan has regard to the commissioner’s duties',
      'Strategic Policing Requirement threats met elsewhere',
    ]);
    expect(headings('h2')).toEqual([
      '1.1 Reduce repeat victimisation',
      'Funding by financial year',
      'Crime and disorder reduction grants',
      'The public sector equality duty',
      'SPR-2 Terrorism',
    ]);
    expect(headings('h3')).toEqual(['Measures for priority 1']);
    const items = headings('li').map((item) => item!.replace(/<br \/>/g, ' | ').replace(/<[^>]+>/g, ''));
    expect(html).toContain('<ol><li>Fund advisers');
    expect(items).toEqual([
      'Fund advisers | Owner: The chief constable; controls. Status: In progress; short term (within a year).',
      'Work with councils | Owner: Bristol CSP, Somerset Council; influences. Status: Not started; by 31 March 2026.',
    ]);
    expect(headings('th').map((cell) => cell!.replace(/<[^>]+>/g, ''))).toEqual([
      'Measure',
      'For',
      'Evidence',
      'Unit',
      'Baseline',
      'Target',
      'Reported',
      'Financial year',
      'Precept',
      'Government grant',
      'Other',
      'Total',
      'Recipient',
      'Amount',
      'Period',
      'Purpose',
      'Priorities',
    ]);
    const cells = headings('td').map((cell) => cell!.replace(/<[^>]+>/g, ''));
    expect(cells).toEqual(
      expect.arrayContaining(['Public confidence', 'Priority 1', '72.5 (2024/25)', '75', 'Repeat victims', 'Objective 1.1']),
    );
    expect(cells).toEqual(
      expect.arrayContaining([
        '2025/26',
        '£12,500,000.50',
        '£20,000,000',
        '£32,500,000.50',
        'Victim Support',
        '£250,000',
        'from 1 April 2025',
      ]),
    );
    expect(html).toContain('<strong>Addresses: </strong>SPR-1 Violence against women and girls');
    expect(html).toContain('<p>A safer county.</p><p>For everyone.</p>');
  });
});

describe('the words of the Word document', () => {
  it('says who owns a commitment and whether they control or influence it', () => {
    const c = plan.priorities[0]!.objectives[0]!.commitments[0]!;
    expect(ownerLine({ ...c, ownerKind: null, ownerRole: null, timescale: null })).toBe(
      'Owner: not decided yet; role not decided yet. Status: In progress.',
    );
    expect(ownerLine({ ...c, ownerKind: 'pcc', ownerRole: 'influence', timescale: 'long' })).toBe(
      'Owner: The commissioner; influences. Status: In progress; long term (over the whole plan).',
    );
  });
});
