import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { policingBodies, scrutinyBodies } from '../organisations/organisations.tables.ts';
import { editions } from '../plans/plans.tables.ts';
import {
  actionStatuses,
  attendanceKinds,
  documentMediaTypes,
  meetingKinds,
  panelMemberKinds,
  panelMemberRoles,
  recommendationSources,
  responseStatuses,
} from './domain/kinds.ts';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const versioned = () => integer('version').notNull().default(1);
const stamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const scrutinyBodyRef = () =>
  uuid('scrutiny_body_id')
    .notNull()
    .references(() => scrutinyBodies.id);

/** Councillors and independent co-opted members (Sch.6), with their roles over time. */
export const panelMembers = pgTable(
  'panel_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scrutinyBodyId: scrutinyBodyRef(),
    name: text('name').notNull(),
    kind: text('kind', { enum: panelMemberKinds }).notNull(),
    council: text('council').notNull().default(''),
    party: text('party').notNull().default(''),
    role: text('role', { enum: panelMemberRoles }).notNull().default('member'),
    // Themes this member is the panel's link member for (e.g. "Violence against women and girls").
    linkThemes: text('link_themes').notNull().default(''),
    email: text('email'),
    userId: uuid('user_id').references(() => users.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on'),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    index('panel_members_body_idx').on(t.scrutinyBodyId),
    check('panel_members_kind_check', sql`${t.kind} in (${inList(panelMemberKinds)})`),
    check('panel_members_role_check', sql`${t.role} in (${inList(panelMemberRoles)})`),
    check('panel_members_period_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    check('panel_members_council_check', sql`${t.kind} <> 'councillor' or ${t.council} <> ''`),
  ],
);

export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scrutinyBodyId: scrutinyBodyRef(),
    kind: text('kind', { enum: meetingKinds }).notNull(),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    // Local wall-clock time, HH:MM.
    startsAt: text('starts_at').notNull().default(''),
    place: text('place').notNull().default(''),
    onlineLink: text('online_link'),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    index('meetings_body_idx').on(t.scrutinyBodyId, t.heldOn),
    check('meetings_kind_check', sql`${t.kind} in (${inList(meetingKinds)})`),
    check('meetings_starts_at_check', sql`${t.startsAt} = '' or ${t.startsAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    panelMemberId: uuid('panel_member_id')
      .notNull()
      .references(() => panelMembers.id),
    attendance: text('attendance', { enum: attendanceKinds }).notNull(),
    declarationOfInterest: text('declaration_of_interest').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.panelMemberId] }),
    check('meeting_attendance_kind_check', sql`${t.attendance} in (${inList(attendanceKinds)})`),
  ],
);

export const agendaItems = pgTable(
  'agenda_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    purpose: text('purpose').notNull().default(''),
    editionId: uuid('edition_id').references(() => editions.id),
    minutes: text('minutes').notNull().default(''),
    version: versioned(),
    ...stamps(),
  },
  (t) => [index('agenda_items_meeting_idx').on(t.meetingId, t.position)],
);

/** Measures an agenda item reports on, by lineage so the link survives new editions. */
export const agendaItemMeasures = pgTable(
  'agenda_item_measures',
  {
    agendaItemId: uuid('agenda_item_id')
      .notNull()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    measureLineageId: uuid('measure_lineage_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agendaItemId, t.measureLineageId] })],
);

/** Report documents for an agenda item; type and size are checked before they are stored. */
export const agendaDocuments = pgTable(
  'agenda_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agendaItemId: uuid('agenda_item_id')
      .notNull()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type', { enum: documentMediaTypes }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agenda_documents_item_idx').on(t.agendaItemId),
    check('agenda_documents_media_type_check', sql`${t.mediaType} in (${inList(documentMediaTypes)})`),
    check('agenda_documents_size_check', sql`${t.sizeBytes} > 0`),
  ],
);

export const resolutions = pgTable(
  'resolutions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agendaItemId: uuid('agenda_item_id')
      .notNull()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    // Null counts: no vote was taken (agreed by consent).
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    abstentions: integer('abstentions'),
    unanimous: boolean('unanimous').notNull().default(false),
    // A panel's "endorsement" of a plan is local practice and never required (s.28: no veto).
    isEndorsement: boolean('is_endorsement').notNull().default(false),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    index('resolutions_item_idx').on(t.agendaItemId, t.position),
    check(
      'resolutions_votes_check',
      sql`coalesce(${t.votesFor}, 0) >= 0 and coalesce(${t.votesAgainst}, 0) >= 0 and coalesce(${t.abstentions}, 0) >= 0`,
    ),
    check('resolutions_unanimous_check', sql`not ${t.unanimous} or coalesce(${t.votesAgainst}, 0) = 0`),
  ],
);

/** A link member's report on an event they attended for the panel (seed 000). */
export const linkMemberReports = pgTable(
  'link_member_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scrutinyBodyId: scrutinyBodyRef(),
    panelMemberId: uuid('panel_member_id')
      .notNull()
      .references(() => panelMembers.id),
    meetingId: uuid('meeting_id').references(() => meetings.id),
    title: text('title').notNull(),
    eventOn: date('event_on').notNull(),
    highlights: text('highlights').notNull().default(''),
    nextSteps: text('next_steps').notNull().default(''),
    version: versioned(),
    ...stamps(),
  },
  (t) => [index('link_member_reports_body_idx').on(t.scrutinyBodyId, t.eventOn)],
);

/** Actions from any meeting, workshop or report: who does what by when. */
export const scrutinyActions = pgTable(
  'scrutiny_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    meetingId: uuid('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
    agendaItemId: uuid('agenda_item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    linkMemberReportId: uuid('link_member_report_id').references(() => linkMemberReports.id, { onDelete: 'set null' }),
    description: text('description').notNull(),
    ownerName: text('owner_name').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    dueOn: date('due_on').notNull(),
    status: text('status', { enum: actionStatuses }).notNull().default('open'),
    completedOn: date('completed_on'),
    update: text('update').notNull().default(''),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    index('scrutiny_actions_body_idx').on(t.policingBodyId, t.dueOn),
    check('scrutiny_actions_status_check', sql`${t.status} in (${inList(actionStatuses)})`),
    check('scrutiny_actions_done_check', sql`(${t.status} = 'done') = (${t.completedOn} is not null)`),
  ],
);

/**
 * The recommendations register: what the panel recommended, the commissioner's response
 * (s.5(6)(d)–(f)), and, through the elements it concerns, the plan change it led to.
 */
export const recommendations = pgTable(
  'recommendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    scrutinyBodyId: scrutinyBodyRef(),
    editionId: uuid('edition_id').references(() => editions.id, { onDelete: 'cascade' }),
    draftNumber: integer('draft_number'),
    meetingId: uuid('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
    source: text('source', { enum: recommendationSources }).notNull(),
    reference: text('reference').notNull(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    madeOn: date('made_on').notNull(),
    responseDueOn: date('response_due_on').notNull(),
    responseStatus: text('response_status', { enum: responseStatuses }),
    responseText: text('response_text').notNull().default(''),
    respondedOn: date('responded_on'),
    respondedBy: uuid('responded_by').references(() => users.id),
    // Set when the response is published (s.5(6)(f)); from then on the public site shows it.
    responsePublishedOn: date('response_published_on'),
    version: versioned(),
    ...stamps(),
  },
  (t) => [
    index('recommendations_body_idx').on(t.policingBodyId, t.madeOn),
    index('recommendations_edition_idx').on(t.editionId, t.draftNumber, t.position),
    check('recommendations_source_check', sql`${t.source} in (${inList(recommendationSources)})`),
    check('recommendations_status_check', sql`${t.responseStatus} is null or ${t.responseStatus} in (${inList(responseStatuses)})`),
    check('recommendations_response_check', sql`(${t.responseStatus} is null) = (${t.respondedOn} is null)`),
    check('recommendations_response_order_check', sql`${t.respondedOn} is null or ${t.respondedOn} >= ${t.madeOn}`),
    check('recommendations_due_check', sql`${t.responseDueOn} >= ${t.madeOn}`),
    check('recommendations_published_check', sql`${t.responsePublishedOn} is null or ${t.respondedOn} is not null`),
  ],
);

/** The plan elements a recommendation concerns, by lineage (so it follows them into new drafts). */
export const recommendationElements = pgTable(
  'recommendation_elements',
  {
    recommendationId: uuid('recommendation_id')
      .notNull()
      .references(() => recommendations.id, { onDelete: 'cascade' }),
    lineageId: uuid('lineage_id').notNull(),
    elementType: text('element_type', { enum: ['priority', 'objective', 'commitment', 'measure'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recommendationId, t.lineageId] }),
    check('recommendation_elements_type_check', sql`${t.elementType} in ('priority', 'objective', 'commitment', 'measure')`),
  ],
);
