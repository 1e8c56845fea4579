import {
  deliveryStatuses,
  dutyKinds,
  editionKinds,
  evidenceSources,
  ownerKinds,
  ownerRoles,
  polarities,
  reportingFrequencies,
  statutorySectionKinds,
  timescales,
} from './plan-tree.ts';

/**
 * The open, versioned JSON format for one edition of a Police and Crime Plan (JSON Schema draft
 * 2020-12). Exports follow it and imports are checked against it. A change that an older reader
 * could not read makes plan-v2; version 1 only ever gains optional, ignorable detail.
 */
export const PLAN_SCHEMA_VERSION = 1;
export const PLAN_SCHEMA_PATH = '/schema/plan-v1.json';

/** Patterns the schema uses, named so validation messages can say what was expected. */
export const patterns = {
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  date: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  financialYear: '^[0-9]{4}/[0-9]{2}$',
  schemaUrl: '/schema/plan-v1\\.json$',
} as const;

/** Limits match the service's own forms, so anything exported can be imported again. */
export const limits = {
  planTitle: 200,
  vision: 10000,
  priorityTitle: 300,
  aim: 2000,
  summary: 10000,
  objectiveTitle: 500,
  objectiveDescription: 10000,
  intendedOutcome: 2000,
  commitmentText: 2000,
  partnerName: 200,
  measureName: 300,
  measureDescription: 5000,
  unit: 100,
  baselinePeriod: 100,
  measureOwner: 200,
  narrative: 20000,
  recipient: 300,
  grantText: 5000,
  priorities: 50,
  objectivesPerPriority: 50,
  commitmentsPerObjective: 200,
  measures: 1000,
  grants: 500,
  fundingYears: 20,
  links: 100,
  partnersPerCommitment: 50,
  /** The largest whole number of pence JSON numbers carry exactly. */
  pence: Number.MAX_SAFE_INTEGER,
} as const;

type Schema = Record<string, unknown>;

const field = (title: string, description: string, schema: Schema): Schema => ({ title, description, ...schema });
const text = (title: string, description: string, maxLength: number, minLength = 0): Schema =>
  field(title, description, { type: 'string', maxLength, ...(minLength ? { minLength } : {}) });
const choice = (title: string, description: string, values: readonly string[], isNullable = false): Schema =>
  field(title, description, isNullable ? { type: ['string', 'null'], enum: [...values, null] } : { type: 'string', enum: [...values] });
const object = (title: string, description: string, properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
  title,
  description,
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
const list = (title: string, description: string, items: Schema, maxItems: number, isUnique = false): Schema =>
  field(title, description, { type: 'array', maxItems, items, ...(isUnique ? { uniqueItems: true } : {}) });
const lineageId = (what: string): Schema =>
  field(
    'Lineage id',
    `Identifies this ${what} across the editions of a plan: the same ${what} keeps its lineage id when the plan is refreshed or varied, and an import keeps it too, so two exports can be compared element by element.`,
    { type: 'string', pattern: patterns.uuid },
  );
const lineageIds = (title: string, description: string) =>
  list(
    title,
    description,
    field('Lineage id', 'The lineage id of an element in this document.', { type: 'string', pattern: patterns.uuid }),
    limits.links,
    true,
  );
const date = (title: string, description: string, isNullable = false): Schema =>
  field(title, `${description} An ISO 8601 calendar date, YYYY-MM-DD.`, {
    type: isNullable ? ['string', 'null'] : 'string',
    pattern: patterns.date,
  });
const pence = (title: string, description: string): Schema =>
  field(title, `${description} In whole pence, so sums are exact: £1,250.50 is 125050.`, {
    type: 'integer',
    minimum: 0,
    maximum: limits.pence,
  });

const frameworkReference = object(
  'Framework item',
  'A requirement of a national or local framework (such as a Strategic Policing Requirement threat), named by its framework and code rather than an internal id.',
  {
    framework: text('Framework', 'The framework’s short name (slug), for example "strategic-policing-requirement-2023".', 100, 1),
    code: text('Code', 'The item’s code within its framework, for example "SPR-1".', 50, 1),
  },
);
const frameworkItems = list('Framework items', 'Framework requirements this element addresses.', frameworkReference, limits.links);

const commitment = object('Commitment', 'Something the plan says will be done, with who owns it.', {
  lineageId: lineageId('commitment'),
  text: text('Text', 'What will be done, as the plan states it.', limits.commitmentText, 1),
  ownerKind: choice(
    'Owner',
    'Who owns the commitment: the commissioner (pcc), the chief constable, or named partner organisations. Null when not decided yet.',
    ownerKinds,
    true,
  ),
  partners: list(
    'Partner organisations',
    'The names of the partner organisations that own the commitment. An import matches them, ignoring case, to the body’s partner organisations, which must exist first.',
    text('Partner name', 'The name of one partner organisation.', limits.partnerName, 1),
    limits.partnersPerCommitment,
    true,
  ),
  ownerRole: choice(
    'Role',
    'Control: the owner delivers it. Influence: the owner persuades others to. Null when not decided yet.',
    ownerRoles,
    true,
  ),
  timescale: choice(
    'Timescale',
    'Short (within a year), medium (1 to 3 years), long (the whole plan) or by a target date. Null when not decided yet.',
    timescales,
    true,
  ),
  targetDate: date('Target date', 'When it is due: required when the timescale is by_date, and null otherwise.', true),
  status: choice('Delivery status', 'How delivery is going.', deliveryStatuses),
  frameworkItems,
});

const objective = object('Objective', 'A police and crime objective (PRSRA 2011 s.7(1)(a)) under a priority.', {
  lineageId: lineageId('objective'),
  title: text('Title', 'The objective, as the plan states it.', limits.objectiveTitle, 1),
  description: text('Description', 'More about the objective; may be empty.', limits.objectiveDescription),
  intendedOutcome: text('Intended outcome', 'What will be different if the objective is met; may be empty.', limits.intendedOutcome),
  frameworkItems,
  commitments: list('Commitments', 'The commitments that deliver the objective, in order.', commitment, limits.commitmentsPerObjective),
});

const priority = object('Priority', 'One of the plan’s priorities, in the order the plan gives them.', {
  lineageId: lineageId('priority'),
  title: text('Title', 'The priority, as the plan states it.', limits.priorityTitle, 1),
  aim: text('Aim', 'What the priority aims to achieve; may be empty.', limits.aim),
  summary: text('Summary', 'A short explanation of the priority; may be empty.', limits.summary),
  frameworkItems,
  objectives: list('Objectives', 'The objectives under this priority, in order.', objective, limits.objectivesPerPriority),
});

const measure = object('Measure', 'How progress is measured, attached to one priority or one objective.', {
  lineageId: lineageId('measure'),
  attachedTo: object('Attached to', 'The priority or objective (by lineage id, in this document) the measure belongs to.', {
    kind: choice('Kind', 'Whether the measure belongs to a priority or an objective.', ['priority', 'objective']),
    lineageId: field('Lineage id', 'The lineage id of that priority or objective.', { type: 'string', pattern: patterns.uuid }),
  }),
  name: text('Name', 'What is measured.', limits.measureName, 1),
  description: text('Description', 'More about the measure; may be empty.', limits.measureDescription),
  evidenceSource: choice('Evidence source', 'Where the evidence comes from.', evidenceSources),
  unit: text('Unit', 'The unit, for example "%" or "crimes per 1,000 people".', limits.unit, 1),
  polarity: choice('Polarity', 'Whether a higher or a lower value is better.', polarities),
  baselineValue: field('Baseline value', 'The starting value, or null if there is none.', { type: ['number', 'null'] }),
  baselinePeriod: text('Baseline period', 'The period the baseline is for, for example "2024/25"; may be empty.', limits.baselinePeriod),
  targetValue: field('Target value', 'The value aimed for, or null if there is no numeric target.', { type: ['number', 'null'] }),
  frequency: choice('Reporting frequency', 'How often the measure is reported.', reportingFrequencies),
  owner: text('Owner', 'Who reports the measure; may be empty.', limits.measureOwner),
});

const statutorySection = object('Statutory section', 'One of the contents PRSRA 2011 s.7(1)(b) to (f) requires, as narrative.', {
  lineageId: lineageId('section'),
  kind: choice('Kind', 'Which s.7(1) item the section covers; each appears at most once.', statutorySectionKinds),
  narrative: text('Narrative', 'The text of the section; may be empty in a draft.', limits.narrative),
});

const fundingYear = object('Funding year', 'Resources provided to the chief constable in one financial year (PRSRA 2011 s.7(1)(c)).', {
  lineageId: lineageId('funding year'),
  financialYear: field('Financial year', 'The financial year, for example "2025/26"; each appears at most once.', {
    type: 'string',
    pattern: patterns.financialYear,
  }),
  precept: pence('Precept', 'Funding from the police precept.'),
  governmentGrant: pence('Government grant', 'Funding from central government grants.'),
  other: pence('Other', 'Funding from other sources.'),
});

const grant = object('Grant', 'A crime and disorder reduction grant the commissioner makes (PRSRA 2011 s.7(1)(f), s.9).', {
  lineageId: lineageId('grant'),
  recipient: text('Recipient', 'Who receives the grant.', limits.recipient, 1),
  amount: pence('Amount', 'The amount of the grant.'),
  startsOn: date('Starts on', 'When the grant starts, or null.', true),
  endsOn: date('Ends on', 'When the grant ends, or null.', true),
  purpose: text('Purpose', 'What the grant is for; may be empty.', limits.grantText),
  conditions: text('Conditions', 'Conditions attached to the grant; may be empty.', limits.grantText),
  priorityLineageIds: lineageIds('Priorities', 'Lineage ids of the priorities (in this document) the grant serves.'),
});

const dutyStatement = object(
  'Duty statement',
  'How the plan has regard to a duty the commissioner must have regard to when issuing or varying a plan.',
  {
    lineageId: lineageId('duty statement'),
    duty: choice('Duty', 'Which duty; each appears at most once.', dutyKinds),
    statement: text('Statement', 'What the plan does about the duty; may be empty in a draft.', limits.narrative),
    elementLineageIds: lineageIds('Plan elements', 'Lineage ids of the priorities and objectives (in this document) that meet the duty.'),
  },
);

const sprExplanation = object(
  'Strategic Policing Requirement explanation',
  'Why the plan does not address a Strategic Policing Requirement threat directly (PRSRA 2011 s.5(5)).',
  {
    framework: text('Framework', 'The framework’s short name (slug).', 100, 1),
    code: text('Code', 'The threat’s code within its framework.', 50, 1),
    explanation: text('Explanation', 'How the threat is met, for example regionally or nationally.', limits.narrative),
  },
);

/** The schema document, with `$id` the address this deployment serves it from. */
export function planSchema(baseUrl: string): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${baseUrl}${PLAN_SCHEMA_PATH}`,
    ...object(
      'Police and Crime Plan edition, version 1',
      'One edition of a Police and Crime Plan for a Police and Crime Commissioner (or equivalent) in England and Wales, as structured data. ' +
        'Internal ids of partner organisations and framework items are not included: partners are named, framework items are given by framework and code. ' +
        'Every element carries a lineage id that stays the same across editions, so two exports can be compared. ' +
        'Importing a document makes a new plan whose first draft edition keeps these lineage ids, so the imported draft can be compared with its source; the plan and edition ids are new.',
      {
        schema: field('Schema', 'The address of this schema, ending /schema/plan-v1.json.', {
          type: 'string',
          maxLength: 500,
          pattern: patterns.schemaUrl,
        }),
        schemaVersion: field('Schema version', 'Always 1 for this version of the format.', { const: PLAN_SCHEMA_VERSION }),
        plan: object(
          'Plan',
          'The plan the edition belongs to.',
          {
            id: field('Plan id', 'The plan’s id in the service it was exported from. Ignored on import: the imported plan gets a new id.', {
              type: 'string',
              pattern: patterns.uuid,
            }),
            title: text('Title', 'The title of the plan.', limits.planTitle, 1),
            periodStartsOn: date('Period starts on', 'The first day of the plan period.'),
            periodEndsOn: date('Period ends on', 'The last day of the plan period; after the first.'),
          },
          ['id'],
        ),
        edition: object(
          'Edition',
          'Which edition of the plan this is. Informational: an import always makes edition 1, a new plan.',
          {
            id: field('Edition id', 'The edition’s id in the service it was exported from. Ignored on import.', {
              type: 'string',
              pattern: patterns.uuid,
            }),
            number: field('Number', 'The edition number within the plan, from 1.', { type: 'integer', minimum: 1 }),
            label: text('Label', 'How the office names the edition, for example "2025–29, edition 1".', 200),
            kind: choice('Kind', 'A new plan, a refresh, a variation or an addendum.', editionKinds),
            isFrozen: field('Is frozen', 'True when the edition has been issued and can no longer change; false for a draft.', {
              type: 'boolean',
            }),
          },
          ['id'],
        ),
        body: object(
          'Policing body',
          'The body that made the plan. Informational: an import adds the plan to the body it is imported into.',
          {
            name: text('Name', 'The name of the policing body.', 200),
            forceAreaId: text('Force area', 'The police force area, for example "avon-and-somerset".', 100),
          },
        ),
        vision: text('Vision', 'The commissioner’s vision or foreword; may be empty.', limits.vision),
        priorities: list(
          'Priorities',
          'The plan’s priorities, each with its objectives and their commitments, in order.',
          priority,
          limits.priorities,
        ),
        measures: list('Measures', 'How progress is measured, in order.', measure, limits.measures),
        statutorySections: list(
          'Statutory sections',
          'The contents PRSRA 2011 s.7(1)(b) to (f) requires.',
          statutorySection,
          statutorySectionKinds.length,
        ),
        fundingYears: list(
          'Funding years',
          'Resources provided to the chief constable, by financial year.',
          fundingYear,
          limits.fundingYears,
        ),
        grants: list('Grants', 'Crime and disorder reduction grants, in order.', grant, limits.grants),
        dutyStatements: list('Duty statements', 'How the plan has regard to each duty.', dutyStatement, dutyKinds.length),
        sprExplanations: list(
          'Strategic Policing Requirement explanations',
          'Explanations for threats the plan does not address directly.',
          sprExplanation,
          limits.links,
        ),
      },
    ),
  };
}
