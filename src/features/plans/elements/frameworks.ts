import { z } from 'zod';
import type { Database, Executor } from '../../../platform/db/database.ts';
import { existingFrameworkItemIds, listFrameworks, replaceFrameworkLinks } from '../plans.repository.ts';
import type { EditionContext } from '../edition-context.ts';

/** Framework items ticked on a priority, objective or commitment form. */
export const frameworkItemIdsField = z.array(z.string()).max(100).default([]);

export async function saveFrameworkLinks(tx: Executor, editionId: string, lineageId: string, frameworkItemIds: readonly string[]) {
  await replaceFrameworkLinks(tx, editionId, lineageId, await existingFrameworkItemIds(tx, frameworkItemIds));
}

export const frameworksFor = (db: Database, context: EditionContext) => listFrameworks(db, context.body.id);
