import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { policingBodies } from '../organisations/organisations.tables.ts';
import { editions } from '../plans/plans.tables.ts';
import { approvalStages, lifecycleEvents, lifecycleStates } from '../../shared/lifecycle-states.ts';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/**
 * Every step an edition has taken through its statutory process, with who, when and the
 * evidence the step required (a consultation record, the date sent, a decision record...).
 */
export const editionTransitions = pgTable(
  'edition_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => editions.id, { onDelete: 'cascade' }),
    draftNumber: integer('draft_number').notNull(),
    event: text('event', { enum: lifecycleEvents }).notNull(),
    fromState: text('from_state', { enum: lifecycleStates }).notNull(),
    toState: text('to_state', { enum: lifecycleStates }).notNull(),
    // The date the step happened in the world (a consultation may be recorded days later).
    happenedOn: date('happened_on').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    statutoryBasis: text('statutory_basis').notNull().default(''),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorLabel: text('actor_label').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('edition_transitions_edition_idx').on(t.editionId, t.recordedAt),
    check('edition_transitions_event_check', sql`${t.event} in (${inList(lifecycleEvents)})`),
    check('edition_transitions_from_check', sql`${t.fromState} in (${inList(lifecycleStates)})`),
    check('edition_transitions_to_check', sql`${t.toState} in (${inList(lifecycleStates)})`),
  ],
);

/**
 * The exact text of each draft sent to the panel (s.5(6)(c)), kept so the issued plan can be
 * compared with what the panel saw (s.5(8): re-consult the chief constable if it changed).
 */
export const editionDrafts = pgTable(
  'edition_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => editions.id, { onDelete: 'cascade' }),
    draftNumber: integer('draft_number').notNull(),
    sentOn: date('sent_on').notNull(),
    reviewWindowEndsOn: date('review_window_ends_on').notNull(),
    // The edition as plan JSON (plan-v1) at the moment it was sent.
    snapshot: jsonb('snapshot').notNull(),
    completenessWaiver: text('completeness_waiver'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('edition_drafts_edition_draft_key').on(t.editionId, t.draftNumber),
    check('edition_drafts_window_check', sql`${t.reviewWindowEndsOn} >= ${t.sentOn}`),
  ],
);

/** The panel's report on a draft (s.28(3)): its date, summary, any resolution and vote. */
export const panelReports = pgTable(
  'panel_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => editions.id, { onDelete: 'cascade' }),
    draftNumber: integer('draft_number').notNull(),
    kind: text('kind', { enum: ['report', 'further_draft_request'] }).notNull(),
    receivedOn: date('received_on').notNull(),
    // The meeting (features/scrutiny) where the panel agreed it, when there was one.
    meetingId: uuid('meeting_id'),
    summary: text('summary').notNull().default(''),
    noRecommendations: boolean('no_recommendations').notNull().default(false),
    resolution: text('resolution').notNull().default(''),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    abstentions: integer('abstentions'),
    unanimous: boolean('unanimous').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('panel_reports_edition_draft_key').on(t.editionId, t.draftNumber),
    check('panel_reports_kind_check', sql`${t.kind} in ('report', 'further_draft_request')`),
    check(
      'panel_reports_votes_check',
      sql`coalesce(${t.votesFor}, 0) >= 0 and coalesce(${t.votesAgainst}, 0) >= 0 and coalesce(${t.abstentions}, 0) >= 0`,
    ),
  ],
);

/**
 * Per-body settings for the process and its calendar. The law sets no number of days for the
 * panel's review (s.5(7): "a reasonable amount of time"), so each body chooses its own.
 */
export const lifecycleSettings = pgTable(
  'lifecycle_settings',
  {
    policingBodyId: uuid('policing_body_id')
      .primaryKey()
      .references(() => policingBodies.id),
    panelReviewDays: integer('panel_review_days').notNull().default(28),
    responseDueDays: integer('response_due_days').notNull().default(28),
    actionReminderDays: integer('action_reminder_days').notNull().default(7),
    // The annual report meeting (s.28(4)); in practice June or July.
    annualReportMonth: integer('annual_report_month').notNull().default(7),
    // Quarterly performance reports to the panel fall due this many days after each quarter ends.
    quarterlyReportLagDays: integer('quarterly_report_lag_days').notNull().default(60),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('lifecycle_settings_days_check', sql`${t.panelReviewDays} between 1 and 365 and ${t.responseDueDays} between 1 and 365`),
    check('lifecycle_settings_reminder_check', sql`${t.actionReminderDays} between 0 and 90`),
    check('lifecycle_settings_month_check', sql`${t.annualReportMonth} between 1 and 12`),
    check('lifecycle_settings_lag_check', sql`${t.quarterlyReportLagDays} between 0 and 180`),
  ],
);

/** Optional internal approval steps a body requires (e.g. an internal board, seed 003). */
export const approvalSteps = pgTable(
  'approval_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    name: text('name').notNull(),
    requiredBefore: text('required_before', { enum: approvalStages }).notNull(),
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('approval_steps_body_name_key').on(t.policingBodyId, sql`lower(${t.name})`),
    check('approval_steps_stage_check', sql`${t.requiredBefore} in (${inList(approvalStages)})`),
  ],
);
