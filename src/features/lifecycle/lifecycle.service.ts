import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { formatDate } from '../../shared/dates.ts';
import type { LifecycleEvent, LifecycleState } from '../../shared/lifecycle-states.ts';
import { paths } from '../../shared/paths.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { notifyRoles } from '../notifications/index.ts';
import { findScrutinyBodyOf } from '../organisations/index.ts';
import {
  checkCompleteness,
  diffEditions,
  isComplete,
  listPlanFrameworks,
  loadPlanEditionTree,
  loadPlanJson,
  planJsonToTree,
  SPR_FRAMEWORK_SLUG,
  type EditionContext,
  type PlanJson,
} from '../plans/index.ts';
import { plans } from '../plans/plans.tables.ts';
import { publishEdition } from '../publication/index.ts';
import { insertRecommendations, listForEdition, publishResponses, recordResponse, type RecommendationRow } from '../scrutiny/index.ts';
import {
  addDays,
  decide,
  factsFromHistory,
  stateLabels,
  transitionFor,
  type ActorRole,
  type Facts,
  type Reason,
  type StepInput,
} from './domain/machine.ts';
import type { StepForm } from './lifecycle.schemas.ts';
import { actorRolesOf } from './lifecycle.permissions.ts';
import * as repository from './lifecycle.repository.ts';

export type ProcessContext = EditionContext;

export type TransitionRefusal =
  | { kind: 'not_found' }
  | { kind: 'already_done' | 'moved_on' | 'conflict'; message: string }
  | { kind: 'forbidden' | 'wrong_state' | 'refused'; reasons: Reason[] };

/** Thrown inside the transaction so a refused step rolls back whatever it had begun. */
class Refused extends Error {
  constructor(readonly refusal: TransitionRefusal) {
    super('refused');
  }
}

const SERVICE_LABEL = 'The service (automatic, by date)';

/** The plan as the panel would read it: its JSON without the address of the schema. */
function planHash(json: PlanJson): string {
  const { schema: _schema, ...content } = json;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** True if the principal-changes diff finds any change between what the panel saw and the plan now. */
function differs(snapshot: PlanJson, current: PlanJson): boolean {
  // Both documents came from this service, so names and references map to themselves.
  const lookups = {
    partnerIdByName: (name: string) => name,
    frameworkItemId: (ref: { framework: string; code: string }) => `${ref.framework}\u0000${ref.code}`,
  };
  const a = planJsonToTree(snapshot, lookups);
  const b = planJsonToTree(current, lookups);
  if (!a.ok || !b.ok) return planHash(snapshot) !== planHash(current);
  return diffEditions(a.value.tree, b.value.tree).length > 0;
}

export type ProcessState = {
  facts: Facts;
  history: repository.TransitionRow[];
  recommendations: RecommendationRow[];
  currentHash: string;
  json: PlanJson;
};

/** Everything the guards look at, read inside the caller's transaction. */
export async function loadProcessState(tx: Executor, context: ProcessContext, today: string, publicUrl: string): Promise<ProcessState> {
  const { body, plan, edition } = context;
  const [history, steps, panel, recommendations, reports, lastDraft, tree, frameworks, planJson] = await Promise.all([
    repository.listTransitions(tx, edition.id),
    repository.listApprovalSteps(tx, body.id),
    findScrutinyBodyOf(tx, body.id),
    listForEdition(tx, edition.id),
    repository.listPanelReports(tx, edition.id),
    repository.findLastDraft(tx, edition.id),
    loadPlanEditionTree(tx, edition.id, edition.vision),
    listPlanFrameworks(tx, body.id),
    loadPlanJson(tx, { body, plan, edition }, publicUrl),
  ]);
  const fromHistory = factsFromHistory(
    history.map((h) => ({ ...h, evidence: h.evidence as Record<string, unknown> })),
    edition.draftNumber,
  );
  const requirements = checkCompleteness(tree, frameworks.find((f) => f.slug === SPR_FRAMEWORK_SLUG)?.items ?? []);
  const report = reports.find((r) => r.draftNumber === edition.draftNumber && r.kind === 'report');
  const currentHash = planHash(planJson.json);
  const lastSent = history.filter((h) => h.event === 'send_to_panel').at(-1);
  const published = history.filter((h) => h.event === 'publish_response' && h.draftNumber === edition.draftNumber).at(-1);
  const responded = recommendations
    .map((r) => r.respondedOn)
    .filter((d): d is string => d !== null)
    .sort();
  const facts: Facts = {
    today,
    chiefConstableConsulted: fromHistory.chiefConstableConsulted,
    lastConsultedOn: fromHistory.lastConsultedOn,
    isComplete: isComplete(requirements),
    missing: requirements.filter((r) => !r.isMet).map((r) => r.title),
    approvals: steps.map((s) => ({
      name: s.name,
      requiredBefore: s.requiredBefore,
      isRecorded: fromHistory.approvalsRecorded.has(s.name),
    })),
    hasPanel: panel !== undefined,
    unanswered: recommendations.filter((r) => r.responseStatus === null).map((r) => r.reference),
    draftSentOn: fromHistory.draftSentOn,
    reportReceivedOn: report?.receivedOn ?? null,
    lastRespondedOn: responded.at(-1) ?? null,
    responsePublishedOn: published?.happenedOn ?? null,
    changedSincePanelSaw: lastDraft ? differs(lastDraft.snapshot as PlanJson, planJson.json) : false,
    // s.5(8): a re-consultation counts only if it was on the text as it now stands.
    reconsultedOnCurrentText: history.some(
      (h) =>
        h.event === 'reconsult_chief_constable' &&
        (!lastSent || h.recordedAt >= lastSent.recordedAt) &&
        (h.evidence as { planHash?: string }).planHash === currentHash,
    ),
    planStartsOn: plan.periodStartsOn,
    planEndsOn: plan.periodEndsOn,
  };
  return { facts, history, recommendations, currentHash, json: planJson.json };
}

const inputOf = (form: StepForm): StepInput => ({
  happenedOn: form.happenedOn,
  reviewWindowEndsOn: form.event === 'send_to_panel' ? (form.reviewWindowEndsOn ?? undefined) : undefined,
  waiverReason: form.event === 'send_to_panel' ? form.waiverReason : undefined,
  recommendationCount: form.event === 'record_panel_report' ? form.recommendations.length : undefined,
  noRecommendations: form.event === 'record_panel_report' ? form.noRecommendations : undefined,
  pointCount: form.event === 'request_further_draft' ? form.points.length : undefined,
  approvalStep: form.event === 'record_internal_approval' ? form.step : undefined,
});

type Actor = { userId: string | null; label: string; roles: ActorRole[] };

async function record(
  tx: Executor,
  context: { policingBodyId: string; edition: repository.EditionRow; now: Date; actor: Actor },
  step: {
    event: LifecycleEvent;
    from: LifecycleState;
    to: LifecycleState;
    happenedOn: string;
    evidence: Record<string, unknown>;
    draftNumber?: number;
    freeze?: boolean;
  },
): Promise<repository.TransitionRow> {
  const row = transitionFor(step.event);
  const transition = await repository.insertTransition(tx, {
    editionId: context.edition.id,
    draftNumber: context.edition.draftNumber,
    event: step.event,
    fromState: step.from,
    toState: step.to,
    happenedOn: step.happenedOn,
    evidence: step.evidence,
    statutoryBasis: row.basis,
    actorUserId: context.actor.userId,
    actorLabel: context.actor.label,
    recordedAt: context.now,
  });
  if (step.to !== step.from || step.draftNumber !== undefined) {
    const moved = await repository.moveEdition(tx, context.edition.id, step.from, {
      lifecycleState: step.to,
      ...(step.draftNumber !== undefined ? { draftNumber: step.draftNumber } : {}),
      ...(step.freeze ? { isFrozen: true, frozenAt: context.now } : {}),
    });
    if (!moved)
      throw new Refused({ kind: 'moved_on', message: 'This edition has moved on since you opened the page. Nothing was changed.' });
  }
  await appendAuditEvent(tx, {
    actor: { userId: context.actor.userId, label: context.actor.label },
    policingBodyId: context.policingBodyId,
    action: `edition.${step.event}`,
    subject: { type: 'edition', id: context.edition.id },
    before: { lifecycleState: step.from, draftNumber: context.edition.draftNumber },
    after: {
      lifecycleState: step.to,
      draftNumber: step.draftNumber ?? context.edition.draftNumber,
      happenedOn: step.happenedOn,
      evidence: step.evidence,
    },
    occurredAt: context.now,
  });
  return transition;
}

/**
 * Takes one step of an edition's statutory process, in one transaction: locks the edition,
 * refuses if it moved on since the person saw it (someone else did the same step: "already
 * done"), asks the machine, then writes the step's records, the transition, the audit event and
 * the notifications. A refused step changes nothing.
 */
export async function applyTransition(
  db: Database,
  args: {
    user: CurrentUser;
    context: ProcessContext;
    seen: { state: string; count: number };
    form: StepForm;
    now: Date;
    publicUrl: string;
  },
): Promise<Result<{ to: LifecycleState; message: string }, TransitionRefusal>> {
  const { user, context, form, now } = args;
  const today = now.toISOString().slice(0, 10);
  try {
    const value = await db.transaction(async (tx) => {
      const edition = await repository.lockEdition(tx, context.edition.id);
      if (!edition) throw new Refused({ kind: 'not_found' });
      const locked: ProcessContext = { ...context, edition };
      const state = await loadProcessState(tx, locked, today, args.publicUrl);
      const row = transitionFor(form.event);
      if (edition.lifecycleState !== args.seen.state || state.history.length !== args.seen.count) {
        const since = state.history.slice(Math.min(args.seen.count, state.history.length));
        if (since.some((h) => h.event === form.event)) throw new Refused({ kind: 'already_done', message: row.alreadyDone });
        throw new Refused({
          kind: 'moved_on',
          message: `This edition has moved on since you opened the page: it is now “${stateLabels[edition.lifecycleState]}”. Check its process page before trying again.`,
        });
      }
      const roles = actorRolesOf(user, context.body.id);
      // The response form answers recommendations; the guard looks at what would be left unanswered.
      const answering = new Set(form.event === 'give_response' ? form.answers.map((a) => a.id) : []);
      const facts: Facts = {
        ...state.facts,
        unanswered: state.recommendations.filter((r) => r.responseStatus === null && !answering.has(r.id)).map((r) => r.reference),
      };
      const decision = decide({ state: edition.lifecycleState, event: form.event, roles, facts, input: inputOf(form) });
      if (!decision.ok) throw new Refused({ kind: decision.kind, reasons: decision.reasons });
      const actor: Actor = { userId: user.id, label: user.displayName, roles };
      const base = { policingBodyId: context.body.id, edition, now, actor };
      const step = { event: form.event, from: edition.lifecycleState, to: decision.to, happenedOn: form.happenedOn };
      const link = paths.editionProcess(context.body.slug, context.plan.id, edition.number);
      const what = `${context.plan.title}, ${edition.label}`;
      let message = `${row.label}: done.`;

      switch (form.event) {
        case 'consult_chief_constable':
          await record(tx, base, { ...step, evidence: { how: form.how, views: form.views } });
          message = 'The consultation of the chief constable has been recorded.';
          break;
        case 'reconsult_chief_constable':
          await record(tx, base, { ...step, evidence: { how: form.how, views: form.views, planHash: state.currentHash } });
          message = 'The re-consultation of the chief constable has been recorded, on the plan as it now stands.';
          break;
        case 'send_to_panel': {
          const settings = await repository.findSettings(tx, context.body.id);
          const reviewWindowEndsOn = form.reviewWindowEndsOn ?? addDays(form.happenedOn, settings.panelReviewDays);
          const waiver = state.facts.isComplete ? null : form.waiverReason;
          await repository.insertDraft(tx, {
            editionId: edition.id,
            draftNumber: edition.draftNumber,
            sentOn: form.happenedOn,
            reviewWindowEndsOn,
            snapshot: state.json,
            completenessWaiver: waiver,
          });
          await record(tx, base, {
            ...step,
            evidence: { draftNumber: edition.draftNumber, reviewWindowEndsOn, completenessWaiver: waiver, planHash: state.currentHash },
          });
          await notifyRoles(tx, context.body.id, ['panel_member', 'panel_officer'], {
            dedupeKey: `draft-sent:${edition.id}:${edition.draftNumber}`,
            subject: `Draft ${edition.draftNumber} of ${what} has been sent to the panel`,
            body: `The commissioner has sent draft ${edition.draftNumber} of ${what} to the Police and Crime Panel (PRSRA 2011 s.5(6)(c)). The review window ends on ${formatDate(reviewWindowEndsOn)}.`,
            link,
          });
          message = `Draft ${edition.draftNumber} has been sent to the panel. Its review window ends on ${formatDate(reviewWindowEndsOn)}.`;
          break;
        }
        case 'record_panel_report':
        case 'request_further_draft': {
          const panel = (await findScrutinyBodyOf(tx, context.body.id))!;
          const settings = await repository.findSettings(tx, context.body.id);
          const isFurther = form.event === 'request_further_draft';
          const items = isFurther ? form.points : form.recommendations;
          const report = await repository.insertPanelReport(tx, {
            editionId: edition.id,
            draftNumber: edition.draftNumber,
            kind: isFurther ? 'further_draft_request' : 'report',
            receivedOn: form.happenedOn,
            summary: form.summary,
            noRecommendations: !isFurther && form.noRecommendations,
            resolution: form.resolution,
            votesFor: form.votesFor,
            votesAgainst: form.votesAgainst,
            abstentions: form.abstentions,
            unanimous: form.unanimous,
          });
          const responseDueOn = addDays(form.happenedOn, settings.responseDueDays);
          const made = await insertRecommendations(tx, {
            policingBodyId: context.body.id,
            scrutinyBodyId: panel.id,
            editionId: edition.id,
            draftNumber: edition.draftNumber,
            meetingId: null,
            source: isFurther ? 'further_draft_request' : 'panel_report',
            madeOn: form.happenedOn,
            responseDueOn,
            items: items.map((text) => ({ text })),
          });
          await record(tx, base, {
            ...step,
            ...(isFurther ? { draftNumber: edition.draftNumber + 1 } : {}),
            evidence: {
              panelReportId: report.id,
              summary: form.summary,
              recommendations: made.map((r) => r.reference),
              noRecommendations: report.noRecommendations,
              resolution: form.resolution,
              votesFor: form.votesFor,
              votesAgainst: form.votesAgainst,
              abstentions: form.abstentions,
              unanimous: form.unanimous,
              responseDueOn: made.length ? responseDueOn : null,
            },
          });
          if (made.length)
            await notifyRoles(tx, context.body.id, ['commissioner', 'officer'], {
              dedupeKey: `panel-${isFurther ? 'further-draft' : 'report'}:${edition.id}:${edition.draftNumber}`,
              subject: isFurther
                ? `The panel has asked for a further draft of ${what}`
                : `The panel has made ${made.length} ${made.length === 1 ? 'recommendation' : 'recommendations'} on ${what}`,
              body: `${made.map((r) => `${r.reference}. ${r.text}`).join('\n')}\n\nA response to each is due by ${formatDate(responseDueOn)} (PRSRA 2011 s.5(6)(e)).`,
              link,
            });
          message = isFurther
            ? `The panel’s request for a further draft has been recorded, with ${made.length} ${made.length === 1 ? 'point' : 'points'} to answer. The edition is back in drafting as draft ${edition.draftNumber + 1}.`
            : made.length
              ? `The panel’s report has been recorded with ${made.length} ${made.length === 1 ? 'recommendation' : 'recommendations'}. Responses are due by ${formatDate(responseDueOn)}.`
              : 'The panel’s report has been recorded: it made no recommendations.';
          break;
        }
        case 'give_response': {
          for (const answer of form.answers) {
            const saved = await recordResponse(tx, {
              id: answer.id,
              version: answer.version,
              status: answer.status,
              text: answer.text,
              respondedOn: form.happenedOn,
              respondedBy: user.id,
            });
            if (!saved || saved.editionId !== edition.id)
              throw new Refused({
                kind: 'conflict',
                message:
                  'Someone else changed a response to one of these recommendations while you were writing. Open the page again to see it.',
              });
          }
          await record(tx, base, {
            ...step,
            evidence: {
              response: form.response,
              answered: state.recommendations.filter((r) => answering.has(r.id)).map((r) => r.reference),
            },
          });
          message = 'The response to the panel has been recorded. Publish it next (PRSRA 2011 s.5(6)(f)).';
          break;
        }
        case 'publish_response': {
          const count = await publishResponses(tx, edition.id, form.happenedOn);
          await record(tx, base, { ...step, evidence: { url: form.url, responsesPublished: count } });
          message = 'The response has been published.';
          break;
        }
        case 'record_internal_approval':
          await record(tx, base, { ...step, evidence: { step: form.step, approvedBy: form.approvedBy, notes: form.notes } });
          message = `The approval “${form.step}” has been recorded for draft ${edition.draftNumber}.`;
          break;
        case 'record_endorsement':
          await record(tx, base, {
            ...step,
            evidence: {
              resolution: form.resolution,
              votesFor: form.votesFor,
              votesAgainst: form.votesAgainst,
              abstentions: form.abstentions,
              unanimous: form.unanimous,
            },
          });
          message = 'The panel’s endorsement has been recorded.';
          break;
        case 'withdraw':
          await record(tx, base, { ...step, evidence: { reason: form.reason } });
          message = 'The edition has been withdrawn. It is kept as a record.';
          break;
        case 'issue': {
          // An addendum or variation may change the plan period (e.g. elections postponed a year): the plan
          // takes the new end before publishing, so the snapshot and the plan in force carry it; earlier
          // snapshots are immutable and keep the period they were issued with.
          const periodEndsOn = edition.newPeriodEndsOn ?? undefined;
          if (periodEndsOn)
            await tx
              .update(plans)
              .set({ periodEndsOn, version: sql`${plans.version} + 1` })
              .where(eq(plans.id, context.plan.id));
          await record(tx, base, {
            ...step,
            freeze: true,
            evidence: { reference: form.reference, decidedBy: form.decidedBy, planHash: state.currentHash, periodEndsOn },
          });
          const serviceActor: Actor = { userId: null, label: SERVICE_LABEL, roles: ['service'] };
          // PRSRA 2011 s.7: a plan has effect until a new plan takes effect.
          for (const other of await repository.lockOtherLiveEditions(tx, context.plan.id, edition.id)) {
            await record(
              tx,
              { ...base, edition: other, actor: serviceActor },
              {
                event: 'supersede',
                from: other.lifecycleState,
                to: 'superseded',
                happenedOn: form.happenedOn,
                evidence: { supersededBy: edition.number, reference: form.reference },
              },
            );
          }
          await publishEdition(tx, { policingBodyId: context.body.id, editionId: edition.id, publishedAt: now });
          message = `The plan has been issued (decision ${form.reference}) and published.`;
          // The period may have just changed (above): judge coming into force against the new end.
          const facts = periodEndsOn ? { ...state.facts, planEndsOn: periodEndsOn } : state.facts;
          const intoForce = decide({ state: 'issued', event: 'bring_into_force', roles: ['service'], facts });
          if (intoForce.ok) {
            await record(
              tx,
              { ...base, edition: { ...edition, lifecycleState: 'issued' }, actor: serviceActor },
              {
                event: 'bring_into_force',
                from: 'issued',
                to: 'in_force',
                happenedOn: today,
                evidence: { planStartsOn: context.plan.periodStartsOn },
              },
            );
            message = `The plan has been issued (decision ${form.reference}), published, and is in force.`;
          }
          break;
        }
      }
      const after = await repository.lockEdition(tx, edition.id);
      return { to: after!.lifecycleState, message };
    });
    return ok(value);
  } catch (error) {
    if (error instanceof Refused) return fail(error.refusal);
    throw error;
  }
}

/**
 * The daily job: issued plans come into force when their period starts, and plans in force
 * expire when it ends (PRSRA 2011 s.7). Each move is a transition recorded by the service.
 */
export async function advanceEditionsByDate(db: Database, today: string, now: Date = new Date(`${today}T00:00:00Z`)): Promise<number> {
  let moved = 0;
  for (const { edition, plan } of await repository.listLiveEditions(db)) {
    moved += await db.transaction(async (tx) => {
      const locked = await repository.lockEdition(tx, edition.id);
      if (!locked) return 0;
      const facts = { today, planStartsOn: plan.periodStartsOn, planEndsOn: plan.periodEndsOn } as Facts;
      const actor: Actor = { userId: null, label: SERVICE_LABEL, roles: ['service'] };
      let count = 0;
      let current = locked;
      for (const event of ['bring_into_force', 'expire'] as const) {
        const decision = decide({ state: current.lifecycleState, event, roles: ['service'], facts });
        if (!decision.ok) continue;
        await record(
          tx,
          { policingBodyId: plan.policingBodyId, edition: current, now, actor },
          {
            event,
            from: current.lifecycleState,
            to: decision.to,
            happenedOn: event === 'expire' ? addDays(plan.periodEndsOn, 1) : plan.periodStartsOn > today ? today : plan.periodStartsOn,
            evidence: event === 'expire' ? { planEndsOn: plan.periodEndsOn } : { planStartsOn: plan.periodStartsOn },
          },
        );
        current = { ...current, lifecycleState: decision.to };
        count += 1;
      }
      return count;
    });
  }
  return moved;
}

// ---- Settings.

type SettingsContext = { actor: CurrentUser; policingBodyId: string; now: Date };
const auditOf = (tx: Executor, c: SettingsContext, action: string, id: string, before: unknown, after: unknown) =>
  appendAuditEvent(tx, {
    actor: { userId: c.actor.id, label: c.actor.displayName },
    policingBodyId: c.policingBodyId,
    action,
    subject: { type: 'policing_body', id },
    before,
    after,
    occurredAt: c.now,
  });

export async function saveSettings(
  db: Database,
  c: SettingsContext,
  version: number,
  values: Parameters<typeof repository.saveSettings>[3],
): Promise<Result<repository.SettingsRow, { kind: 'conflict'; current: Awaited<ReturnType<typeof repository.findSettings>> }>> {
  return db.transaction(async (tx) => {
    const before = await repository.findSettings(tx, c.policingBodyId);
    const saved = await repository.saveSettings(tx, c.policingBodyId, version, values);
    if (!saved) return fail({ kind: 'conflict' as const, current: await repository.findSettings(tx, c.policingBodyId) });
    await auditOf(tx, c, 'lifecycle_settings.updated', c.policingBodyId, before, values);
    return ok(saved);
  });
}

export async function addApprovalStep(
  db: Database,
  c: SettingsContext,
  values: { name: string; requiredBefore: 'send_to_panel' | 'issue' },
) {
  return db.transaction(async (tx) => {
    const row = await repository.insertApprovalStep(tx, { policingBodyId: c.policingBodyId, ...values });
    if (!row) return fail({ kind: 'duplicate' as const });
    await auditOf(tx, c, 'approval_step.added', row.id, undefined, values);
    return ok(row);
  });
}

export async function removeApprovalStep(db: Database, c: SettingsContext, id: string) {
  return db.transaction(async (tx) => {
    const row = await repository.deleteApprovalStep(tx, c.policingBodyId, id);
    if (!row) return fail({ kind: 'not_found' as const });
    await auditOf(tx, c, 'approval_step.removed', row.id, { name: row.name, requiredBefore: row.requiredBefore }, undefined);
    return ok(row);
  });
}
