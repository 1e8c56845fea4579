import type { Executor } from '../../platform/db/database.ts';

/**
 * Publishes an issued edition on the body's public site: renders its pages and plan JSON once
 * and stores them as an immutable snapshot (published_editions). Called by the lifecycle in the
 * same transaction that issues the edition.
 */
export async function publishEdition(tx: Executor, input: { policingBodyId: string; editionId: string; publishedAt: Date }): Promise<void> {
  // Filled in by the publication feature.
  void tx;
  void input;
}
