// Run by police-data-import.test.ts: imports a file into PostgreSQL, and after the first batch
// says so and stops dead (blocking, not awaiting), so the test can SIGKILL it mid-import. It stops
// at the second batch: by then the first batch is committed (progress is reported only after a
// batch's COPY has ended).
import { openDatabase } from '../../src/platform/db/database.ts';
import { importPoliceDataFile } from '../../src/features/performance/police-data.service.ts';

const [databaseUrl, file, policingBodyId] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase({ databaseUrl });
let batches = 0;
await importPoliceDataFile(
  database,
  { path: file, policingBodyId, userId: null },
  {
    batchBytes: 32 * 1024,
    onProgress: () => {
      batches += 1;
      if (batches < 2) return;
      process.stdout.write('batch written\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    },
  },
);
process.stdout.write('finished\n');
await database.close();
