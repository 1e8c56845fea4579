import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { partners, policingBodies } from '../organisations/organisations.tables.ts';
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
} from './domain/plan-tree.ts';
import { lifecycleStates } from '../../shared/lifecycle-states.ts';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const versioned = () => integer('version').notNull().default(1);
const stamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
/** The same element across editions keeps its lineage id; `id` is this edition's copy. */
const lineage = () => uuid('lineage_id').notNull().defaultRandom();

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    title: text('title').notNull(),
    periodStartsOn: date('period_starts_on').notNull(),
    periodEndsOn: date('period_ends_on').notNull(),
    version: versioned(),
    ...stamps(),
  },
  (t) => [index('plans_policing_body_idx').on(t.policingBodyId), check('plans_period_check', sql`${t.periodEndsOn} > ${t.periodStartsOn}`)],
);

export const editions = pgTable(
  'editions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    label: text('label').notNull(),
    kind: text('kind', { enum: editionKinds }).notNull(),
    parentEditionId: uuid('parent_edition_id'),
    vision: text('vision').notNull().default(''),
    // A frozen edition is a record: nothing in it may change (the lifecycle freezes on issue).
    isFrozen: boolean('is_frozen').notNull().default(false),
    frozenAt: timestamp('frozen_at', { withTimezone: true }),
    // Where the edition is in its statutory process (features/lifecycle); changed only by a transition.
    lifecycleState: text('lifecycle_state', { enum: lifecycleStates }).notNull().default('drafting'),
    // A panel may ask for a further draft (s.28(3)); each draft sent to it gets the next number.
    draftNumber: integer('draft_number').notNull().default(1),
    // The plan period end this edition sets when it is issued (an addendum or variation may extend
    // the period, e.g. when PCC elections were postponed from May 2020 to May 2021).
    newPeriodEndsOn: date('new_period_ends_on'),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('editions_plan_number_key').on(t.planId, t.number),
    check('editions_kind_check', sql`${t.kind} in (${inList(editionKinds)})`),
    check('editions_lifecycle_state_check', sql`${t.lifecycleState} in (${inList(lifecycleStates)})`),
  ],
);

const editionRef = () =>
  uuid('edition_id')
    .notNull()
    .references(() => editions.id, { onDelete: 'cascade' });

export const priorities = pgTable(
  'priorities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    aim: text('aim').notNull().default(''),
    summary: text('summary').notNull().default(''),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('priorities_edition_lineage_key').on(t.editionId, t.lineageId),
    index('priorities_edition_idx').on(t.editionId, t.position),
  ],
);

export const objectives = pgTable(
  'objectives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    priorityId: uuid('priority_id')
      .notNull()
      .references(() => priorities.id, { onDelete: 'cascade' }),
    lineageId: lineage(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    intendedOutcome: text('intended_outcome').notNull().default(''),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('objectives_edition_lineage_key').on(t.editionId, t.lineageId),
    index('objectives_priority_idx').on(t.priorityId, t.position),
  ],
);

export const commitments = pgTable(
  'commitments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    objectiveId: uuid('objective_id')
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    lineageId: lineage(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    ownerKind: text('owner_kind', { enum: ownerKinds }),
    ownerRole: text('owner_role', { enum: ownerRoles }),
    timescale: text('timescale', { enum: timescales }),
    targetDate: date('target_date'),
    status: text('status', { enum: deliveryStatuses }).notNull().default('not_started'),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('commitments_edition_lineage_key').on(t.editionId, t.lineageId),
    index('commitments_objective_idx').on(t.objectiveId, t.position),
    check('commitments_owner_kind_check', sql`${t.ownerKind} is null or ${t.ownerKind} in (${inList(ownerKinds)})`),
    check('commitments_owner_role_check', sql`${t.ownerRole} is null or ${t.ownerRole} in (${inList(ownerRoles)})`),
    check('commitments_timescale_check', sql`${t.timescale} is null or ${t.timescale} in (${inList(timescales)})`),
    check('commitments_status_check', sql`${t.status} in (${inList(deliveryStatuses)})`),
    check('commitments_target_date_check', sql`(${t.timescale} = 'by_date') = (${t.targetDate} is not null)`),
  ],
);

export const commitmentPartners = pgTable(
  'commitment_partners',
  {
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => commitments.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
  },
  (t) => [primaryKey({ columns: [t.commitmentId, t.partnerId] })],
);

export const measures = pgTable(
  'measures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    priorityId: uuid('priority_id').references(() => priorities.id, { onDelete: 'cascade' }),
    objectiveId: uuid('objective_id').references(() => objectives.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    evidenceSource: text('evidence_source', { enum: evidenceSources }).notNull(),
    unit: text('unit').notNull(),
    polarity: text('polarity', { enum: polarities }).notNull(),
    baselineValue: numeric('baseline_value', { mode: 'number' }),
    baselinePeriod: text('baseline_period').notNull().default(''),
    targetValue: numeric('target_value', { mode: 'number' }),
    frequency: text('frequency', { enum: reportingFrequencies }).notNull(),
    owner: text('owner').notNull().default(''),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('measures_edition_lineage_key').on(t.editionId, t.lineageId),
    index('measures_edition_idx').on(t.editionId, t.position),
    // A measure belongs to exactly one priority or one objective.
    check('measures_parent_check', sql`(${t.priorityId} is null) <> (${t.objectiveId} is null)`),
    check('measures_evidence_source_check', sql`${t.evidenceSource} in (${inList(evidenceSources)})`),
    check('measures_polarity_check', sql`${t.polarity} in (${inList(polarities)})`),
    check('measures_frequency_check', sql`${t.frequency} in (${inList(reportingFrequencies)})`),
  ],
);

export const statutorySections = pgTable(
  'statutory_sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    kind: text('kind', { enum: statutorySectionKinds }).notNull(),
    narrative: text('narrative').notNull().default(''),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('statutory_sections_edition_kind_key').on(t.editionId, t.kind),
    check('statutory_sections_kind_check', sql`${t.kind} in (${inList(statutorySectionKinds)})`),
  ],
);

/** Resources provided to the chief constable, per financial year, in whole pence. */
export const fundingYears = pgTable(
  'funding_years',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    financialYear: text('financial_year').notNull(),
    precept: bigint('precept', { mode: 'number' }).notNull().default(0),
    governmentGrant: bigint('government_grant', { mode: 'number' }).notNull().default(0),
    other: bigint('other', { mode: 'number' }).notNull().default(0),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('funding_years_edition_year_key').on(t.editionId, t.financialYear),
    check('funding_years_year_check', sql`${t.financialYear} ~ '^[0-9]{4}/[0-9]{2}$'`),
  ],
);

export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    position: integer('position').notNull(),
    recipient: text('recipient').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    startsOn: date('starts_on'),
    endsOn: date('ends_on'),
    purpose: text('purpose').notNull().default(''),
    conditions: text('conditions').notNull().default(''),
    version: versioned(),
  },
  (t) => [uniqueIndex('grants_edition_lineage_key').on(t.editionId, t.lineageId), check('grants_amount_check', sql`${t.amount} >= 0`)],
);

/** Which priorities (by lineage, within the grant's edition) a grant serves. */
export const grantPriorities = pgTable(
  'grant_priorities',
  {
    grantId: uuid('grant_id')
      .notNull()
      .references(() => grants.id, { onDelete: 'cascade' }),
    priorityLineageId: uuid('priority_lineage_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.priorityLineageId] })],
);

export const dutyStatements = pgTable(
  'duty_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    lineageId: lineage(),
    duty: text('duty', { enum: dutyKinds }).notNull(),
    statement: text('statement').notNull().default(''),
    version: versioned(),
  },
  (t) => [
    uniqueIndex('duty_statements_edition_duty_key').on(t.editionId, t.duty),
    check('duty_statements_duty_check', sql`${t.duty} in (${inList(dutyKinds)})`),
  ],
);

/** Plan elements (by lineage) a duty statement points to as meeting the duty. */
export const dutyLinks = pgTable(
  'duty_links',
  {
    dutyStatementId: uuid('duty_statement_id')
      .notNull()
      .references(() => dutyStatements.id, { onDelete: 'cascade' }),
    elementLineageId: uuid('element_lineage_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dutyStatementId, t.elementLineageId] })],
);

/** National frameworks shipped with the service (policing_body_id null) and a body's own. */
export const frameworks = pgTable(
  'frameworks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id').references(() => policingBodies.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('frameworks_body_slug_key').on(sql`coalesce(${t.policingBodyId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.slug),
  ],
);

export const frameworkItems = pgTable(
  'framework_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('framework_items_framework_code_key').on(t.frameworkId, t.code)],
);

/** A priority, objective or commitment (by lineage) linked to a framework item, in one edition. */
export const frameworkLinks = pgTable(
  'framework_links',
  {
    editionId: editionRef(),
    elementLineageId: uuid('element_lineage_id').notNull(),
    frameworkItemId: uuid('framework_item_id')
      .notNull()
      .references(() => frameworkItems.id),
  },
  (t) => [
    primaryKey({ columns: [t.editionId, t.elementLineageId, t.frameworkItemId] }),
    index('framework_links_item_idx').on(t.frameworkItemId),
  ],
);

/** Why the plan does not address a Strategic Policing Requirement threat directly. */
export const sprExplanations = pgTable(
  'spr_explanations',
  {
    editionId: editionRef(),
    frameworkItemId: uuid('framework_item_id')
      .notNull()
      .references(() => frameworkItems.id),
    explanation: text('explanation').notNull(),
    version: versioned(),
  },
  (t) => [primaryKey({ columns: [t.editionId, t.frameworkItemId] })],
);

export const reviewDispositionKinds = ['carry_forward', 'amend', 'retire', 'new'] as const;

/**
 * A review board for a refresh (as the stakeholder workshop in seed 000 did): a disposition for
 * each objective and commitment of the edition being refreshed, applied to the new draft and kept.
 */
export const reviewBoards = pgTable(
  'review_boards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: editionRef(),
    sourceEditionId: uuid('source_edition_id')
      .notNull()
      .references(() => editions.id),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    notes: text('notes').notNull().default(''),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    appliedBy: text('applied_by'),
    version: versioned(),
    ...stamps(),
  },
  (t) => [uniqueIndex('review_boards_edition_key').on(t.editionId)],
);

export const reviewDispositions = pgTable(
  'review_dispositions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    boardId: uuid('board_id')
      .notNull()
      .references(() => reviewBoards.id, { onDelete: 'cascade' }),
    elementType: text('element_type', { enum: ['objective', 'commitment'] }).notNull(),
    // The element reviewed (null for a new one).
    lineageId: uuid('lineage_id'),
    // For a new element: the priority (for an objective) or objective (for a commitment) it goes under.
    parentLineageId: uuid('parent_lineage_id'),
    disposition: text('disposition', { enum: reviewDispositionKinds }).notNull(),
    wording: text('wording').notNull().default(''),
    rationale: text('rationale').notNull().default(''),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('review_dispositions_board_element_key').on(t.boardId, t.lineageId),
    check('review_dispositions_kind_check', sql`${t.disposition} in (${inList(reviewDispositionKinds)})`),
    check('review_dispositions_type_check', sql`${t.elementType} in ('objective', 'commitment')`),
    check('review_dispositions_new_check', sql`(${t.disposition} = 'new') = (${t.lineageId} is null)`),
  ],
);
