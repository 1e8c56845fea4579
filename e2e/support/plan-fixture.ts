import { randomUUID } from 'node:crypto';

/**
 * A complete Devon and Cornwall plan as a plan-v1 JSON document (the service's own open format,
 * /schema/plan-v1.json), for journeys that need a plan to take through its statutory process
 * without typing one in. It passes the statutory completeness check: five priorities, each with
 * an objective, an owned commitment and a measure; every s.7(1) section; a funding year; every
 * "have regard to" statement; and an explanation for each threat of the Strategic Policing
 * Requirement. Fresh lineage ids each time, so two imports never share an element.
 */
export const priorities = [
  'Connecting communities and policing',
  'Preventing and deterring crime',
  'Protecting people at risk of abuse and those who are vulnerable',
  'Supporting victims and witnesses and helping them to get justice',
  'Getting the best out of the police',
] as const;

const objectives = [
  'Keep neighbourhood policing visible and accessible in every community',
  'Reduce repeat offending through early intervention',
  'Reduce repeat victimisation of domestic abuse',
  'Give every victim the support set out in the Victims’ Code',
  'Make the force efficient, effective and legitimate',
];

/** A measure as plan-v1 JSON holds it, less its lineage and the priority it is attached to. */
export type MeasureFixture = {
  name: string;
  evidenceSource: string;
  unit: string;
  polarity: string;
  frequency?: 'monthly' | 'quarterly' | 'annually';
  targetValue?: number | null;
  baselineValue?: number | null;
  baselinePeriod?: string;
  owner?: string;
  description?: string;
};

/**
 * What a journey may change in the plan: a measure's fields by its name, and measures added to a
 * priority (by its number, from 1). Without options the plan is exactly as before.
 */
export type PlanFixtureOptions = {
  measureChanges?: Record<string, Partial<MeasureFixture>>;
  extraMeasures?: (MeasureFixture & { priority: number })[];
};

const measures: MeasureFixture[] = [
  {
    name: 'Percentage of people who say the police do a good job in their area',
    evidenceSource: 'public_survey',
    unit: '%',
    polarity: 'higher_is_better',
  },
  {
    name: 'Recorded crime per 1,000 people',
    evidenceSource: 'performance_metric',
    unit: 'crimes per 1,000 people',
    polarity: 'lower_is_better',
  },
  { name: 'Victims satisfied with the whole experience', evidenceSource: 'victim_survey', unit: '%', polarity: 'higher_is_better' },
  { name: '101 calls answered within the service standard', evidenceSource: 'service_standard', unit: '%', polarity: 'higher_is_better' },
  { name: 'HMICFRS PEEL grading for efficiency', evidenceSource: 'hmicfrs_inspection', unit: 'grade', polarity: 'higher_is_better' },
];

const sprThreats = ['vawg', 'terrorism', 'serious-organised-crime', 'cyber', 'child-sexual-abuse', 'public-disorder', 'civil-emergencies'];

export type PlanPeriod = { title: string; startsOn: string; endsOn: string };

/** The plan period around today: from 1 April of this financial year, for four years, so an issued plan is in force. */
export function currentPlanPeriod(today = new Date()): PlanPeriod {
  const year = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  return {
    title: `Police and Crime Plan ${year}–${String(year + 4).slice(2)}`,
    startsOn: `${year}-04-01`,
    endsOn: `${year + 4}-03-31`,
  };
}

/** How the service labels an edition of a plan with this period, like "2026–30, edition 1". */
export function editionLabel(period: PlanPeriod, number: number): string {
  return `${period.startsOn.slice(0, 4)}–${period.endsOn.slice(2, 4)}, edition ${number}`;
}

export function devonAndCornwallPlanJson(period: PlanPeriod, options: PlanFixtureOptions = {}): string {
  const priorityIds = priorities.map(() => randomUUID());
  const planMeasures = [
    ...measures.map((measure, i) => ({ ...measure, ...options.measureChanges?.[measure.name], priority: i + 1 })),
    ...(options.extraMeasures ?? []),
  ];
  const document = {
    schema: 'https://example.org/schema/plan-v1.json',
    schemaVersion: 1,
    plan: { title: period.title, periodStartsOn: period.startsOn, periodEndsOn: period.endsOn },
    edition: { number: 1, label: 'Edition 1', kind: 'new_plan', isFrozen: false },
    body: { name: 'Police and Crime Commissioner for Devon and Cornwall', forceAreaId: 'devon-and-cornwall' },
    vision: 'Safe, resilient and connected communities.',
    priorities: priorities.map((title, i) => ({
      lineageId: priorityIds[i],
      title,
      aim: '',
      summary: '',
      frameworkItems: [],
      objectives: [
        {
          lineageId: randomUUID(),
          title: objectives[i],
          description: '',
          intendedOutcome: '',
          frameworkItems: [],
          commitments: [
            {
              lineageId: randomUUID(),
              text: `We will report on “${objectives[i]}” to the panel every quarter`,
              ownerKind: i % 2 === 0 ? 'pcc' : 'chief_constable',
              partners: [],
              ownerRole: 'control',
              timescale: 'long',
              targetDate: null,
              status: 'not_started',
              frameworkItems: [],
            },
          ],
        },
      ],
    })),
    measures: planMeasures.map(({ priority, ...measure }) => ({
      lineageId: randomUUID(),
      attachedTo: { kind: 'priority', lineageId: priorityIds[priority - 1] },
      description: '',
      baselineValue: null,
      baselinePeriod: '',
      targetValue: null,
      frequency: 'annually',
      owner: '',
      ...measure,
    })),
    statutorySections: [
      [
        'policing_provided',
        'The chief constable provides neighbourhood, response and specialist policing across Devon, Cornwall and the Isles of Scilly.',
      ],
      ['resources', 'The commissioner sets the budget and the precept each year.'],
      ['reporting', 'The chief constable reports to the commissioner at the monthly accountability board, in public.'],
      [
        'performance',
        'Performance is measured by public and victim surveys, performance metrics, service standards and HMICFRS inspections.',
      ],
      ['grants_and_victims', 'The commissioner funds community safety partnerships and commissions services for victims and witnesses.'],
    ].map(([kind, narrative]) => ({ lineageId: randomUUID(), kind, narrative })),
    fundingYears: [
      {
        lineageId: randomUUID(),
        financialYear: `${period.startsOn.slice(0, 4)}/${String(Number(period.startsOn.slice(0, 4)) + 1).slice(2)}`,
        precept: 9_800_000_000,
        governmentGrant: 18_700_000_000,
        other: 0,
      },
    ],
    grants: [],
    dutyStatements: [
      'strategic_policing_requirement',
      'responsible_authorities',
      'victims_and_public_views',
      'safeguarding_children',
      'equality',
    ].map((duty) => ({ lineageId: randomUUID(), duty, statement: 'The plan was prepared with this duty in mind.', elementLineageIds: [] })),
    sprExplanations: sprThreats.map((code) => ({
      framework: 'strategic-policing-requirement-2023',
      code,
      explanation: 'Met through the regional organised crime unit and national arrangements.',
    })),
  };
  return JSON.stringify(document, null, 2);
}
