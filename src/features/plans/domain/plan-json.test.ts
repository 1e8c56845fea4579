import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  planJsonToTree,
  editionToPlanJson,
  exportFileName,
  jsonPath,
  validatePlanJson,
  withEveryStatutoryPart,
  type PlanJsonHeader,
  type PlanJson,
} from './plan-json.ts';
import { planSchema } from './plan-schema.ts';
import { dutyKinds, statutorySectionKinds, type EditionTree } from './plan-tree.ts';
import { commitment, edition, editionArbitrary, measure, objective, priority } from './test-editions.ts';

/** Lineage ids are UUIDs in the database and the schema; the shared arbitrary uses short labels. */
const uuidOf = (label: string) => `00000000-0000-4000-8000-${Buffer.from(label).toString('hex').padStart(12, '0')}`;

const partners: Record<string, string> = { 'partner-a': 'Bristol Community Safety Partnership', 'partner-b': 'Avon Fire and Rescue' };
const frameworkItems: Record<string, { framework: string; code: string }> = {
  'item-1': { framework: 'strategic-policing-requirement-2023', code: 'SPR-1' },
  'item-2': { framework: 'strategic-policing-requirement-2023', code: 'SPR-2' },
  'item-10': { framework: 'national-crime-and-policing-measures', code: 'NCPM-10' },
};
const exportLookups = { partnerName: (id: string) => partners[id], frameworkItem: (id: string) => frameworkItems[id] };
const importLookups = {
  partnerIdByName: (name: string) => Object.entries(partners).find(([, n]) => n.toLowerCase() === name.trim().toLowerCase())?.[0],
  frameworkItemId: (ref: { framework: string; code: string }) =>
    Object.entries(frameworkItems).find(([, r]) => r.framework === ref.framework && r.code === ref.code)?.[0],
};

const header: PlanJsonHeader = {
  plan: {
    id: '11111111-1111-4111-8111-111111111111',
    title: 'Police and Crime Plan 2025–2029',
    periodStartsOn: '2025-04-01',
    periodEndsOn: '2029-03-31',
  },
  edition: { id: '22222222-2222-4222-8222-222222222222', number: 1, label: '2025–29, edition 1', kind: 'new_plan', isFrozen: false },
  body: { name: 'Avon and Somerset Police and Crime Commissioner', forceAreaId: 'avon-and-somerset' },
};
const schemaUrl = 'https://plans.example.org/schema/plan-v1.json';

/** A whole edition: every kind of element, partners, framework links, money and duties. */
function fullEdition(): EditionTree {
  const [p1, p2, o1, o2, c1, c2, m1, m2] = ['p1', 'p2', 'o1', 'o2', 'c1', 'c2', 'm1', 'm2'].map(uuidOf) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return edition({
    vision: 'A safer Avon and Somerset.',
    priorities: [
      priority(
        p1,
        [
          objective(
            o1,
            [
              commitment(c1, {
                ownerKind: 'partners',
                partnerIds: ['partner-a', 'partner-b'],
                ownerRole: 'influence',
                timescale: 'by_date',
                targetDate: '2026-03-31',
                frameworkItemIds: ['item-2', 'item-1'],
              }),
            ],
            { intendedOutcome: 'Fewer repeat victims' },
          ),
        ],
        {
          aim: 'Protect people',
          frameworkItemIds: ['item-10'],
        },
      ),
      priority(p2, [objective(o2, [commitment(c2, { status: 'in_progress' })])]),
    ],
    measures: [
      measure(m1, { kind: 'priority', lineageId: p1 }),
      measure(m2, { kind: 'objective', lineageId: o2 }, { baselineValue: 72.5, targetValue: 75, polarity: 'higher_is_better' }),
    ],
    statutorySections: [...statutorySectionKinds]
      .reverse()
      .map((kind, i) => ({ lineageId: uuidOf(`s${i}`), kind, narrative: `About ${kind}` })),
    fundingYears: [
      { lineageId: uuidOf('f2'), financialYear: '2026/27', precept: 13_000_000_00, governmentGrant: 21_000_000_00, other: 0 },
      { lineageId: uuidOf('f1'), financialYear: '2025/26', precept: 12_500_000_50, governmentGrant: 20_000_000_00, other: 1_000_00 },
    ],
    grants: [
      {
        lineageId: uuidOf('g1'),
        recipient: 'Victim Support',
        amount: 250_000_00,
        startsOn: '2025-04-01',
        endsOn: '2026-03-31',
        purpose: 'Victim services',
        conditions: '',
        priorityLineageIds: [p2, p1],
      },
    ],
    dutyStatements: dutyKinds.map((duty, i) => ({
      lineageId: uuidOf(`d${i}`),
      duty,
      statement: `We have regard to ${duty}`,
      elementLineageIds: i === 0 ? [o1, p1] : [],
    })),
    sprExplanations: [{ frameworkItemId: 'item-2', explanation: 'Met regionally' }],
  });
}

/** The same tree without per-edition ids and with sets in a fixed order, for comparison. */
function comparable(tree: EditionTree) {
  const set = (values: readonly string[]) => [...values].sort();
  return {
    ...tree,
    priorities: tree.priorities.map((p) => ({
      ...p,
      id: '',
      frameworkItemIds: set(p.frameworkItemIds),
      objectives: p.objectives.map((o) => ({
        ...o,
        id: '',
        frameworkItemIds: set(o.frameworkItemIds),
        commitments: o.commitments.map((c) => ({ ...c, id: '', partnerIds: set(c.partnerIds), frameworkItemIds: set(c.frameworkItemIds) })),
      })),
    })),
    measures: tree.measures.map((m) => ({ ...m, id: '' })),
    statutorySections: [...tree.statutorySections].sort((a, b) => a.kind.localeCompare(b.kind)),
    fundingYears: [...tree.fundingYears].sort((a, b) => a.financialYear.localeCompare(b.financialYear)),
    grants: tree.grants.map((g) => ({ ...g, priorityLineageIds: set(g.priorityLineageIds) })),
    dutyStatements: [...tree.dutyStatements]
      .sort((a, b) => a.duty.localeCompare(b.duty))
      .map((d) => ({ ...d, elementLineageIds: set(d.elementLineageIds) })),
    sprExplanations: [...tree.sprExplanations].sort((a, b) => a.frameworkItemId.localeCompare(b.frameworkItemId)),
  };
}

/** The shared arbitrary with UUID lineages, partners and framework links on its commitments; required texts filled as the forms require. */
const exportableEdition = editionArbitrary.chain((tree) => {
  const commitmentCount = tree.priorities.flatMap((p) => p.objectives.flatMap((o) => o.commitments)).length;
  return fc
    .record({
      partnerPicks: fc.array(fc.subarray(Object.keys(partners)), { minLength: commitmentCount, maxLength: commitmentCount }),
      itemPicks: fc.array(fc.subarray(Object.keys(frameworkItems)), { minLength: commitmentCount, maxLength: commitmentCount }),
    })
    .map(({ partnerPicks, itemPicks }) => {
      let n = 0;
      return edition({
        ...tree,
        priorities: tree.priorities.map((p) => ({
          ...p,
          lineageId: uuidOf(p.lineageId),
          title: p.title || 'A priority',
          objectives: p.objectives.map((o) => ({
            ...o,
            lineageId: uuidOf(o.lineageId),
            title: o.title || 'An objective',
            commitments: o.commitments.map((c) => {
              const i = n++;
              return {
                ...c,
                lineageId: uuidOf(c.lineageId),
                text: c.text || 'A commitment',
                partnerIds: partnerPicks[i]!,
                frameworkItemIds: itemPicks[i]!,
              };
            }),
          })),
        })),
        measures: tree.measures.map((m) => ({
          ...m,
          lineageId: uuidOf(m.lineageId),
          name: m.name || 'A measure',
          attachedTo: { ...m.attachedTo, lineageId: uuidOf(m.attachedTo.lineageId) },
        })),
      });
    });
});

describe('editionToPlanJson', () => {
  it('writes every part of the edition, names instead of internal ids, sets in a fixed order', () => {
    const document = editionToPlanJson(schemaUrl, header, fullEdition(), exportLookups);
    expect(document).toMatchObject({
      schema: schemaUrl,
      schemaVersion: 1,
      plan: header.plan,
      edition: header.edition,
      body: header.body,
      vision: 'A safer Avon and Somerset.',
    });
    const c1 = document.priorities[0]!.objectives[0]!.commitments[0]!;
    expect(c1.partners).toEqual(['Avon Fire and Rescue', 'Bristol Community Safety Partnership']);
    expect(c1.frameworkItems).toEqual([frameworkItems['item-1'], frameworkItems['item-2']]);
    expect(JSON.stringify(document)).not.toContain('partner-a');
    expect(document.statutorySections.map((s) => s.kind)).toEqual([...statutorySectionKinds]);
    expect(document.fundingYears.map((f) => f.financialYear)).toEqual(['2025/26', '2026/27']);
    expect(document.sprExplanations).toEqual([
      { framework: 'strategic-policing-requirement-2023', code: 'SPR-2', explanation: 'Met regionally' },
    ]);
    expect(document.measures[1]!.attachedTo).toEqual({ kind: 'objective', lineageId: uuidOf('o2') });
  });

  it('is valid plan-v1', () => {
    const result = validatePlanJson(JSON.parse(JSON.stringify(editionToPlanJson(schemaUrl, header, fullEdition(), exportLookups))));
    expect(result).toEqual({ ok: true, value: expect.anything() });
  });

  it('gives every edition a valid document that imports back to the same tree (property)', () => {
    fc.assert(
      fc.property(exportableEdition, (tree) => {
        const document = editionToPlanJson(schemaUrl, header, tree, exportLookups);
        const parsed = validatePlanJson(JSON.parse(JSON.stringify(document)));
        expect(parsed.ok ? [] : parsed.error).toEqual([]);
        const imported = planJsonToTree(document, importLookups);
        if (!imported.ok) throw new Error(JSON.stringify(imported.error));
        expect(comparable(imported.value.tree)).toEqual(comparable(tree));
        expect(editionToPlanJson(schemaUrl, header, imported.value.tree, exportLookups)).toEqual(document);
      }),
    );
  });

  it('imports the full edition back to the same tree and the same document', () => {
    const document = editionToPlanJson(schemaUrl, header, fullEdition(), exportLookups);
    const imported = planJsonToTree(document, importLookups);
    if (!imported.ok) throw new Error(JSON.stringify(imported.error));
    expect(imported.value.plan).toEqual({ title: header.plan.title, periodStartsOn: '2025-04-01', periodEndsOn: '2029-03-31' });
    expect(comparable(imported.value.tree)).toEqual(comparable(fullEdition()));
    expect(editionToPlanJson(schemaUrl, header, imported.value.tree, exportLookups)).toEqual(document);
  });
});

describe('validatePlanJson', () => {
  const valid = () =>
    JSON.parse(JSON.stringify(editionToPlanJson(schemaUrl, header, fullEdition(), exportLookups))) as Record<string, unknown> & PlanJson;

  it('refuses something that is not a plan-v1 object with one clear problem', () => {
    expect(validatePlanJson([])).toEqual({ ok: false, error: [{ path: '$', message: expect.stringContaining('one JSON object') }] });
    expect(validatePlanJson({ title: 'x' })).toEqual({
      ok: false,
      error: [{ path: '$.schemaVersion', message: expect.stringContaining('no schemaVersion') }],
    });
    expect(validatePlanJson({ ...valid(), schemaVersion: 2 })).toEqual({
      ok: false,
      error: [{ path: '$.schemaVersion', message: 'The file uses schema version 2; this service reads version 1' }],
    });
  });

  it('lists every structural problem with its JSON path', () => {
    const document = valid();
    document.priorities[0]!.title = 'x'.repeat(301);
    document.priorities[1]!.objectives[0]!.commitments[0]!.status = 'done' as never;
    document.measures[0]!.lineageId = 'not-a-uuid';
    delete (document.plan as Partial<PlanJson['plan']>).title;
    (document as Record<string, unknown>).colour = 'blue';
    document.fundingYears[0]!.precept = -1;
    document.grants[0]!.startsOn = '1 April 2025';
    const result = validatePlanJson(document);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.error;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.priorities[0].title', message: 'Must be 300 characters or fewer' },
        { path: '$.priorities[1].objectives[0].commitments[0].status', message: expect.stringContaining('Must be one of: "not_started"') },
        { path: '$.measures[0].lineageId', message: expect.stringContaining('Must be a UUID') },
        { path: '$.plan.title', message: 'Is missing' },
        { path: '$.colour', message: expect.stringContaining('Is not part of plan-v1') },
        { path: '$.fundingYears[0].precept', message: 'Must be at least 0' },
        { path: '$.grants[0].startsOn', message: expect.stringContaining('YYYY-MM-DD') },
      ]),
    );
  });

  it('gives the schema a title and description for every property', () => {
    const untitled: string[] = [];
    const walk = (schema: Record<string, unknown>, path: string) => {
      if (!schema.title || !schema.description) untitled.push(path);
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(child, `${path}.${name}`);
      if (schema.items) walk(schema.items as Record<string, unknown>, `${path}[]`);
    };
    const schema = planSchema('https://plans.example.org');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://plans.example.org/schema/plan-v1.json',
    });
    walk(schema, '$');
    expect(untitled).toEqual([]);
  });
});

describe('planJsonToTree', () => {
  const document = () => editionToPlanJson(schemaUrl, header, fullEdition(), exportLookups);
  const problemsOf = (d: PlanJson, lookups = importLookups) => {
    const result = planJsonToTree(d, lookups);
    return result.ok ? { problems: [], missingPartners: [] } : result.error;
  };

  it('refuses partners the body does not have, naming each once, and framework items this service does not know', () => {
    const refusal = problemsOf(document(), {
      ...importLookups,
      partnerIdByName: (name) => (name === 'Avon Fire and Rescue' ? 'partner-b' : undefined),
    });
    expect(refusal.missingPartners).toEqual(['Bristol Community Safety Partnership']);
    expect(refusal.problems).toEqual([
      {
        path: '$.priorities[0].objectives[0].commitments[0].partners[1]',
        message: 'Bristol Community Safety Partnership is not one of this body’s partner organisations',
      },
    ]);
    const unknownItem = problemsOf(document(), {
      ...importLookups,
      frameworkItemId: (ref) => (ref.code === 'SPR-2' ? undefined : importLookups.frameworkItemId(ref)),
    });
    expect(unknownItem.problems.map((p) => p.path)).toEqual([
      '$.priorities[0].objectives[0].commitments[0].frameworkItems[1]',
      '$.sprExplanations[0]',
    ]);
  });

  it('matches partner names ignoring case and spaces', () => {
    const d = document();
    d.priorities[0]!.objectives[0]!.commitments[0]!.partners = [' avon fire and rescue '];
    const result = planJsonToTree(d, importLookups);
    expect(result.ok && result.value.tree.priorities[0]!.objectives[0]!.commitments[0]!.partnerIds).toEqual(['partner-b']);
  });

  it('checks what the schema cannot: lineages, references, dates, each part once', () => {
    const d = document();
    d.priorities[1]!.lineageId = d.priorities[0]!.lineageId;
    d.measures[1]!.attachedTo = { kind: 'priority', lineageId: uuidOf('o2') };
    d.priorities[0]!.objectives[0]!.commitments[0]!.targetDate = '2026-02-30';
    d.priorities[1]!.objectives[0]!.commitments[0]!.timescale = 'by_date';
    d.plan.periodEndsOn = '2025-01-01';
    d.statutorySections[1]!.kind = 'policing_provided';
    d.grants[0]!.priorityLineageIds = [uuidOf('nowhere')];
    d.dutyStatements[0]!.elementLineageIds = [uuidOf('c1')];
    const paths = problemsOf(d).problems.map((p) => p.path);
    expect(paths).toEqual([
      '$.plan.periodEndsOn',
      '$.priorities[0].objectives[0].commitments[0].targetDate',
      '$.priorities[1].lineageId',
      '$.priorities[1].objectives[0].commitments[0].targetDate',
      '$.measures[1].attachedTo.lineageId',
      '$.grants[0].priorityLineageIds[0]',
      '$.dutyStatements[0].elementLineageIds[0]',
      '$.statutorySections[1].kind',
    ]);
  });

  it('adds the statutory sections and duties a document leaves out, empty, keeping those it has', () => {
    let n = 0;
    const tree = withEveryStatutoryPart(
      edition({ statutorySections: [{ lineageId: 'kept', kind: 'resources', narrative: 'Money' }] }),
      () => `new-${++n}`,
    );
    expect(tree.statutorySections.map((s) => [s.kind, s.lineageId])).toEqual([
      ['resources', 'kept'],
      ['policing_provided', 'new-1'],
      ['reporting', 'new-2'],
      ['performance', 'new-3'],
      ['grants_and_victims', 'new-4'],
    ]);
    expect(tree.dutyStatements.map((d) => d.duty)).toEqual([...dutyKinds]);
  });
});

describe('names and paths', () => {
  it('turns JSON pointers into JSON paths', () => {
    expect(jsonPath('')).toBe('$');
    expect(jsonPath('/priorities/0/objectives/12/title')).toBe('$.priorities[0].objectives[12].title');
    expect(jsonPath('/odd key~1x')).toBe('$["odd key/x"]');
  });

  it('names export files after the plan title and edition', () => {
    expect(exportFileName('Police and Crime Plan 2025–2029', 2, 'json')).toBe('police-and-crime-plan-2025-2029-edition-2.json');
    expect(exportFileName('Cynllun Heddlu a Throseddu – Gwent’s plan', 1, 'docx')).toBe(
      'cynllun-heddlu-a-throseddu-gwent-s-plan-edition-1.docx',
    );
    expect(exportFileName('“”', 1, 'json')).toBe('plan-edition-1.json');
  });
});
