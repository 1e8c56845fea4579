import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import { describeChainReport, verifyAuditChain } from './platform/audit/audit.verify.ts';
import { main } from './server.ts';

/** `npm run audit:verify`: recomputes the audit log's hash chain; exits 2 at the first broken link. */
await main(async () => {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await verifyAuditChain(database.db);
    process.stdout.write(`${describeChainReport(report)}\n`);
    process.exitCode = report.isIntact ? 0 : 2;
  } finally {
    await database.close();
  }
});
