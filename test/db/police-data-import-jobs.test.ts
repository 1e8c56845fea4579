import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runQueuedPoliceDataImports } from '../../src/features/performance/police-data.jobs.ts';
import { findImport } from '../../src/features/performance/police-data.repository.ts';
import { receivePoliceDataUpload, reportOf } from '../../src/features/performance/police-data.service.ts';
import { createBody } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { realPoliceFile } from '../support/police-data.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'police-data-jobs-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describeOnEveryEngine('the police data import job', (context) => {
  let bodyId: string;
  beforeAll(async () => {
    bodyId = (await createBody(context.database, { forceAreaId: 'dyfed-powys' })).body.id;
  });

  const receive = (name: string) =>
    receivePoliceDataUpload(context.database, {
      dataDir,
      fileName: name,
      stream: createReadStream(realPoliceFile(name)),
      policingBodyId: bodyId,
      actor: { userId: null, label: 'test' },
      now: new Date('2026-11-23T10:00:00Z'),
    });

  it('stores an upload as it streams in, with its size and SHA-256, queued for the job', async () => {
    const stored = await receive('2018-10-dyfed-powys-street.csv');
    if ('problem' in stored) throw new Error(stored.problem);
    const content = readFileSync(realPoliceFile('2018-10-dyfed-powys-street.csv'));
    expect(stored).toMatchObject({
      status: 'queued',
      byteSize: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect(stored.storedPath.startsWith(path.join(dataDir, 'police-data'))).toBe(true);
    expect(readFileSync(stored.storedPath).equals(content)).toBe(true);
  });

  it('runs every queued import, oldest first, and removes the stored uploads', async () => {
    const second = await receive('2018-11-dyfed-powys-street.csv');
    if ('problem' in second) throw new Error(second.problem);
    expect(await runQueuedPoliceDataImports(context.database)).toBe(2);
    const report = await reportOf(context.database, second.id);
    expect(report.status).toBe('succeeded');
    expect(report.files[0]!.rowsImported).toBe(
      readFileSync(realPoliceFile('2018-11-dyfed-powys-street.csv'), 'utf8').trimEnd().split('\n').length - 1,
    );
    expect(existsSync(second.storedPath)).toBe(false);
    expect((await findImport(context.database.db, second.id))!.bytesRead).toBe(second.byteSize);
    expect(await runQueuedPoliceDataImports(context.database)).toBe(0);
  });
});
