import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/index.ts';
import { rowsOf, type DatabaseHandle, type Executor } from '../../src/platform/db/database.ts';
import { importPoliceDataFile, type ImportReport } from '../../src/features/performance/police-data.service.ts';
import { withoutWaitingForDisk } from '../../src/features/performance/police-data.repository.ts';
import { cutShort } from '../../src/features/performance/domain/police-data-rows.ts';
import { createBody } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { policeFixtures, realPoliceFile, zipOf } from '../support/police-data.ts';

const workDirectory = mkdtempSync(path.join(tmpdir(), 'police-data-import-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

/** Writes content to a file with the given name, in a folder of its own, and returns its path. */
let written = 0;
function fileNamed(name: string, content: Buffer | string): string {
  const folder = path.join(workDirectory, String((written += 1)));
  mkdirSync(folder, { recursive: true });
  const target = path.join(folder, name);
  writeFileSync(target, content);
  return target;
}

const query = async <T>(database: DatabaseHandle, statement: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(statement));

/** A street file's counts per crime type, read from the aggregate table. */
async function crimeTypeCounts(database: DatabaseHandle, forceAreaId: string, month: string) {
  const rows = await query<{ crime_type: string; count: number }>(
    database,
    sql`select crime_type, count from crime_counts_by_month where force_area_id = ${forceAreaId} and month = ${month} order by crime_type`,
  );
  return rows.map((r) => [r.crime_type, Number(r.count)]);
}

async function datasetFile(database: DatabaseHandle, kind: string, forceAreaId: string, month: string) {
  const rows = await query<{ file_id: string; row_count: number }>(
    database,
    sql`select file_id, row_count from police_datasets where kind = ${kind} and force_area_id = ${forceAreaId} and month = ${month}`,
  );
  return rows[0];
}

async function rowsUnder(database: DatabaseHandle, table: 'street_crimes' | 'stop_searches', fileId: string) {
  const rows = await query<{ count: number }>(
    database,
    sql`select count(*)::int as count from ${sql.raw(table)} where file_key = (select row_key from police_data_files where id = ${fileId})`,
  );
  return Number(rows[0]!.count);
}

const dataLines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;

/** The aggregates of every current street file, and the same counts by GROUP BY over the raw rows. */
async function aggregatesAgainstRawRows(database: DatabaseHandle) {
  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify({ ...r, count: Number(r.count) })).sort();
  const pairs: [string, string][] = [
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, crime_type, count from crime_counts_by_month`,
      `select d.force_area_id, s.month, s.crime_type, count(*) as count from street_crimes s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3`,
    ],
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, type.key as crime_type, lsoa_code, lsoa_name, type.value::int as count
         from crime_counts_by_lsoa_month, jsonb_each_text(by_crime_type) as type`,
      `select d.force_area_id, s.month, s.crime_type, coalesce(s.lsoa_code, '') as lsoa_code, min(coalesce(s.lsoa_name, '')) as lsoa_name, count(*) as count
         from street_crimes s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3, 4`,
    ],
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, lsoa_code, lsoa_name, count from crime_counts_by_lsoa_month`,
      `select d.force_area_id, s.month, coalesce(s.lsoa_code, '') as lsoa_code, min(coalesce(s.lsoa_name, '')) as lsoa_name, count(*) as count
         from street_crimes s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3`,
    ],
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, crime_type, outcome_category, count from crime_counts_by_outcome`,
      `select d.force_area_id, s.month, s.crime_type, coalesce(s.last_outcome_category, '') as outcome_category, count(*) as count
         from street_crimes s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3, 4`,
    ],
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, outcome_type, count from outcome_counts`,
      `select d.force_area_id, s.month, s.outcome_type, count(*) as count from crime_outcomes s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3`,
    ],
    [
      `select force_area_id, to_char(month, 'YYYY-MM') as month, object_of_search, outcome, officer_defined_ethnicity, count from stop_search_counts`,
      `select d.force_area_id, s.month, coalesce(s.object_of_search, '') as object_of_search, coalesce(s.outcome, '') as outcome,
              coalesce(s.officer_defined_ethnicity, '') as officer_defined_ethnicity, count(*) as count
         from stop_searches s join police_data_files f on f.row_key = s.file_key join police_datasets d on d.file_id = f.id group by 1, 2, 3, 4, 5`,
    ],
  ];
  const results = [];
  for (const [aggregate, raw] of pairs) {
    results.push({
      aggregate: sorted(await query(database, sql.raw(aggregate))),
      raw: sorted(await query(database, sql.raw(raw))),
    });
  }
  return results;
}

/** Everything an import may change, so a refused file can be shown to change nothing. */
async function snapshot(database: DatabaseHandle) {
  const tables = [
    'police_datasets',
    'street_crimes',
    'crime_outcomes',
    'stop_searches',
    'crime_counts_by_month',
    'crime_counts_by_lsoa_month',
  ];
  const result: Record<string, unknown> = {};
  for (const table of tables) {
    result[table] = await query(
      database,
      sql.raw(`select count(*)::int as count, md5(string_agg(t::text, ',' order by t::text)) as digest from ${table} t`),
    );
  }
  return result;
}

describeOnEveryEngine('importing data.police.uk files', (context) => {
  let bodyId: string;
  const run = (file: string, options: Parameters<typeof importPoliceDataFile>[2] = {}, fileName?: string): Promise<ImportReport> =>
    importPoliceDataFile(context.database, { path: file, fileName, policingBodyId: bodyId, userId: null }, options);

  beforeAll(async () => {
    const { body } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    bodyId = body.id;
  });

  it('imports a street file: every row, the dataset pointing at it, and counts per crime type', async () => {
    const file = realPoliceFile('2019-01-dyfed-powys-street.csv');
    const report = await run(file);
    expect(report.status).toBe('succeeded');
    expect(report.files).toHaveLength(1);
    const [imported] = report.files;
    expect(imported).toMatchObject({
      kind: 'street',
      forceAreaId: 'dyfed-powys',
      month: '2019-01-01',
      status: 'imported',
      rowsRejected: 0,
    });
    expect(imported!.rowsImported).toBe(dataLines(file));
    const dataset = await datasetFile(context.database, 'street', 'dyfed-powys', '2019-01-01');
    expect(dataset).toEqual({ file_id: imported!.id, row_count: imported!.rowsImported });
    expect(await rowsUnder(context.database, 'street_crimes', imported!.id)).toBe(imported!.rowsImported);
    const antiSocial = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes(',Anti-social behaviour,')).length;
    expect(await crimeTypeCounts(context.database, 'dyfed-powys', '2019-01-01')).toContainEqual(['Anti-social behaviour', antiSocial]);
  });

  it('re-importing the same month replaces it: same counts, no duplicates, the dataset points at the new file', async () => {
    const file = realPoliceFile('2019-01-dyfed-powys-street.csv');
    const before = await datasetFile(context.database, 'street', 'dyfed-powys', '2019-01-01');
    const countsBefore = await crimeTypeCounts(context.database, 'dyfed-powys', '2019-01-01');
    const report = await run(file);
    expect(report.status).toBe('succeeded');
    const after = await datasetFile(context.database, 'street', 'dyfed-powys', '2019-01-01');
    expect(after!.file_id).toBe(report.files[0]!.id);
    expect(after!.file_id).not.toBe(before!.file_id);
    expect(await crimeTypeCounts(context.database, 'dyfed-powys', '2019-01-01')).toEqual(countsBefore);
    expect(await rowsUnder(context.database, 'street_crimes', before!.file_id)).toBe(0);
    const total = await query<{ count: number }>(
      context.database,
      sql`select count(*)::int as count from street_crimes where month = '2019-01'`,
    );
    expect(Number(total[0]!.count)).toBe(dataLines(file));
  });

  it('imports a stop-and-search file', async () => {
    const file = realPoliceFile('2018-07-metropolitan-stop-and-search.csv');
    const report = await run(file);
    expect(report.status).toBe('succeeded');
    expect(report.files[0]).toMatchObject({
      kind: 'stop_and_search',
      forceAreaId: 'metropolitan',
      rowsImported: dataLines(file),
      rowsRejected: 0,
    });
    expect(await rowsUnder(context.database, 'stop_searches', report.files[0]!.id)).toBe(dataLines(file));
  });

  it('imports an outcomes file', async () => {
    // Outcomes files share the street file's first nine columns, then the outcome type.
    const street = readFileSync(realPoliceFile('2019-01-dyfed-powys-street.csv'), 'utf8').trimEnd().split('\n');
    const rows = street
      .slice(1)
      .map((line) => line.split(','))
      .filter((fields) => fields[0] !== '' && fields[10] !== '')
      .map((fields) => [...fields.slice(0, 9), fields[10]].join(','));
    const header = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type';
    const report = await run(fileNamed('2019-01-dyfed-powys-outcomes.csv', [header, ...rows, ''].join('\n')));
    expect(report.status).toBe('succeeded');
    expect(report.files[0]).toMatchObject({ kind: 'outcomes', rowsImported: rows.length, rowsRejected: 0 });
    const counted = await query<{ count: number }>(
      context.database,
      sql`select count(*)::int as count from crime_outcomes where file_key = (select row_key from police_data_files where id = ${report.files[0]!.id}) and outcome_type = 'Unable to prosecute suspect'`,
    );
    expect(Number(counted[0]!.count)).toBe(rows.filter((row) => row.endsWith(',Unable to prosecute suspect')).length);
  });

  it('imports the good rows of a file and lists each bad row with its line and reason', async () => {
    const report = await run(path.join(policeFixtures, 'bad-rows', '2019-02-dyfed-powys-street.csv'));
    expect(report.status).toBe('succeeded');
    expect(report.files[0]).toMatchObject({ status: 'imported', rowsRead: 9, rowsImported: 5, rowsRejected: 4 });
    expect(report.files[0]!.rejections).toEqual([
      { line: 5, reason: 'Month is 2019-01, but this file is for 2019-02' },
      { line: 6, reason: 'Crime type is missing' },
      { line: 7, reason: 'Longitude "west" is not a number' },
      { line: 8, reason: 'The row has 11 columns; a street-level crime row has 12' },
    ]);
  });

  it('rejects a file truncated mid-row whole, and changes nothing', async () => {
    const source = realPoliceFile('2018-12-dyfed-powys-street.csv');
    expect((await run(source)).status).toBe('succeeded');
    const before = await snapshot(context.database);
    const text = readFileSync(source);
    const middle = text.indexOf(0x0a, Math.floor(text.length / 2));
    const truncated = fileNamed('2018-12-dyfed-powys-street.csv', text.subarray(0, middle + 60));
    const report = await run(truncated);
    expect(report.status).toBe('failed');
    expect(report.files[0]).toMatchObject({ status: 'rejected', message: cutShort, rowsImported: 0 });
    expect(await snapshot(context.database)).toEqual(before);
  });

  it.each([
    [
      'a wrong header',
      '2018-12-dyfed-powys-street.csv',
      () => readFileSync(realPoliceFile('2018-12-dyfed-powys-street.csv'), 'utf8').replace('Crime type', 'Offence'),
      /^The header is not a data.police.uk street-level crime header: expected "Crime ID,Month,/,
    ],
    [
      'a PNG named like a CSV',
      '2018-12-dyfed-powys-street.csv',
      () => Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
      /^The file is not UTF-8 text/,
    ],
    [
      'Latin-1 text',
      '2018-12-dyfed-powys-street.csv',
      () =>
        Buffer.from(
          readFileSync(realPoliceFile('2018-12-dyfed-powys-street.csv'), 'utf8').replace('On or near Danybryn', 'On or near Caf\u00e9'),
          'latin1',
        ),
      /^The file is not UTF-8 text/,
    ],
  ])('rejects %s with a clear message, and changes nothing', async (_what, name, content, message) => {
    const before = await snapshot(context.database);
    const report = await run(fileNamed(name, content()));
    expect(report.status).toBe('failed');
    expect(report.files[0]!.status).toBe('rejected');
    expect(report.files[0]!.message).toMatch(message);
    expect(await snapshot(context.database)).toEqual(before);
  });

  it('refuses a file not named like a data.police.uk file', async () => {
    const before = await snapshot(context.database);
    const report = await run(fileNamed('photo.png', Buffer.from('89504e470d0a1a0a', 'hex')));
    expect(report).toMatchObject({ status: 'failed', files: [] });
    expect(report.message).toMatch(/"photo.png" is not named like a data.police.uk file/);
    expect(await snapshot(context.database)).toEqual(before);
  });

  it('refuses a zip with an unexpected entry whole, before importing any of it', async () => {
    const before = await snapshot(context.database);
    const zip = zipOf([
      { name: '2018-10/' },
      { name: '2018-10/2018-10-dyfed-powys-street.csv', content: readFileSync(realPoliceFile('2018-10-dyfed-powys-street.csv')) },
      { name: '2018-10/notes.txt', content: 'hello' },
    ]);
    const report = await run(fileNamed('police-data.zip', zip));
    expect(report).toMatchObject({ status: 'failed', files: [] });
    expect(report.message).toMatch(/holds "2018-10\/notes.txt", which is not a data.police.uk/);
    expect(await snapshot(context.database)).toEqual(before);
  });

  it('refuses a zip cut short, and one whose entry is damaged, with a clear message and changes nothing', async () => {
    const before = await snapshot(context.database);
    const zip = zipOf([
      { name: '2018-10-dyfed-powys-street.csv', content: readFileSync(realPoliceFile('2018-10-dyfed-powys-street.csv')) },
    ]);
    const cut = await run(fileNamed('cut.zip', zip.subarray(0, Math.floor(zip.length / 2))));
    expect(cut).toMatchObject({ status: 'failed', files: [] });
    expect(cut.message).toMatch(/^The zip file cannot be read/);
    // Flip bytes in the middle of the compressed data: the entry no longer inflates or matches its CRC.
    const damaged = Buffer.from(zip);
    for (let i = 200; i < 260; i += 1) damaged[i] = damaged[i]! ^ 0xff;
    const report = await run(fileNamed('damaged.zip', damaged));
    expect(report.status).toBe('failed');
    expect(report.files[0]!.status).toBe('rejected');
    expect(report.files[0]!.message).toMatch(/^The file (could not be read|is not UTF-8 text)/);
    expect(await snapshot(context.database)).toEqual(before);
  });

  it('imports each file of a zip of several forces and months', async () => {
    const names = [
      '2018-10/2018-10-dyfed-powys-street.csv',
      '2018-11/2018-11-dyfed-powys-street.csv',
      '2019-01/2019-01-leicestershire-street.csv',
    ];
    const zip = zipOf([
      { name: '2018-10/' },
      { name: '2018-11/' },
      { name: '2019-01/' },
      ...names.map((name) => ({ name, content: readFileSync(realPoliceFile(path.basename(name))) })),
    ]);
    const progress: number[] = [];
    const report = await run(fileNamed('download.zip', zip), { onProgress: ({ bytesRead }) => progress.push(bytesRead) });
    expect(report.status).toBe('succeeded');
    expect(report.files.map((f) => [f.entryName, f.status, f.rowsImported])).toEqual(
      names.map((name) => [name, 'imported', dataLines(realPoliceFile(path.basename(name)))]),
    );
    expect(progress.at(-1)).toBe(zip.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await datasetFile(context.database, 'street', 'leicestershire', '2019-01-01')).toBeDefined();
    expect(await datasetFile(context.database, 'street', 'dyfed-powys', '2018-11-01')).toBeDefined();
  });

  it('an import stopped after its first batch leaves the previous data as it was', async () => {
    const file = realPoliceFile('2018-10-dyfed-powys-street.csv');
    const before = await snapshot(context.database);
    const previous = await datasetFile(context.database, 'street', 'dyfed-powys', '2018-10-01');
    expect(previous).toBeDefined();
    const controller = new AbortController();
    let batches = 0;
    const report = await run(file, {
      batchBytes: 32 * 1024,
      signal: controller.signal,
      onProgress: () => {
        batches += 1;
        controller.abort();
      },
    });
    expect(batches).toBe(1);
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(/stopped before it finished/);
    expect(report.files[0]!.status).toBe('rejected');
    expect(await rowsUnder(context.database, 'street_crimes', report.files[0]!.id)).toBe(0);
    expect(await snapshot(context.database)).toEqual(before);
  });

  it('keeps every aggregate equal to a GROUP BY over the current raw rows', async () => {
    for (const { aggregate, raw } of await aggregatesAgainstRawRows(context.database)) {
      expect(aggregate.length).toBeGreaterThan(0);
      expect(aggregate).toEqual(raw);
    }
  });

  it('records the replacement and the end of the import in the audit chain, which stays intact', async () => {
    const before = await query<{ count: number }>(context.database, sql`select count(*)::int as count from audit_events`);
    const report = await run(realPoliceFile('2018-12-dyfed-powys-street.csv'));
    expect(report.status).toBe('succeeded');
    const events = await query<{ action: string; subject_id: string }>(
      context.database,
      sql`select action, subject_id from audit_events order by id desc limit 3`,
    );
    expect(events.reverse()).toEqual([
      { action: 'police_data_import.uploaded', subject_id: report.importId },
      { action: 'police_dataset.replaced', subject_id: 'street/dyfed-powys/2018-12' },
      { action: 'police_data_import.finished', subject_id: report.importId },
    ]);
    const after = await query<{ count: number }>(context.database, sql`select count(*)::int as count from audit_events`);
    expect(Number(after[0]!.count)).toBe(Number(before[0]!.count) + 3);
    expect(await verifyAuditChain(context.database.db)).toMatchObject({ isIntact: true });
  });

  it("does an import's bookkeeping without waiting for the disk, in that transaction only", async () => {
    const setting = async (db: Executor) =>
      rowsOf<{ synchronous_commit: string }>(await db.execute(sql`show synchronous_commit`))[0]!.synchronous_commit;
    expect(await withoutWaitingForDisk(context.database.db, setting)).toBe('off');
    expect(await setting(context.database.db)).toBe('on');
  });

  it('leaves no file key set once the rows are written, so a stray raw row could not be filed under it', async () => {
    expect((await run(realPoliceFile('2019-02-dyfed-powys-street.csv'))).status).toBe('succeeded');
    const [setting] = await query<{ key: string }>(
      context.database,
      sql`select coalesce(current_setting('pcp.police_data_file_key', true), '') as key`,
    );
    expect(setting!.key).toBe('');
  });

  // PGlite is embedded in one process: there is no separate process to kill.
  it.runIf(context.engine === 'postgres')(
    'a process killed mid-import leaves the previous month intact, and the next import succeeds',
    async () => {
      const database = context.database;
      const file = realPoliceFile('2018-11-dyfed-powys-street.csv');
      const previous = await datasetFile(database, 'street', 'dyfed-powys', '2018-11-01');
      expect(previous).toBeDefined();
      const countsBefore = await crimeTypeCounts(database, 'dyfed-powys', '2018-11-01');
      const url = (database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./police-data-import.child.ts', import.meta.url)), url, file, bodyId],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('batch written')) resolve();
        });
        child.on('exit', () => reject(new Error('the child ended before writing a batch')));
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const killed = await query<{ id: string; status: string }>(
        database,
        sql`select i.id, i.status from police_data_imports i order by created_at desc limit 1`,
      );
      expect(killed[0]!.status).toBe('running');
      const orphanRows = await query<{ count: number }>(
        database,
        sql`select count(*)::int as count from street_crimes s join police_data_files f on f.row_key = s.file_key where f.import_id = ${killed[0]!.id}`,
      );
      expect(Number(orphanRows[0]!.count)).toBeGreaterThan(0);
      expect(await datasetFile(database, 'street', 'dyfed-powys', '2018-11-01')).toEqual(previous);
      expect(await crimeTypeCounts(database, 'dyfed-powys', '2018-11-01')).toEqual(countsBefore);

      const report = await run(file);
      expect(report.status).toBe('succeeded');
      const stale = await query<{ status: string }>(database, sql`select status from police_data_imports where id = ${killed[0]!.id}`);
      expect(stale[0]!.status).toBe('failed');
      const leftOver = await query<{ count: number }>(
        database,
        sql`select count(*)::int as count from street_crimes s join police_data_files f on f.row_key = s.file_key where f.import_id = ${killed[0]!.id}`,
      );
      expect(Number(leftOver[0]!.count)).toBe(0);
      expect(await rowsUnder(database, 'street_crimes', report.files[0]!.id)).toBe(dataLines(file));
    },
    60_000,
  );
});
