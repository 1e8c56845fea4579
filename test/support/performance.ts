import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { CurrentUser } from '../../src/shared/current-user.ts';
import * as plans from '../../src/features/plans/plans.service.ts';
import { insertEditionTree } from '../../src/features/plans/plans.repository.ts';
import { dutyStatements, editions, statutorySections } from '../../src/features/plans/plans.tables.ts';
import { emptyEdition, type EditionTree, type Measure, type Priority } from '../../src/features/plans/domain/plan-tree.ts';

export type MonitoredPlan = {
  planId: string;
  editionId: string;
  /** Page URL of the plan's performance dashboard. */
  dashboardUrl: string;
  priorities: Priority[];
  measures: Measure[];
};

const priority = (title: string): Priority => ({
  id: randomUUID(),
  lineageId: randomUUID(),
  title,
  aim: '',
  summary: '',
  frameworkItemIds: [],
  objectives: [],
});

const measure = (attachedTo: Priority, fields: Partial<Measure> & Pick<Measure, 'name'>): Measure => ({
  id: randomUUID(),
  lineageId: randomUUID(),
  attachedTo: { kind: 'priority', lineageId: attachedTo.lineageId },
  description: '',
  evidenceSource: 'performance_metric',
  unit: 'crimes',
  polarity: 'lower_is_better',
  baselineValue: null,
  baselinePeriod: '',
  targetValue: null,
  frequency: 'monthly',
  owner: 'Chief Constable',
  ...fields,
});

/**
 * A plan whose first edition is issued (frozen, in force), with two priorities and four measures
 * of different kinds, written straight to the database: performance tests monitor a plan, they do
 * not take it through the statutory process (the lifecycle tests do that).
 *
 * Measures, in order:
 * 0. "Violence and sexual offences" (monthly, lower is better, no target: for derived data),
 * 1. "Victims satisfied with the service" (quarterly victim survey, higher is better, baseline 70, target 75),
 * 2. "Average 101 answer time" (monthly service standard, lower is better, baseline 120, target 90),
 * 3. "Residents who feel safe after dark" (annual public survey, higher is better, baseline 60, no target).
 */
export async function monitoredPlan(
  database: DatabaseHandle,
  /** Who starts the plan (the audit log names them): a user from createUser will do. */
  actor: Pick<CurrentUser, 'id' | 'email' | 'displayName'>,
  body: { id: string; slug: string },
  options: { issued?: boolean; title?: string } = {},
): Promise<MonitoredPlan> {
  const db = database.db;
  const { plan, edition } = await plans.createPlan(
    db,
    { ...actor, isAdmin: false, memberships: [] },
    body.id,
    { title: options.title ?? 'Safer Streets Plan', periodStartsOn: '2024-04-01', periodEndsOn: '2029-03-31', vision: 'A safer county.' },
    new Date('2024-03-01T10:00:00Z'),
  );
  const crime = priority('Cut crime and antisocial behaviour');
  const victims = priority('Put victims first');
  const tree: EditionTree = {
    ...emptyEdition(),
    vision: 'A safer county.',
    priorities: [crime, victims],
    measures: [
      measure(crime, { name: 'Violence and sexual offences', unit: 'crimes' }),
      measure(victims, {
        name: 'Victims satisfied with the service',
        evidenceSource: 'victim_survey',
        unit: '%',
        polarity: 'higher_is_better',
        baselineValue: 70,
        baselinePeriod: '2023/24',
        targetValue: 75,
        frequency: 'quarterly',
        owner: 'Office of the Police and Crime Commissioner',
      }),
      measure(crime, {
        name: 'Average 101 answer time',
        evidenceSource: 'service_standard',
        unit: 'seconds',
        baselineValue: 120,
        baselinePeriod: '2023/24',
        targetValue: 90,
      }),
      measure(crime, {
        name: 'Residents who feel safe after dark',
        evidenceSource: 'public_survey',
        unit: '%',
        polarity: 'higher_is_better',
        baselineValue: 60,
        baselinePeriod: '2023/24',
        frequency: 'annually',
      }),
    ],
  };
  await db.transaction(async (tx) => {
    await tx.delete(statutorySections).where(eq(statutorySections.editionId, edition.id));
    await tx.delete(dutyStatements).where(eq(dutyStatements.editionId, edition.id));
    await insertEditionTree(tx, edition.id, tree);
    if (options.issued ?? true) {
      await tx
        .update(editions)
        .set({ isFrozen: true, frozenAt: new Date('2024-03-31T12:00:00Z'), lifecycleState: 'in_force' })
        .where(eq(editions.id, edition.id));
    }
  });
  return {
    planId: plan.id,
    editionId: edition.id,
    dashboardUrl: `/bodies/${body.slug}/plans/${plan.id}/performance`,
    priorities: tree.priorities,
    measures: tree.measures,
  };
}
