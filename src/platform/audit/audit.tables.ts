import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained record of every change. A trigger (migration 0001) refuses
 * UPDATE and DELETE; `npm run audit:verify` recomputes the chain to detect tampering.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    policingBodyId: uuid('policing_body_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    // The admin audit browser filters per organisation, newest first.
    index('audit_events_body_id_idx').on(t.policingBodyId, t.id),
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
  ],
);
