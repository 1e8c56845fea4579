import { finished } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import { and, desc, eq, getTableColumns, getTableName, inArray, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { rowsOf, type Database, type DatabaseHandle, type Executor } from '../../platform/db/database.ts';
import { forceAreas } from '../organisations/organisations.tables.ts';
import { copyFields, type PoliceDataAggregates } from './domain/police-data-rows.ts';
import type { PoliceDataKind, RejectedRow } from './domain/performance-model.ts';
import {
  crimeCountsByLsoaMonth,
  crimeCountsByMonth,
  crimeCountsByOutcome,
  crimeOutcomes,
  outcomeCounts,
  policeDataFiles,
  policeDataImports,
  policeDatasets,
  stopSearchCounts,
  stopSearches,
  streetCrimes,
} from './performance.tables.ts';

export type PoliceDataImport = typeof policeDataImports.$inferSelect;
export type PoliceDataFile = typeof policeDataFiles.$inferSelect;

export async function insertImport(db: Executor, values: typeof policeDataImports.$inferInsert): Promise<PoliceDataImport> {
  const [row] = await db.insert(policeDataImports).values(values).returning();
  return row!;
}

export async function findImport(db: Executor, importId: string): Promise<PoliceDataImport | undefined> {
  const [row] = await db.select().from(policeDataImports).where(eq(policeDataImports.id, importId));
  return row;
}

/**
 * Runs `work` in a transaction whose commit does not wait for the disk (synchronous_commit off):
 * for an import's bookkeeping before its file is made current. Safe because that later commit
 * does wait, and the write-ahead log is flushed in order, so it makes everything before it
 * durable too; a crash before it loses at most bookkeeping the clean-up of the next import
 * repairs (an import still queued is simply run again).
 */
export async function withoutWaitingForDisk<T>(db: Database, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    return work(tx);
  });
}

/** Marks a queued import running and returns it; undefined when it is not queued (so two runs cannot both claim it). */
export async function claimImport(db: Executor, importId: string, startedAt: Date): Promise<PoliceDataImport | undefined> {
  const [row] = await db
    .update(policeDataImports)
    .set({ status: 'running', startedAt, bytesRead: 0 })
    .where(and(eq(policeDataImports.id, importId), eq(policeDataImports.status, 'queued')))
    .returning();
  return row;
}

export async function listImports(db: Executor, policingBodyId: string, limit = 50): Promise<PoliceDataImport[]> {
  return db
    .select()
    .from(policeDataImports)
    .where(eq(policeDataImports.policingBodyId, policingBodyId))
    .orderBy(desc(policeDataImports.createdAt))
    .limit(limit);
}

/** Imports waiting for the job, oldest first. */
export async function queuedImportIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: policeDataImports.id })
    .from(policeDataImports)
    .where(eq(policeDataImports.status, 'queued'))
    .orderBy(policeDataImports.createdAt);
  return rows.map((row) => row.id);
}

export async function updateImport(db: Executor, importId: string, values: Partial<typeof policeDataImports.$inferInsert>): Promise<void> {
  await db.update(policeDataImports).set(values).where(eq(policeDataImports.id, importId));
}

export async function listFiles(db: Executor, importId: string): Promise<PoliceDataFile[]> {
  return db.select().from(policeDataFiles).where(eq(policeDataFiles.importId, importId)).orderBy(policeDataFiles.entryName);
}

export async function insertFiles(db: Executor, values: (typeof policeDataFiles.$inferInsert)[]): Promise<PoliceDataFile[]> {
  if (values.length === 0) return [];
  return db.insert(policeDataFiles).values(values).returning();
}

export async function updateFile(db: Executor, fileId: string, values: Partial<typeof policeDataFiles.$inferInsert>): Promise<void> {
  await db.update(policeDataFiles).set(values).where(eq(policeDataFiles.id, fileId));
}

export async function knownForceAreas(db: Executor): Promise<Set<string>> {
  const rows = await db.select({ id: forceAreas.id }).from(forceAreas);
  return new Set(rows.map((row) => row.id));
}

/** The row keys of the given files: what their raw rows are filed under. */
const rowKeysOf = (db: Executor, fileIds: readonly string[]) =>
  db
    .select({ rowKey: policeDataFiles.rowKey })
    .from(policeDataFiles)
    .where(inArray(policeDataFiles.id, [...fileIds]));

const rawTableOf = { street: streetCrimes, outcomes: crimeOutcomes, stop_and_search: stopSearches } as const;

type AggregateSource = {
  table: PgTable;
  /** The rows counted for the table. */
  rows: (aggregates: PoliceDataAggregates) => object[];
  /** The fields those rows hold, named as the table's columns are in its Drizzle definition. */
  fields: string[];
};

/** Each kind's aggregate tables, and what is written to them. */
const aggregatesOf: Record<PoliceDataKind, AggregateSource[]> = {
  street: [
    { table: crimeCountsByMonth, rows: (a) => a.byMonth, fields: ['crimeType', 'count'] },
    { table: crimeCountsByLsoaMonth, rows: (a) => a.byLsoaMonth, fields: ['lsoaCode', 'lsoaName', 'count', 'byCrimeType'] },
    { table: crimeCountsByOutcome, rows: (a) => a.byOutcome, fields: ['crimeType', 'outcomeCategory', 'count'] },
  ],
  outcomes: [{ table: outcomeCounts, rows: (a) => a.outcomes, fields: ['outcomeType', 'count'] }],
  stop_and_search: [
    { table: stopSearchCounts, rows: (a) => a.stopSearches, fields: ['objectOfSearch', 'outcome', 'officerDefinedEthnicity', 'count'] },
  ],
};

/**
 * Deletes the raw rows written under the given files of one kind (files never made current: their
 * aggregates are only ever written in the transaction that makes a file current).
 */
export async function deleteRowsOfFiles(db: Executor, kind: PoliceDataKind, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  const table = rawTableOf[kind];
  await db.delete(table).where(inArray(table.fileKey, rowKeysOf(db, fileIds)));
}

/** Records a file's progress and its import's in one statement (one round trip per batch). */
export async function recordProgress(
  db: Executor,
  file: { id: string; rowsRead: number; rowsImported: number; rowsRejected: number },
  importId: string,
  bytesRead: number,
): Promise<void> {
  await db.execute(sql`
    with file as (
      update police_data_files set rows_read = ${file.rowsRead}, rows_imported = ${file.rowsImported}, rows_rejected = ${file.rowsRejected}
      where id = ${file.id}
    )
    update police_data_imports set bytes_read = ${bytesRead} where id = ${importId}`);
}

/**
 * Clean-up before an import. Imports run one at a time, so any other import still marked running
 * was stopped part-way (its process was killed): it is marked failed, and every file of another
 * import not finished yet has its raw rows deleted and is marked rejected. Current data is never
 * touched: only police_datasets makes a file current, and no current file is pending or running.
 * One statement when there is nothing to clean up, which is nearly always.
 */
export async function cleanUpUnfinished(db: Executor, importId: string, now: Date): Promise<void> {
  const orphans = rowsOf<{ id: string }>(
    await db.execute(sql`
      with stale as (
        update police_data_imports
        set status = 'failed', message = 'The import stopped before it finished. Nothing in it was made current. Upload the file again.',
          finished_at = ${now}
        where status = 'running' and id <> ${importId}
      )
      update police_data_files
      set status = 'rejected', message = 'The import stopped before this file was finished.', finished_at = ${now}
      where status in ('pending', 'running') and import_id <> ${importId}
      returning id`),
  );
  if (orphans.length > 0)
    await deleteRawRowsOfFiles(
      db,
      orphans.map((orphan) => orphan.id),
    );
}

/** Deletes the raw rows written under the given files (of any kind). */
async function deleteRawRowsOfFiles(db: Executor, fileIds: string[]): Promise<void> {
  const keys = sql`(${rowKeysOf(db, fileIds)})`;
  await db.execute(sql`
    with street as (delete from street_crimes where file_key in ${keys}),
      outcomes as (delete from crime_outcomes where file_key in ${keys})
    delete from stop_searches where file_key in ${keys}`);
}

/**
 * Writes rows with COPY in batches, each batch committed on its own: the rows sit under a file key
 * nothing points at yet, so readers never see them until the file is made current. On PostgreSQL
 * a batch is one COPY stream on a connection of its own, which rows are written into as they are
 * checked, so this process and the database work at once; PGlite's COPY reads a whole blob, so
 * there the batch is gathered.
 */
export type CopyBatch = {
  /**
   * Sends rows as COPY input. It never waits for the database: this process runs ahead through
   * the batch (whose size bounds what is held), so that it has the file's aggregates ready while
   * the database is still storing its rows.
   */
  write(input: string | Uint8Array): void;
  /** Ends and commits the batch. */
  end(): Promise<void>;
  /** Abandons the batch: none of its rows is kept. */
  abort(): Promise<void>;
};
export type CopyWriter = {
  begin(): CopyBatch;
  close(): Promise<void>;
  /** True when the COPY has a connection of its own, so other statements can run while it goes on. */
  concurrent: boolean;
};

/**
 * `COPY … (FORMAT csv)` into a kind's raw table, its columns in the order the row copier writes
 * them (copyFields). The file key is left out: its default reads the session setting the writer
 * sets (rawFileKey in performance.tables.ts). A NOT NULL column reads an empty value as an empty
 * string (FORCE_NOT_NULL): a street crime's Location may be empty, and is not missing.
 */
export function copyStatement(kind: PoliceDataKind, source: 'STDIN' | `'/dev/blob'`): string {
  const table = rawTableOf[kind];
  const columns = getTableColumns(table) as Record<string, { name: string; notNull: boolean }>;
  const targets = copyFields[kind].map((field) => columns[field]!);
  const notNull = targets.filter((column) => column.notNull).map((column) => column.name);
  return `COPY ${getTableName(table)} (${targets.map((column) => column.name).join(', ')}) FROM ${source} (FORMAT csv, FORCE_NOT_NULL (${notNull.join(', ')}))`;
}

/**
 * The call that sets the file key the raw rows' default reads, for the session (or, with
 * `local`, the transaction). The key is an integer: nothing to escape.
 */
const fileKeySetting = (fileKey: number, local: boolean) => `set_config('pcp.police_data_file_key', '${Number(fileKey)}', ${local})`;

/** Writes the rows of the file with the given row key. */
export async function copyWriter(database: DatabaseHandle, kind: PoliceDataKind, fileKey: number): Promise<CopyWriter> {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.engine === 'pglite') {
    const pglite = client as PGlite;
    const blobStatement = copyStatement(kind, `'/dev/blob'`);
    return {
      begin() {
        let parts: (string | Uint8Array)[] = [];
        return {
          write(input) {
            parts.push(input);
          },
          async end() {
            const blob = new Blob(parts);
            parts = [];
            if (blob.size === 0) return;
            // One call of two statements, which PostgreSQL runs as one transaction: the setting
            // lasts that transaction only, so nothing else in this shared session can file rows
            // under this file.
            await pglite.exec(`select ${fileKeySetting(fileKey, true)}; ${blobStatement}`, { blob });
          },
          async abort() {
            parts = [];
          },
        };
      },
      async close() {},
      concurrent: false,
    };
  }
  const statement = copyStatement(kind, 'STDIN');
  const connection = await (client as pg.Pool).connect();
  // Safe without waiting for the disk: these rows matter only once the file is made current, and
  // that commit waits for the write-ahead log, which holds them before it (a crash in between
  // loses only rows that no dataset points at, which the next import's clean-up deletes anyway).
  // Not awaited: the COPY is queued behind it on the connection (if it failed, the COPY would fail
  // for want of the file key).
  connection.query(`select ${fileKeySetting(fileKey, false)}, set_config('synchronous_commit', 'off', false)`).catch(() => undefined);
  let broken = false;
  let released = false;
  return {
    begin() {
      const stream = connection.query(copyFrom(statement));
      const done = finished(stream);
      done.catch(() => undefined);
      let failure: Error | undefined;
      stream.on('error', (error: Error) => {
        failure = error;
      });
      return {
        write(input) {
          if (failure) throw failure;
          stream.write(input);
        },
        async end() {
          stream.end();
          await done;
        },
        async abort() {
          if (!stream.destroyed) {
            broken = true;
            stream.destroy();
          }
          await done.catch(() => undefined);
        },
      };
    },
    async close() {
      if (released) return;
      released = true;
      if (broken) return connection.release(true);
      // The connection goes back to the pool once reset; nothing waits for that.
      connection.query('reset all').then(
        () => connection.release(),
        () => connection.release(true),
      );
    },
    concurrent: true,
  };
}

/** How a file's import went: its report, as recorded when it is made current. */
export type FileOutcome = Pick<PoliceDataFile, 'rowsRead' | 'rowsImported' | 'rowsRejected' | 'rejections' | 'message'>;

/**
 * Makes a file the current one for its kind, force area and month, inside the caller's
 * transaction: records it as imported with its report, points police_datasets at it, deletes
 * the previous file's rows and aggregates, and writes the new aggregates. Returns the file it
 * replaced, if any. Two statements: the dataset row is locked first, so that two imports of one
 * month could not both replace the same previous file (the first statement waits for the other's
 * commit and reads its file).
 */
export async function makeFileCurrent(
  tx: Executor,
  file: { id: string; kind: PoliceDataKind; forceAreaId: string; month: string },
  outcome: FileOutcome,
  aggregates: PoliceDataAggregates,
  now: Date,
): Promise<string | undefined> {
  const [previous] = await tx
    .select({ fileId: policeDatasets.fileId })
    .from(policeDatasets)
    .where(and(eq(policeDatasets.kind, file.kind), eq(policeDatasets.forceAreaId, file.forceAreaId), eq(policeDatasets.month, file.month)))
    .for('update');
  const parts = [
    sql`imported_file as (update police_data_files
      set status = 'imported', message = ${outcome.message}, rows_read = ${outcome.rowsRead}, rows_imported = ${outcome.rowsImported},
        rows_rejected = ${outcome.rowsRejected}, rejections = ${JSON.stringify(outcome.rejections)}::jsonb, finished_at = ${now}
      where id = ${file.id}::uuid)`,
    sql`current_file as (insert into police_datasets (kind, force_area_id, month, file_id, row_count, imported_at)
      values (${file.kind}, ${file.forceAreaId}, ${file.month}::date, ${file.id}::uuid, ${outcome.rowsImported}, ${now})
      on conflict (kind, force_area_id, month) do update
      set file_id = excluded.file_id, row_count = excluded.row_count, imported_at = excluded.imported_at)`,
  ];
  if (previous) {
    parts.push(
      sql`replaced_rows as (delete from ${rawTableOf[file.kind]}
        where file_key in (${rowKeysOf(tx, [previous.fileId])}))`,
    );
    aggregatesOf[file.kind].forEach(({ table }, i) =>
      parts.push(
        sql`${sql.raw(`replaced${i}`)} as (delete from ${table}
          where force_area_id = ${file.forceAreaId} and month = ${file.month}::date and file_id = ${previous.fileId}::uuid)`,
      ),
    );
  }
  // Each aggregate table's rows, passed as one JSON array (one parameter, parsed once), and
  // inserted in the order of their text columns so that the table's indexes fill in order.
  aggregatesOf[file.kind].forEach(({ table, rows: rowsOfTable, fields }, i) => {
    const rows = rowsOfTable(aggregates);
    if (rows.length === 0) return;
    const columns = getTableColumns(table) as Record<string, PgColumn>;
    const list = (names: string[]) => sql.raw(names.join(', '));
    const textFields = fields.filter((field) => columns[field]!.getSQLType() === 'text');
    parts.push(
      sql`${sql.raw(`counted${i}`)} as (insert into ${table} (file_id, force_area_id, month, ${list(fields.map((field) => columns[field]!.name))})
        select ${file.id}::uuid, ${file.forceAreaId}, ${file.month}::date, ${list(fields.map((field) => `"${field}"`))}
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as counted(${list(fields.map((field) => `"${field}" ${columns[field]!.getSQLType()}`))})
        order by ${list(textFields.map((field) => `"${field}"`))})`,
    );
  });
  await tx.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
  return previous?.fileId;
}

export type FileReport = Pick<
  PoliceDataFile,
  'rowsRead' | 'rowsImported' | 'rowsRejected' | 'status' | 'message' | 'kind' | 'forceAreaId' | 'month' | 'entryName'
> & { rejections: RejectedRow[] };

/** The current dataset of a kind, force area and month, if any. */
export async function currentDataset(db: Executor, kind: PoliceDataKind, forceAreaId: string, month: string) {
  const [row] = await db
    .select()
    .from(policeDatasets)
    .where(and(eq(policeDatasets.kind, kind), eq(policeDatasets.forceAreaId, forceAreaId), eq(policeDatasets.month, month)));
  return row;
}

/** The months of data currently held for a force area, newest first. */
export async function currentDatasetsOf(db: Executor, forceAreaId: string) {
  return db
    .select({
      kind: policeDatasets.kind,
      month: policeDatasets.month,
      rowCount: policeDatasets.rowCount,
      importedAt: policeDatasets.importedAt,
    })
    .from(policeDatasets)
    .where(eq(policeDatasets.forceAreaId, forceAreaId))
    .orderBy(desc(policeDatasets.month), policeDatasets.kind);
}
