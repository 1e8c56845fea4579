import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { editions, plans } from '../plans/plans.tables.ts';

export const commentStatuses = ['open', 'addressed', 'noted'] as const;
export const commentedElementTypes = ['vision', 'priority', 'objective', 'commitment', 'measure'] as const;

/**
 * Comments on a shared draft's elements. Keyed by the element's lineage within the plan, so a
 * thread made on draft 1 is still there on draft 2 and on the next edition. A reply has a parent;
 * only the opening comment of a thread carries a status and the office's reply.
 */
export const elementComments = pgTable(
  'element_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    // The edition and draft the comment was made on.
    editionId: uuid('edition_id')
      .notNull()
      .references(() => editions.id, { onDelete: 'cascade' }),
    draftNumber: integer('draft_number').notNull(),
    lineageId: uuid('lineage_id').notNull(),
    elementType: text('element_type', { enum: commentedElementTypes }).notNull(),
    parentId: uuid('parent_id'),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    authorLabel: text('author_label').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: commentStatuses }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('element_comments_plan_lineage_idx').on(t.planId, t.lineageId, t.createdAt),
    index('element_comments_parent_idx').on(t.parentId),
    check('element_comments_type_check', sql`${t.elementType} in ('vision', 'priority', 'objective', 'commitment', 'measure')`),
    // Threads have a status; replies do not.
    check('element_comments_status_check', sql`(${t.parentId} is null) = (${t.status} is not null)`),
    check('element_comments_status_values_check', sql`${t.status} is null or ${t.status} in ('open', 'addressed', 'noted')`),
  ],
);
