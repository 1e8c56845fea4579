import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { PolicingBody, ScrutinyBody } from '../organisations/index.ts';
import { notifyRoles } from '../notifications/index.ts';
import { formatDate } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';
import {
  diffEditions,
  findPlan,
  listPlanEditions,
  loadPlanEditionTree,
  loadPlanJson,
  summariseChanges,
  type EditionTree,
  type PlanJson,
  type SummaryGroup,
} from '../plans/index.ts';
import { elementChoices, isOverdue, matchesFilter, type ElementChoice, type RegisterFilter } from './domain/recommendations.ts';
import * as repository from './recommendations.repository.ts';

export type ConcernedElement = ElementChoice & { isInEdition: boolean };

/** The plan change a recommendation led to: the diff entries for the elements it concerns. */
export type PlanChange =
  { isCompared: false; reason: string } | { isCompared: true; comparedWith: string; groups: SummaryGroup[]; changeCount: number };

export type RegisterEntry = repository.RegisterRow & { elements: ConcernedElement[]; isOverdue: boolean; planChange: PlanChange };

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/**
 * Plan JSON names partners and framework items, not their ids; the same naming on both sides
 * makes a snapshot and the edition now comparable by the principal-changes diff.
 */
function comparableTree(json: PlanJson): EditionTree {
  const refs = (items: readonly { framework: string; code: string }[]) => items.map((r) => `${r.framework}:${r.code}`);
  return {
    vision: json.vision,
    priorities: json.priorities.map((p) => ({
      id: p.lineageId,
      lineageId: p.lineageId,
      title: p.title,
      aim: p.aim,
      summary: p.summary,
      frameworkItemIds: refs(p.frameworkItems),
      objectives: p.objectives.map((o) => ({
        id: o.lineageId,
        lineageId: o.lineageId,
        title: o.title,
        description: o.description,
        intendedOutcome: o.intendedOutcome,
        frameworkItemIds: refs(o.frameworkItems),
        commitments: o.commitments.map((c) => ({
          id: c.lineageId,
          lineageId: c.lineageId,
          text: c.text,
          ownerKind: c.ownerKind,
          partnerIds: c.partners,
          ownerRole: c.ownerRole,
          timescale: c.timescale,
          targetDate: c.targetDate,
          status: c.status,
          frameworkItemIds: refs(c.frameworkItems),
        })),
      })),
    })),
    measures: json.measures.map((m) => ({ ...m, id: m.lineageId })),
    statutorySections: json.statutorySections,
    fundingYears: json.fundingYears,
    grants: json.grants,
    dutyStatements: json.dutyStatements,
    sprExplanations: json.sprExplanations.map((s) => ({ frameworkItemId: `${s.framework}:${s.code}`, explanation: s.explanation })),
  };
}

const isPlanJson = (value: unknown): value is PlanJson =>
  typeof value === 'object' && value !== null && 'schemaVersion' in value && Array.isArray((value as PlanJson).priorities);
const isTree = (value: unknown): value is EditionTree =>
  typeof value === 'object' && value !== null && Array.isArray((value as EditionTree).priorities) && !('schemaVersion' in value);

/** Loads each edition's tree, plan JSON and draft snapshots once, however many recommendations share them. */
class EditionCache {
  private trees = new Map<string, Promise<EditionTree>>();
  private jsons = new Map<string, Promise<PlanJson | undefined>>();
  private snapshots = new Map<string, Promise<unknown>>();
  constructor(
    private db: Executor,
    private body: PolicingBody,
    private publicUrl: string,
  ) {}

  tree(row: repository.RegisterRow) {
    const key = row.editionId!;
    if (!this.trees.has(key)) this.trees.set(key, loadPlanEditionTree(this.db, key, row.editionVision ?? ''));
    return this.trees.get(key)!;
  }

  json(row: repository.RegisterRow) {
    const key = row.editionId!;
    if (!this.jsons.has(key)) {
      this.jsons.set(
        key,
        (async () => {
          const plan = await findPlan(this.db, this.body.id, row.planId!);
          const edition = plan && (await listPlanEditions(this.db, plan.id)).find((e) => e.id === key);
          return plan && edition ? (await loadPlanJson(this.db, { body: this.body, plan, edition }, this.publicUrl)).json : undefined;
        })(),
      );
    }
    return this.jsons.get(key)!;
  }

  snapshot(editionId: string, draftNumber: number) {
    const key = `${editionId}:${draftNumber}`;
    if (!this.snapshots.has(key)) this.snapshots.set(key, repository.findDraftSnapshot(this.db, editionId, draftNumber));
    return this.snapshots.get(key)!;
  }
}

async function planChangeFor(cache: EditionCache, row: repository.RegisterRow, lineageIds: ReadonlySet<string>): Promise<PlanChange> {
  if (!row.editionId || row.draftNumber === null) return { isCompared: false, reason: 'It was not made on a draft of the plan.' };
  if (lineageIds.size === 0) return { isCompared: false, reason: 'It concerns no particular part of the plan.' };
  const snapshot = await cache.snapshot(row.editionId, row.draftNumber);
  if (snapshot === undefined) {
    return {
      isCompared: false,
      reason: `No copy of draft ${row.draftNumber} as sent to the panel is kept, so there is nothing to compare.`,
    };
  }
  let before: EditionTree;
  let after: EditionTree | undefined;
  if (isPlanJson(snapshot)) {
    before = comparableTree(snapshot);
    const json = await cache.json(row);
    after = json && comparableTree(json);
  } else if (isTree(snapshot)) {
    before = snapshot;
    after = await cache.tree(row);
  } else {
    return { isCompared: false, reason: 'The copy of the draft sent to the panel cannot be read.' };
  }
  if (!after) return { isCompared: false, reason: 'The edition is no longer there.' };
  const changes = diffEditions(before, after).filter((c) => lineageIds.has(c.element.lineageId));
  const groups = summariseChanges(changes);
  return {
    isCompared: true,
    comparedWith: `Draft ${row.draftNumber} as the panel saw it, compared with ${row.editionLabel} ${row.editionIsFrozen ? 'as issued' : 'as it stands now'}`,
    groups,
    changeCount: changes.length,
  };
}

/** The register's entries, filtered, with the elements each concerns and the plan change it led to. */
export async function loadRegister(
  db: Executor,
  body: PolicingBody,
  options: { filter?: RegisterFilter; editionId?: string; today: string; publicUrl: string; only?: repository.RegisterRow[] },
): Promise<RegisterEntry[]> {
  const rows = (options.only ?? (await repository.listForBody(db, body.id, options.editionId))).filter(
    (r) => !options.filter || matchesFilter(r, options.filter, options.today),
  );
  const links = await repository.listElementLinks(
    db,
    rows.map((r) => r.id),
  );
  const cache = new EditionCache(db, body, options.publicUrl);
  return Promise.all(
    rows.map(async (row) => {
      const own = links.filter((l) => l.recommendationId === row.id);
      const choices = row.editionId ? elementChoices(await cache.tree(row)) : [];
      const elements = own.map((link): ConcernedElement => {
        const choice = choices.find((c) => c.lineageId === link.lineageId);
        return choice
          ? { ...choice, isInEdition: true }
          : {
              lineageId: link.lineageId,
              elementType: link.elementType,
              label: `A ${link.elementType} no longer in the plan`,
              isInEdition: false,
            };
      });
      return {
        ...row,
        elements,
        isOverdue: isOverdue(row, options.today),
        planChange: await planChangeFor(cache, row, new Set(own.map((l) => l.lineageId))),
      };
    }),
  );
}

export type MeetingRecommendationInput = {
  text: string;
  madeOn: string;
  responseDueOn: string;
  meeting: { id: string; title: string } | null;
  edition: { id: string; draftNumber: number } | null;
  elements: ElementChoice[];
};

/** A recommendation the panel made at one of its meetings, numbered on with the edition's (or the body's). */
export async function recordMeetingRecommendation(
  db: Database,
  actor: CurrentUser,
  body: PolicingBody,
  panel: ScrutinyBody,
  input: MeetingRecommendationInput,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [row] = await repository.insertRecommendations(tx, {
      policingBodyId: body.id,
      scrutinyBodyId: panel.id,
      editionId: input.edition?.id ?? null,
      draftNumber: input.edition?.draftNumber ?? null,
      meetingId: input.meeting?.id ?? null,
      source: 'meeting',
      madeOn: input.madeOn,
      responseDueOn: input.responseDueOn,
      items: [{ text: input.text, elements: input.elements.map((e) => ({ lineageId: e.lineageId, elementType: e.elementType })) }],
    });
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: body.id,
      action: 'recommendation.recorded',
      subject: { type: 'recommendation', id: row!.id },
      after: { ...row, elements: input.elements.map((e) => e.lineageId) },
      occurredAt: now,
    });
    // The office must respond (PRSRA 2011 s.5(6)(e) for a plan; local practice otherwise), so tell it now.
    await notifyRoles(tx, body.id, ['commissioner', 'officer'], {
      dedupeKey: `recommendation:${row!.id}`,
      subject: `${panel.name} has made recommendation ${row!.reference}`,
      body: `${row!.reference}. ${row!.text}\n\nA response is due by ${formatDate(row!.responseDueOn)}.`,
      link: paths.recommendation(body.slug, row!.id),
    });
    return row!;
  });
}

export type ResponseRefusal = { kind: 'conflict'; current: repository.RecommendationRow } | { kind: 'published' } | { kind: 'not_found' };

/** The commissioner's response to one recommendation (PRSRA 2011 s.5(6)(e)), if nobody else changed it first. */
export async function respond(
  db: Database,
  actor: CurrentUser,
  body: PolicingBody,
  id: string,
  version: number,
  input: { status: repository.ResponseStatus; text: string; respondedOn: string },
  now: Date,
): Promise<Result<repository.RecommendationRow, ResponseRefusal>> {
  return db.transaction(async (tx) => {
    const before = await repository.findRecommendation(tx, id);
    if (!before || before.policingBodyId !== body.id) return fail({ kind: 'not_found' as const });
    // A published response is a public record; it is not rewritten afterwards.
    if (before.responsePublishedOn) return fail({ kind: 'published' as const });
    const row = await repository.recordResponse(tx, { id, version, ...input, respondedBy: actor.id });
    if (!row) return fail({ kind: 'conflict' as const, current: before });
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: body.id,
      action: 'recommendation.response_recorded',
      subject: { type: 'recommendation', id },
      before: { responseStatus: before.responseStatus, responseText: before.responseText, respondedOn: before.respondedOn },
      after: { responseStatus: row.responseStatus, responseText: row.responseText, respondedOn: row.respondedOn },
      occurredAt: now,
    });
    return ok(row);
  });
}

export type PublishRefusal =
  | { kind: 'conflict'; current: repository.RecommendationRow }
  | { kind: 'not_responded' }
  | { kind: 'already_published' }
  | { kind: 'not_found' };

/** Publishes the response (PRSRA 2011 s.5(6)(f)): from then on the public site shows it. */
export async function publish(
  db: Database,
  actor: CurrentUser,
  body: PolicingBody,
  id: string,
  version: number,
  publishedOn: string,
  now: Date,
): Promise<Result<repository.RecommendationRow, PublishRefusal>> {
  return db.transaction(async (tx) => {
    const before = await repository.findRecommendation(tx, id);
    if (!before || before.policingBodyId !== body.id) return fail({ kind: 'not_found' as const });
    if (before.responsePublishedOn) return fail({ kind: 'already_published' as const });
    if (!before.responseStatus) return fail({ kind: 'not_responded' as const });
    const row = await repository.publishResponse(tx, id, version, publishedOn);
    if (!row) return fail({ kind: 'conflict' as const, current: before });
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: body.id,
      action: 'recommendation.response_published',
      subject: { type: 'recommendation', id },
      after: { responsePublishedOn: publishedOn },
      occurredAt: now,
    });
    return ok(row);
  });
}
