import { and, desc, eq, gte, like, lt, lte, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../db/database.ts';
import { auditEvents } from './audit.tables.ts';
import { GENESIS_HASH, hashEvent, type ChainedFields, type StoredEvent } from './domain/hash-chain.ts';

export type AuditEntry = {
  actor: { userId: string | null; label: string };
  policingBodyId?: string | null;
  /** Past-tense dotted name, e.g. `policing_body.created`. */
  action: string;
  subject: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  occurredAt: Date;
};

// Any constant works; it only has to be the same for every writer.
const CHAIN_LOCK_KEY = 7_372_001;

/** Appends one event; call inside the transaction that makes the change it records. */
export async function appendAuditEvent(tx: Executor, entry: AuditEntry): Promise<void> {
  await appendAuditEvents(tx, [entry]);
}

/**
 * Appends events in the order given, each chained to the one before, with one lock and one
 * insert: for a transaction that records several changes.
 */
export async function appendAuditEvents(tx: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // Serialise writers so that each row links to the row committed just before it.
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  let previousHash = last?.hash ?? GENESIS_HASH;
  // One INSERT takes its ids in the order of its rows, so the chain runs in id order.
  const rows = entries.map((entry) => {
    const fields: ChainedFields = {
      occurredAt: entry.occurredAt.toISOString(),
      actorUserId: entry.actor.userId,
      actorLabel: entry.actor.label,
      policingBodyId: entry.policingBodyId ?? null,
      action: entry.action,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      before: normalise(entry.before),
      after: normalise(entry.after),
      previousHash,
    };
    previousHash = hashEvent(fields);
    return { ...fields, hash: previousHash };
  });
  await tx.insert(auditEvents).values(rows);
}

/** JSON round trip, so what is hashed is exactly what jsonb will give back (dates as ISO strings). */
function normalise(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

/** Reads the chain in id order, a page at a time, so verifying never holds it all in memory. */
export async function* readChain(db: Executor, pageSize = 1000): AsyncGenerator<StoredEvent> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.id} > ${afterId}`)
      .orderBy(auditEvents.id)
      .limit(pageSize);
    for (const row of rows) {
      yield { ...row, occurredAt: new Date(row.occurredAt).toISOString() };
    }
    if (rows.length < pageSize) return;
    afterId = rows[rows.length - 1]!.id;
  }
}

export type AuditFilter = {
  policingBodyId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeId?: number | undefined;
};

/** Newest first, keyset-paginated by id. */
export async function listAuditEvents(db: Executor, filter: AuditFilter, limit: number) {
  const conditions: SQL[] = [];
  if (filter.policingBodyId) conditions.push(eq(auditEvents.policingBodyId, filter.policingBodyId));
  if (filter.action) conditions.push(like(auditEvents.action, `${filter.action.replace(/[%_\\]/g, '\\$&')}%`));
  if (filter.from) conditions.push(gte(auditEvents.occurredAt, filter.from.toISOString()));
  if (filter.to) conditions.push(lte(auditEvents.occurredAt, filter.to.toISOString()));
  if (filter.beforeId) conditions.push(lt(auditEvents.id, filter.beforeId));
  return db
    .select()
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

export async function countAuditEvents(db: Executor): Promise<number> {
  const result = await db.execute<{ n: string }>(sql`select count(*)::text as n from audit_events`);
  return Number(rowsOf<{ n: string }>(result)[0]?.n ?? 0);
}
