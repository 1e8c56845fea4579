import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/platform/db/database.ts';

/**
 * Migration 0009 files raw police data rows under their file's row key instead of its uuid. Rows
 * already held must move to their file's key, and nothing may write a raw row without one.
 */
describe('filing raw police data rows under their file keys (migration 0009)', () => {
  let pglite: PGlite;
  let earlier: string;
  const files = { a: '0f8fad5b-d9cb-469f-a165-70867728950e', b: '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
  const rows = (sql: string) => pglite.query<Record<string, unknown>>(sql).then((result) => result.rows);

  beforeAll(async () => {
    // The migrations before 0009, in a folder of their own.
    earlier = await mkdtemp(path.join(tmpdir(), 'pcp-migrations-'));
    await cp(migrationsFolder, earlier, { recursive: true });
    const journalPath = path.join(earlier, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
    const before = journal.entries.filter((entry) => entry.idx < 9);
    expect(before.at(-1)!.tag).toBe('0008_police_data_import_speed');
    await writeFile(journalPath, JSON.stringify({ ...journal, entries: before }));

    pglite = await PGlite.create();
    await migrate(drizzle(pglite), { migrationsFolder: earlier });
    // Two files' rows as an earlier version stored them (foreign keys aside: only the rows matter).
    await pglite.exec(`
      set session_replication_role = replica;
      insert into police_data_files (id, import_id, entry_name, kind, force_area_id, month, status)
        values ('${files.a}', gen_random_uuid(), 'a.csv', 'street', 'dyfed-powys', '2019-01-01', 'imported'),
               ('${files.b}', gen_random_uuid(), 'b.csv', 'outcomes', 'dyfed-powys', '2019-01-01', 'imported');
      insert into street_crimes (file_id, month, reported_by, falls_within, location, crime_type)
        values ('${files.a}', '2019-01', 'Dyfed-Powys Police', 'Dyfed-Powys Police', 'On or near A', 'Burglary'),
               ('${files.a}', '2019-01', 'Dyfed-Powys Police', 'Dyfed-Powys Police', 'On or near B', 'Robbery');
      insert into crime_outcomes (file_id, month, crime_id, reported_by, falls_within, location, outcome_type)
        values ('${files.b}', '2019-01', 'abc', 'Dyfed-Powys Police', 'Dyfed-Powys Police', 'On or near C', 'Unable to prosecute suspect');
      set session_replication_role = origin;
    `);
    await migrate(drizzle(pglite), { migrationsFolder });
  });

  afterAll(async () => {
    await pglite?.close();
    if (earlier) await rm(earlier, { recursive: true, force: true });
  });

  it("moves every row to its file's key and drops the uuid column", async () => {
    expect(
      await rows(
        `select f.id, count(*)::int as count from street_crimes s join police_data_files f on f.row_key = s.file_key group by f.id`,
      ),
    ).toEqual([{ id: files.a, count: 2 }]);
    expect(
      await rows(
        `select f.id, count(*)::int as count from crime_outcomes s join police_data_files f on f.row_key = s.file_key group by f.id`,
      ),
    ).toEqual([{ id: files.b, count: 1 }]);
    expect(
      await rows(`select table_name from information_schema.columns
        where column_name = 'file_id' and table_name in ('street_crimes', 'crime_outcomes', 'stop_searches')`),
    ).toEqual([]);
    // Files added later take keys after the ones given to the files already there.
    expect(await rows(`select row_key from police_data_files order by row_key`)).toEqual([{ row_key: 1 }, { row_key: 2 }]);
    expect(await rows(`select nextval(pg_get_serial_sequence('police_data_files', 'row_key'))::int as next`)).toEqual([{ next: 3 }]);
  });

  it('refuses a raw row written without the file key setting, and files one under the key it sets', async () => {
    const insert = `insert into street_crimes (month, reported_by, falls_within, location, crime_type)
      values ('2019-01', 'Dyfed-Powys Police', 'Dyfed-Powys Police', 'On or near D', 'Burglary')`;
    await expect(pglite.query(insert)).rejects.toThrow(/pcp\.police_data_file_key/);
    await pglite.transaction(async (tx) => {
      await tx.query(`select set_config('pcp.police_data_file_key', '1', true)`);
      await tx.query(insert);
    });
    expect(await rows(`select count(*)::int as count from street_crimes where file_key = 1`)).toEqual([{ count: 3 }]);
  });
});
