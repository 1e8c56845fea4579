/**
 * The public plan page for `npm run bench`: a body with the large plan of ARCHITECTURE §7
 * (8 priorities × 8 objectives × 10 commitments, 100 measures) issued and published, written
 * into the service's database before it starts (the embedded database belongs to one process).
 */
import { eq } from 'drizzle-orm';
import { openDatabase } from '../src/platform/db/database.ts';
import { insertBody, insertPartner } from '../src/features/organisations/organisations.repository.ts';
import { insertEdition, insertEditionTree, insertPlan } from '../src/features/plans/plans.repository.ts';
import { editions } from '../src/features/plans/plans.tables.ts';
import { publishEdition } from '../src/features/publication/index.ts';
import { largePlan } from './plan-pages.ts';

export const PUBLIC_PLAN_SLUG = 'bench-commissioner';
export const publicPlanPath = `/${PUBLIC_PLAN_SLUG}/plan`;

export async function seedPublishedPlan(options: { dataDir: string; databaseUrl?: string }): Promise<void> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    const db = database.db;
    const body = await insertBody(db, {
      kind: 'pcc',
      name: 'Police and Crime Commissioner for Benchshire',
      slug: PUBLIC_PLAN_SLUG,
      forceAreaId: 'avon-and-somerset',
      holderName: 'Bench Commissioner',
      holderTitle: 'Police and Crime Commissioner',
      termStartsOn: '2024-05-13',
      termEndsOn: '2028-05-12',
      publishesInWelsh: false,
    });
    const partner = await insertPartner(db, { policingBodyId: body.id, kind: 'health', name: 'Benchshire health partner' });
    const plan = await insertPlan(db, {
      policingBodyId: body.id,
      title: 'Police and Crime Plan 2025–29',
      periodStartsOn: '2025-04-01',
      periodEndsOn: '2029-03-31',
    });
    const edition = await insertEdition(db, { planId: plan.id, number: 1, label: '2025–29, edition 1', kind: 'new_plan' });
    const tree = largePlan(partner.id);
    await insertEditionTree(db, edition.id, tree);
    const issuedAt = new Date();
    await db.transaction(async (tx) => {
      await tx
        .update(editions)
        .set({ vision: tree.vision, isFrozen: true, frozenAt: issuedAt, lifecycleState: 'issued' })
        .where(eq(editions.id, edition.id));
      await publishEdition(tx, { policingBodyId: body.id, editionId: edition.id, publishedAt: issuedAt });
    });
  } finally {
    await database.close();
  }
}
