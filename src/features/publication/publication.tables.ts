import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { policingBodies } from '../organisations/organisations.tables.ts';
import { editions } from '../plans/plans.tables.ts';

/**
 * An issued edition as it was published: rendered HTML and plan JSON stored at the moment of
 * publication, so later changes elsewhere cannot alter what the public was given. A trigger
 * (migration) refuses UPDATE and DELETE.
 */
export const publishedEditions = pgTable(
  'published_editions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => editions.id),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    // The main content of each public page for the edition, rendered once.
    fullPlanHtml: text('full_plan_html').notNull(),
    onAPageHtml: text('on_a_page_html').notNull(),
    planJson: jsonb('plan_json').notNull(),
    // A strong validator: a hash of everything above.
    etag: text('etag').notNull(),
  },
  (t) => [
    uniqueIndex('published_editions_edition_key').on(t.editionId),
    index('published_editions_body_idx').on(t.policingBodyId, t.publishedAt),
  ],
);
