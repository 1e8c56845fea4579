import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const policingBodyKinds = ['pcc', 'pfcc', 'mayor', 'mopac', 'board'] as const;
export const scrutinyBodyKinds = ['police_and_crime_panel', 'committee'] as const;
export const partnerKinds = [
  'community_safety_partnership',
  'local_authority',
  'health',
  'criminal_justice',
  'voluntary_sector',
  'other',
] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** The territorial police force areas of England and Wales; seeded by a migration. */
export const forceAreas = pgTable('force_areas', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nation: text('nation').notNull(),
  governanceModel: text('governance_model').notNull(),
  isFictional: boolean('is_fictional').notNull().default(false),
});

export const policingBodies = pgTable(
  'policing_bodies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: policingBodyKinds }).notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    forceAreaId: text('force_area_id')
      .notNull()
      .references(() => forceAreas.id),
    holderName: text('holder_name').notNull(),
    holderTitle: text('holder_title').notNull(),
    termStartsOn: date('term_starts_on').notNull(),
    termEndsOn: date('term_ends_on').notNull(),
    publishesInWelsh: boolean('publishes_in_welsh').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('policing_bodies_slug_key').on(t.slug),
    check('policing_bodies_kind_check', sql`${t.kind} in (${inList(policingBodyKinds)})`),
    check('policing_bodies_term_check', sql`${t.termEndsOn} > ${t.termStartsOn}`),
  ],
);

export const scrutinyBodies = pgTable(
  'scrutiny_bodies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    kind: text('kind', { enum: scrutinyBodyKinds }).notNull(),
    name: text('name').notNull(),
    hostAuthority: text('host_authority').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One scrutiny body per policing body (PRSRA 2011 s.28(1): one panel per force area).
    uniqueIndex('scrutiny_bodies_policing_body_key').on(t.policingBodyId),
    check('scrutiny_bodies_kind_check', sql`${t.kind} in (${inList(scrutinyBodyKinds)})`),
  ],
);

export const partners = pgTable(
  'partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    kind: text('kind', { enum: partnerKinds }).notNull(),
    name: text('name').notNull(),
    website: text('website'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Partner names are unique within a body so people can tell them apart in pick lists.
    uniqueIndex('partners_body_name_key').on(t.policingBodyId, sql`lower(${t.name})`),
    index('partners_policing_body_idx').on(t.policingBodyId),
    check('partners_kind_check', sql`${t.kind} in (${inList(partnerKinds)})`),
  ],
);
