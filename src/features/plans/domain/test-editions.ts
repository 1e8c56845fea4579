import fc from 'fast-check';
import type { Commitment, EditionTree, Measure, Objective, Priority } from './plan-tree.ts';
import { emptyEdition } from './plan-tree.ts';

/** Small builders and fast-check arbitraries for plan editions, shared by the domain tests. */
export function commitment(lineageId: string, overrides: Partial<Commitment> = {}): Commitment {
  return {
    id: `id-${lineageId}`,
    lineageId,
    text: `Commitment ${lineageId}`,
    ownerKind: 'pcc',
    partnerIds: [],
    ownerRole: 'control',
    timescale: 'short',
    targetDate: null,
    status: 'not_started',
    frameworkItemIds: [],
    ...overrides,
  };
}

export function objective(lineageId: string, commitments: Commitment[] = [], overrides: Partial<Objective> = {}): Objective {
  return {
    id: `id-${lineageId}`,
    lineageId,
    title: `Objective ${lineageId}`,
    description: '',
    intendedOutcome: '',
    frameworkItemIds: [],
    commitments,
    ...overrides,
  };
}

export function priority(lineageId: string, objectives: Objective[] = [], overrides: Partial<Priority> = {}): Priority {
  return {
    id: `id-${lineageId}`,
    lineageId,
    title: `Priority ${lineageId}`,
    aim: '',
    summary: '',
    frameworkItemIds: [],
    objectives,
    ...overrides,
  };
}

export function measure(lineageId: string, attachedTo: Measure['attachedTo'], overrides: Partial<Measure> = {}): Measure {
  return {
    id: `id-${lineageId}`,
    lineageId,
    attachedTo,
    name: `Measure ${lineageId}`,
    description: '',
    evidenceSource: 'performance_metric',
    unit: 'count',
    polarity: 'lower_is_better',
    baselineValue: 100,
    baselinePeriod: '2024/25',
    targetValue: null,
    frequency: 'quarterly',
    owner: 'Chief Constable',
    ...overrides,
  };
}

export function edition(overrides: Partial<EditionTree> = {}): EditionTree {
  return { ...emptyEdition(), ...overrides };
}

const words = fc
  .array(fc.constantFrom('protect', 'the', 'most', 'vulnerable', 'from', 'harm', 'victims', 'police'), { maxLength: 6 })
  .map((w) => w.join(' '));

/** Editions whose elements draw lineage ids from small pools, so two of them overlap, move and differ. */
export const editionArbitrary: fc.Arbitrary<EditionTree> = fc
  .record({
    vision: words,
    priorityIds: fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3', 'p4'), { minLength: 1 }),
    objectiveIds: fc.uniqueArray(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5')),
    commitmentIds: fc.uniqueArray(fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6')),
    measureIds: fc.uniqueArray(fc.constantFrom('m1', 'm2', 'm3')),
    texts: fc.array(words, { minLength: 20, maxLength: 20 }),
    parents: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
    roles: fc.array(fc.constantFrom('control' as const, 'influence' as const, null), { minLength: 6, maxLength: 6 }),
  })
  .map(({ vision, priorityIds, objectiveIds, commitmentIds, measureIds, texts, parents, roles }) => {
    const priorities = priorityIds.map((id, i) => priority(id, [], { title: texts[i]! }));
    const objectives = objectiveIds.map((id, i) => {
      const o = objective(id, [], { title: texts[5 + i]! });
      priorities[parents[i]! % priorities.length]!.objectives.push(o);
      return o;
    });
    commitmentIds.forEach((id, i) => {
      if (objectives.length === 0) return;
      objectives[parents[5 + i]! % objectives.length]!.commitments.push(commitment(id, { text: texts[10 + i]!, ownerRole: roles[i]! }));
    });
    const measures = measureIds.map((id, i) =>
      measure(id, { kind: 'priority', lineageId: priorities[parents[12 + i]! % priorities.length]!.lineageId }, { name: texts[16 + i]! }),
    );
    return edition({ vision, priorities, measures });
  });
