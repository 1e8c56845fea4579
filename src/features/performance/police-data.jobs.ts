import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import { queuedImportIds } from './police-data.repository.ts';
import { runPoliceDataImport } from './police-data.service.ts';

export const POLICE_DATA_IMPORT_JOB = 'police-data.import';

/**
 * Runs every queued import, oldest first, until none is left. The queue holds at most one job
 * waiting (pg-boss "stately"), so one job drains every upload made while another was running;
 * imports therefore run one at a time, which the clean-up of stopped imports relies on.
 */
export async function runQueuedPoliceDataImports(database: DatabaseHandle): Promise<number> {
  let count = 0;
  for (;;) {
    const [next] = await queuedImportIds(database.db);
    if (!next) return count;
    await runPoliceDataImport(database, next);
    count += 1;
  }
}

/** The job that imports uploaded data.police.uk files. A failed import is reported, not retried. */
export function policeDataJobs(database: DatabaseHandle): JobDefinition[] {
  return [
    { name: POLICE_DATA_IMPORT_JOB, handler: async () => void (await runQueuedPoliceDataImports(database)), retryLimit: 1, retryDelay: 30 },
  ];
}
