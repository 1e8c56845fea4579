import type { Database } from '../../platform/db/database.ts';
import { violatedUniqueConstraint } from '../../platform/db/errors.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import * as repository from './organisations.repository.ts';
import type { BodyInput, PartnerInput, ScrutinyBodyInput } from './organisations.schemas.ts';

/** Why a save was refused: a unique field taken, or someone else saved first (with what they saved). */
export type SaveRefusal<T> = { kind: 'duplicate'; field: string } | { kind: 'conflict'; current: T } | { kind: 'not_found' };

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/** Runs a write; a broken unique constraint becomes a field error instead of a 500. */
async function guardUnique<T, C>(write: () => Promise<Result<T, SaveRefusal<C>>>, fieldByConstraint: Record<string, string>) {
  try {
    return await write();
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    const field = constraint ? fieldByConstraint[constraint] : undefined;
    if (field) return fail({ kind: 'duplicate' as const, field });
    throw error;
  }
}

export async function createBody(db: Database, actor: CurrentUser, input: BodyInput, now: Date) {
  return guardUnique<repository.PolicingBody, repository.PolicingBody>(
    () =>
      db.transaction(async (tx) => {
        const body = await repository.insertBody(tx, input);
        await appendAuditEvent(tx, {
          actor: actorOf(actor),
          policingBodyId: body.id,
          action: 'policing_body.created',
          subject: { type: 'policing_body', id: body.id },
          after: body,
          occurredAt: now,
        });
        return ok(body);
      }),
    { policing_bodies_slug_key: 'slug' },
  );
}

export async function updateBody(
  db: Database,
  actor: CurrentUser,
  body: repository.PolicingBody,
  version: number,
  input: BodyInput,
  now: Date,
) {
  return guardUnique<repository.PolicingBody, repository.PolicingBody>(
    () =>
      db.transaction(async (tx) => {
        const updated = await repository.updateBody(tx, body.id, version, input);
        if (!updated) {
          const current = await repository.findBodyById(tx, body.id);
          return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
        }
        await appendAuditEvent(tx, {
          actor: actorOf(actor),
          policingBodyId: body.id,
          action: 'policing_body.updated',
          subject: { type: 'policing_body', id: body.id },
          before: body,
          after: updated,
          occurredAt: now,
        });
        return ok(updated);
      }),
    { policing_bodies_slug_key: 'slug' },
  );
}

/** Creates the body's panel, or updates it if `version` is given. */
export async function saveScrutinyBody(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  input: ScrutinyBodyInput,
  existing: { body: repository.ScrutinyBody; version: number } | null,
  now: Date,
) {
  return guardUnique<repository.ScrutinyBody, repository.ScrutinyBody>(
    () =>
      db.transaction(async (tx) => {
        if (!existing) {
          const created = await repository.insertScrutinyBody(tx, { ...input, policingBodyId });
          await appendAuditEvent(tx, {
            actor: actorOf(actor),
            policingBodyId,
            action: 'scrutiny_body.created',
            subject: { type: 'scrutiny_body', id: created.id },
            after: created,
            occurredAt: now,
          });
          return ok(created);
        }
        const updated = await repository.updateScrutinyBody(tx, existing.body.id, existing.version, input);
        if (!updated) {
          const current = await repository.findScrutinyBodyOf(tx, policingBodyId);
          return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
        }
        await appendAuditEvent(tx, {
          actor: actorOf(actor),
          policingBodyId,
          action: 'scrutiny_body.updated',
          subject: { type: 'scrutiny_body', id: updated.id },
          before: existing.body,
          after: updated,
          occurredAt: now,
        });
        return ok(updated);
      }),
    { scrutiny_bodies_policing_body_key: 'name' },
  );
}

/** Creates a partner, or updates it if `existing` is given. */
export async function savePartner(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  input: PartnerInput,
  existing: { partner: repository.Partner; version: number } | null,
  now: Date,
) {
  return guardUnique<repository.Partner, repository.Partner>(
    () =>
      db.transaction(async (tx) => {
        if (!existing) {
          const created = await repository.insertPartner(tx, { ...input, policingBodyId });
          await appendAuditEvent(tx, {
            actor: actorOf(actor),
            policingBodyId,
            action: 'partner.created',
            subject: { type: 'partner', id: created.id },
            after: created,
            occurredAt: now,
          });
          return ok(created);
        }
        const updated = await repository.updatePartner(tx, existing.partner.id, existing.version, input);
        if (!updated) {
          const current = await repository.findPartner(tx, policingBodyId, existing.partner.id);
          return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
        }
        await appendAuditEvent(tx, {
          actor: actorOf(actor),
          policingBodyId,
          action: 'partner.updated',
          subject: { type: 'partner', id: updated.id },
          before: existing.partner,
          after: updated,
          occurredAt: now,
        });
        return ok(updated);
      }),
    { partners_body_name_key: 'name' },
  );
}
