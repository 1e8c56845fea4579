import { and, eq, inArray } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import {
  crimeCountsByLsoaMonth,
  crimeCountsByMonth,
  crimeCountsByOutcome,
  policeDataFiles,
  policeDataImports,
  policeDatasets,
  stopSearchCounts,
} from '../../src/features/performance/performance.tables.ts';

/** One group of street crimes in a month: how many of a type, in an LSOA, with a last outcome. */
export type CrimeGroup = { type: string; count: number; lsoa?: [code: string, name: string]; outcome?: string };

const importFor = async (database: DatabaseHandle, policingBodyId: string, name: string) => {
  const [row] = await database.db
    .insert(policeDataImports)
    .values({ policingBodyId, fileName: name, byteSize: 1, sha256: 'test', storedPath: '/nowhere', status: 'succeeded' })
    .returning();
  return row!.id;
};

/**
 * Makes a street-level month current for a force area with the aggregates an import would write,
 * replacing what was there (as a re-import does). For query tests: the importer's own tests
 * check that it writes these aggregates from real files.
 */
export async function loadStreetMonth(
  database: DatabaseHandle,
  options: { policingBodyId: string; forceAreaId: string; month: string; groups: readonly CrimeGroup[] },
): Promise<string> {
  const db = database.db;
  const importId = await importFor(database, options.policingBodyId, `${options.month}-street.csv`);
  const [file] = await db
    .insert(policeDataFiles)
    .values({
      importId,
      entryName: 'street.csv',
      kind: 'street',
      forceAreaId: options.forceAreaId,
      month: options.month,
      status: 'imported',
    })
    .returning();
  const fileId = file!.id;
  const where = (t: typeof crimeCountsByMonth | typeof crimeCountsByLsoaMonth | typeof crimeCountsByOutcome) =>
    and(eq(t.forceAreaId, options.forceAreaId), eq(t.month, options.month));
  await db.delete(crimeCountsByMonth).where(where(crimeCountsByMonth));
  await db.delete(crimeCountsByLsoaMonth).where(where(crimeCountsByLsoaMonth));
  await db.delete(crimeCountsByOutcome).where(where(crimeCountsByOutcome));
  const sum = <K extends string>(key: (g: CrimeGroup) => K | null) => {
    const totals = new Map<K, number>();
    for (const g of options.groups) {
      const k = key(g);
      if (k !== null) totals.set(k, (totals.get(k) ?? 0) + g.count);
    }
    return [...totals];
  };
  const base = { fileId, forceAreaId: options.forceAreaId, month: options.month };
  const byType = sum((g) => g.type);
  if (byType.length) await db.insert(crimeCountsByMonth).values(byType.map(([crimeType, count]) => ({ ...base, crimeType, count })));
  // One row per LSOA, all types together and by type, as the importer writes crime_counts_by_lsoa_month.
  const byLsoa = new Map<string, { lsoaCode: string; lsoaName: string; count: number; byCrimeType: Record<string, number> }>();
  for (const g of options.groups) {
    if (!g.lsoa) continue;
    const [lsoaCode, lsoaName] = g.lsoa;
    let row = byLsoa.get(lsoaCode);
    if (!row) byLsoa.set(lsoaCode, (row = { lsoaCode, lsoaName, count: 0, byCrimeType: {} }));
    row.count += g.count;
    row.byCrimeType[g.type] = (row.byCrimeType[g.type] ?? 0) + g.count;
  }
  if (byLsoa.size) await db.insert(crimeCountsByLsoaMonth).values([...byLsoa.values()].map((row) => ({ ...base, ...row })));
  const byOutcome = sum((g) => `${g.type}|${g.outcome ?? ''}`);
  await db.insert(crimeCountsByOutcome).values(
    byOutcome.map(([key, count]) => {
      const [crimeType, outcomeCategory] = key.split('|') as [string, string];
      return { ...base, crimeType, outcomeCategory, count };
    }),
  );
  const total = options.groups.reduce((s, g) => s + g.count, 0);
  await db
    .insert(policeDatasets)
    .values({ kind: 'street', forceAreaId: options.forceAreaId, month: options.month, fileId, rowCount: total })
    .onConflictDoUpdate({
      target: [policeDatasets.kind, policeDatasets.forceAreaId, policeDatasets.month],
      set: { fileId, rowCount: total },
    });
  return fileId;
}

/** Makes a stop-and-search month current, with its counts by object of search and outcome. */
export async function loadStopSearchMonth(
  database: DatabaseHandle,
  options: {
    policingBodyId: string;
    forceAreaId: string;
    month: string;
    groups: readonly { object: string; outcome: string; count: number }[];
  },
): Promise<void> {
  const db = database.db;
  const importId = await importFor(database, options.policingBodyId, `${options.month}-stop-and-search.csv`);
  const [file] = await db
    .insert(policeDataFiles)
    .values({
      importId,
      entryName: 'ss.csv',
      kind: 'stop_and_search',
      forceAreaId: options.forceAreaId,
      month: options.month,
      status: 'imported',
    })
    .returning();
  await db.insert(stopSearchCounts).values(
    options.groups.map((g) => ({
      fileId: file!.id,
      forceAreaId: options.forceAreaId,
      month: options.month,
      objectOfSearch: g.object,
      outcome: g.outcome,
      officerDefinedEthnicity: 'White',
      count: g.count,
    })),
  );
  await db.insert(policeDatasets).values({
    kind: 'stop_and_search',
    forceAreaId: options.forceAreaId,
    month: options.month,
    fileId: file!.id,
    rowCount: options.groups.reduce((s, g) => s + g.count, 0),
  });
}

/** Forgets every loaded month of a force area (tests share a database per engine). */
export async function clearForceArea(database: DatabaseHandle, forceAreaId: string): Promise<void> {
  const db = database.db;
  for (const t of [crimeCountsByMonth, crimeCountsByLsoaMonth, crimeCountsByOutcome, stopSearchCounts]) {
    await db.delete(t).where(eq(t.forceAreaId, forceAreaId));
  }
  await db.delete(policeDatasets).where(inArray(policeDatasets.forceAreaId, [forceAreaId]));
}

export { parseCsv } from './csv.ts';
