/**
 * Open police data at scale (issue 5), part of `npm run bench` and on its own as
 * `npm run bench:data`:
 *
 * 1. Import throughput: the four 2019-01 street-level files through the product's import job
 *    (each file queued first, as an upload is recorded while it arrives), in rows per second, against PostgreSQL's own `COPY … FROM STDIN (FORMAT csv, HEADER)` of the same
 *    files into a plain table with the same columns and no indexes, in the same database, runs
 *    interleaved so that load from elsewhere hits both (goal: ≥ 0.5 of COPY). On PGlite, the same
 *    importer against PGlite's `COPY … FROM '/dev/blob'`.
 * 2. Query time over synthetic street crime (bench/synthetic-crimes.ts, 10 million rows by default)
 *    with the aggregates built as the importer builds them: each explorer query of
 *    crime-data.repository.ts, the recompute of derived measures, and the dashboard's
 *    measureStatuses for a plan with derived and entered measures; p50 and p95 over many runs
 *    (goal: p95 < 100 ms).
 *
 * Settings: BENCH_DATABASE_URL (PostgreSQL server; the bench creates and drops its own database
 * `pcp_bench_data_<pid>` there), BENCH_ROWS (synthetic rows on PostgreSQL, 10,000,000), BENCH_PGLITE_ROWS
 * (on PGlite, 1,000,000: the embedded database is in memory), BENCH_IMPORT_RUNS (21; 0 leaves the import
 * bench out, to time the queries alone),
 * BENCH_QUERY_RUNS (200), BENCH_QUERY_SECONDS (20: a slow query stops early, after at least 20
 * runs, once it has taken this long), BENCH_SEED (20190101). Progress goes to stderr, the report to stdout.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { hashPassword } from '../src/features/accounts/index.ts';
import { insertMembership, insertUser } from '../src/features/accounts/accounts.repository.ts';
import { findBodyBySlug, insertBody } from '../src/features/organisations/organisations.repository.ts';
import { insertEditionTree } from '../src/features/plans/plans.repository.ts';
import { createPlan } from '../src/features/plans/plans.service.ts';
import { findPlan, listPlanEditions, loadPlanEditionTree } from '../src/features/plans/index.ts';
import { dutyStatements, editions, statutorySections } from '../src/features/plans/plans.tables.ts';
import { emptyEdition, type EditionTree, type Measure, type Priority } from '../src/features/plans/domain/plan-tree.ts';
import {
  areaCounts,
  areasByCount,
  countsByMonthAndType,
  findArea,
  loadedMonths,
  monthlyTotals,
  outcomeSummary,
} from '../src/features/performance/crime-data.repository.ts';
import { queuePoliceDataFile, runPoliceDataImport } from '../src/features/performance/police-data.service.ts';
import { recomputeDerivedMeasures } from '../src/features/performance/derived-measures.service.ts';
import { recordValues } from '../src/features/performance/measure-values.repository.ts';
import { measureStatuses } from '../src/features/performance/measures.service.ts';
import { monitoredEdition, type PerformanceContext } from '../src/features/performance/performance-context.ts';
import { measureSettings } from '../src/features/performance/performance.tables.ts';
import type { DerivedMeasureDefinition } from '../src/features/performance/domain/performance-model.ts';
import { openDatabase, rowsOf, type Database, type DatabaseHandle } from '../src/platform/db/database.ts';
import * as schema from '../src/platform/db/schema.ts';
import { median, pairedRatio, rowsPerSecond, summarise, type Summary } from './stats.ts';
import {
  crimeTypeShares,
  generateStreetCrimes,
  SYNTHETIC_FIRST_MONTH,
  SYNTHETIC_MONTHS,
  sqlAggregates,
  type SyntheticResult,
} from './synthetic-crimes.ts';

const dataDirectory = fileURLToPath(new URL('../../shared/data/police-uk/', import.meta.url));
export const streetFiles = [
  '2019-01-avon-and-somerset-street.csv',
  '2019-01-cambridgeshire-street.csv',
  '2019-01-devon-and-cornwall-street.csv',
  '2019-01-leicestershire-street.csv',
].map((name) => ({ name, path: path.join(dataDirectory, name) }));

const pgliteVersion = (
  JSON.parse(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The dashboard's force (a mid-sized one, the real files' first) and the largest, for the explorer. */
const FORCES = ['avon-and-somerset', 'metropolitan'] as const;
const NOT_GIVEN = ''; // what the importer counts a missing LSOA or outcome under (domain/police-data-rows.ts)

export type Say = (line: string) => void;

export type DataBenchSettings = {
  serverUrl: string | undefined;
  rows: number;
  pgliteRows: number;
  importRuns: number;
  queryRuns: number;
  querySeconds: number;
  seed: number;
};

export function dataBenchSettings(env: NodeJS.ProcessEnv = process.env): DataBenchSettings {
  const rows = numberSetting(env, 'BENCH_ROWS', 10_000_000);
  return {
    serverUrl: env.BENCH_DATABASE_URL || undefined,
    rows,
    pgliteRows: numberSetting(env, 'BENCH_PGLITE_ROWS', Math.min(rows, 1_000_000)),
    importRuns: Math.max(0, numberSetting(env, 'BENCH_IMPORT_RUNS', 21)),
    queryRuns: Math.max(1, numberSetting(env, 'BENCH_QUERY_RUNS', 200)),
    querySeconds: numberSetting(env, 'BENCH_QUERY_SECONDS', 20),
    seed: numberSetting(env, 'BENCH_SEED', 20190101),
  };
}

// ---------------------------------------------------------------------------------------------
// Import throughput
// ---------------------------------------------------------------------------------------------

export type ImportResult = {
  engine: 'PostgreSQL' | 'PGlite';
  rows: number;
  /** Rows per second of each run, in run order. */
  importer: number[];
  reference: number[];
  referenceLabel: string;
};

const COPY_TABLE = 'bench_copy_street';
const copyTableDefinition = `create table ${COPY_TABLE} (crime_id text, month text, reported_by text, falls_within text,
  longitude double precision, latitude double precision, location text, lsoa_code text, lsoa_name text, crime_type text,
  last_outcome_category text, context text)`;

/** Empties every police-data table, so each importer run is a first import of the month. */
async function emptyPoliceData(db: Database): Promise<void> {
  await db.execute(
    sql.raw(`truncate street_crimes, crime_outcomes, stop_searches, crime_counts_by_month, crime_counts_by_lsoa_month,
      crime_counts_by_outcome, outcome_counts, stop_search_counts, police_datasets, police_data_files, police_data_imports`),
  );
}

async function importerRun(handle: DatabaseHandle, owner: Owner): Promise<{ rows: number; ms: number }> {
  await emptyPoliceData(handle.db);
  // Each file is queued first, as an upload is: hashed and recorded as it arrives. What is timed
  // is the import job that follows, from the stored file to the data made current.
  const queued = [];
  for (const file of streetFiles) {
    queued.push({
      file,
      record: await queuePoliceDataFile(handle, {
        path: file.path,
        fileName: file.name,
        policingBodyId: owner.bodyId,
        userId: owner.userId,
      }),
    });
  }
  const began = performance.now();
  let rows = 0;
  for (const { file, record } of queued) {
    const report = await runPoliceDataImport(handle, record.id, { keepFile: true });
    if (report.status !== 'succeeded') throw new Error(`the importer refused ${file.name}: ${report.status} ${report.message}`);
    for (const imported of report.files) rows += imported.rowsImported;
  }
  return { rows, ms: performance.now() - began };
}

async function benchImport(
  engine: ImportResult['engine'],
  handle: DatabaseHandle,
  owner: Owner,
  runs: number,
  copyRun: () => Promise<{ rows: number; ms: number }>,
  referenceLabel: string,
  say: Say,
): Promise<ImportResult> {
  const result: ImportResult = { engine, rows: 0, importer: [], reference: [], referenceLabel };
  say(`${engine}: import throughput, ${runs} runs of the four 2019-01 street files (importer and COPY interleaved)…`);
  // One untimed round of each first, to warm caches and the JIT.
  await importerRun(handle, owner);
  await copyRun();
  for (let run = 0; run < runs; run += 1) {
    const copied = await copyRun();
    const imported = await importerRun(handle, owner);
    if (imported.rows !== copied.rows) throw new Error(`the importer imported ${imported.rows} rows and COPY ${copied.rows}`);
    result.rows = copied.rows;
    result.reference.push(rowsPerSecond(copied.rows, copied.ms));
    result.importer.push(rowsPerSecond(imported.rows, imported.ms));
    say(`  run ${run + 1}: COPY ${whole(result.reference.at(-1)!)} rows/s, importer ${whole(result.importer.at(-1)!)} rows/s`);
  }
  await emptyPoliceData(handle.db);
  return result;
}

function postgresCopyRun(client: pg.Client): () => Promise<{ rows: number; ms: number }> {
  return async () => {
    await client.query(`truncate ${COPY_TABLE}`);
    const began = performance.now();
    let rows = 0;
    for (const file of streetFiles) {
      const stream = client.query(copyFrom(`copy ${COPY_TABLE} from stdin with (format csv, header)`));
      await pipeline(createReadStream(file.path, { highWaterMark: 256 * 1024 }), stream);
      rows += stream.rowCount ?? 0;
    }
    return { rows, ms: performance.now() - began };
  };
}

function pgliteCopyRun(pglite: PGlite): () => Promise<{ rows: number; ms: number }> {
  return async () => {
    await pglite.exec(`truncate ${COPY_TABLE}`);
    const began = performance.now();
    let rows = 0;
    for (const file of streetFiles) {
      const result = await pglite.query(`copy ${COPY_TABLE} from '/dev/blob' with (format csv, header)`, [], {
        blob: new Blob([readFileSync(file.path)]),
      });
      rows += result.affectedRows ?? 0;
    }
    return { rows, ms: performance.now() - began };
  };
}

// ---------------------------------------------------------------------------------------------
// Queries over synthetic data
// ---------------------------------------------------------------------------------------------

export type QueryTiming = { label: string; force: string; summary: Summary };
export type QueryResult = {
  engine: 'PostgreSQL' | 'PGlite';
  synthetic: SyntheticResult;
  aggregateRows: { byMonth: number; byLsoaMonth: number; byOutcome: number };
  timings: QueryTiming[];
  dashboard: { measures: number; derived: number };
  missing: string[];
};

type Owner = { bodyId: string; slug: string; userId: string; email: string; displayName: string };

async function createOwner(db: Database, forceAreaId: string): Promise<Owner> {
  const slug = `bench-data-${randomUUID().slice(0, 8)}`;
  const body = await insertBody(db, {
    kind: 'pcc',
    name: 'Bench Police and Crime Commissioner',
    slug,
    forceAreaId,
    holderName: 'Bench',
    holderTitle: 'Police and Crime Commissioner',
    termStartsOn: '2024-05-09',
    termEndsOn: '2028-05-10',
    publishesInWelsh: false,
  });
  const user = await insertUser(db, {
    email: `bench-data-${randomUUID()}@example.org`,
    displayName: 'Bench performance officer',
    passwordHash: await hashPassword(randomUUID()),
  });
  await insertMembership(db, { userId: user.id, policingBodyId: body.id, role: 'officer', scrutinyBodyId: null, partnerId: null });
  return { bodyId: body.id, slug, userId: user.id, email: user.email, displayName: user.displayName };
}

/**
 * A realistic dashboard: 4 priorities, 24 monthly measures, of which 12 are derived from the
 * street data (each main crime type per month, rolling 12 months, change on the year before) and
 * 12 entered, each with 36 monthly values.
 */
async function dashboardPlan(
  handle: DatabaseHandle,
  owner: Owner,
  forceAreaId: string,
): Promise<{ context: PerformanceContext; derived: number }> {
  const db = handle.db;
  const actor = { id: owner.userId, email: owner.email, displayName: owner.displayName, isAdmin: false, memberships: [] };
  const { plan, edition } = await createPlan(
    db,
    actor,
    owner.bodyId,
    { title: 'Bench Police and Crime Plan', periodStartsOn: '2024-04-01', periodEndsOn: '2029-03-31', vision: 'A safer area.' },
    new Date('2024-03-01T10:00:00Z'),
  );
  const priorities: Priority[] = ['Cut crime', 'Tackle anti-social behaviour', 'Put victims first', 'An efficient police service'].map(
    (title) => ({ id: randomUUID(), lineageId: randomUUID(), title, aim: '', summary: '', frameworkItemIds: [], objectives: [] }),
  );
  const measures: Measure[] = [];
  const definitions = new Map<string, DerivedMeasureDefinition>();
  const statistics = ['monthly_count', 'rolling_12_months', 'rolling_12_change_percent'] as const;
  for (let i = 0; i < 24; i += 1) {
    const priority = priorities[i % 4]!;
    const derived = i < 12;
    const crimeType = crimeTypeShares[i % 6]![0];
    const measure: Measure = {
      id: randomUUID(),
      lineageId: randomUUID(),
      attachedTo: { kind: 'priority', lineageId: priority.lineageId },
      name: derived ? `${crimeType} (${statistics[i % 3]!.replaceAll('_', ' ')})` : `Entered measure ${i - 11}`,
      description: '',
      evidenceSource: derived ? 'performance_metric' : i % 2 ? 'victim_survey' : 'service_standard',
      unit: derived ? 'crimes' : '%',
      polarity: derived ? 'lower_is_better' : 'higher_is_better',
      baselineValue: derived ? null : 70,
      baselinePeriod: derived ? '' : '2023/24',
      targetValue: derived ? null : 75,
      frequency: 'monthly',
      owner: 'Chief Constable',
    };
    measures.push(measure);
    if (derived) definitions.set(measure.lineageId, { dataset: 'street', crimeTypes: [crimeType], statistic: statistics[i % 3]! });
  }
  const tree: EditionTree = { ...emptyEdition(), vision: 'A safer area.', priorities, measures };
  await db.transaction(async (tx) => {
    await tx.delete(statutorySections).where(eq(statutorySections.editionId, edition.id));
    await tx.delete(dutyStatements).where(eq(dutyStatements.editionId, edition.id));
    await insertEditionTree(tx, edition.id, tree);
    await tx
      .update(editions)
      .set({ isFrozen: true, frozenAt: new Date('2024-03-31T12:00:00Z'), lifecycleState: 'in_force' })
      .where(eq(editions.id, edition.id));
    await tx.insert(measureSettings).values(
      [...definitions].map(([measureLineageId, derived]) => ({
        planId: plan.id,
        measureLineageId,
        gradingRule: 'trend' as const,
        derived,
        updatedBy: owner.userId,
      })),
    );
  });
  const months = Array.from({ length: SYNTHETIC_MONTHS }, (_, m) => monthAfter(SYNTHETIC_FIRST_MONTH, m));
  await recordValues(
    db,
    measures
      .filter((m) => !definitions.has(m.lineageId))
      .flatMap((m, i) =>
        months.map((month, k) => ({
          planId: plan.id,
          measureLineageId: m.lineageId,
          periodKind: 'month' as const,
          periodStart: month,
          value: 60 + ((i * 7 + k * 3) % 25),
          source: 'form' as const,
          enteredBy: owner.userId,
        })),
      ),
  );
  await recomputeDerivedMeasures(db, forceAreaId);
  const body = (await findBodyBySlug(db, owner.slug))!;
  const planRow = (await findPlan(db, owner.bodyId, plan.id))!;
  const monitored = monitoredEdition(await listPlanEditions(db, plan.id), false)!;
  const context: PerformanceContext = {
    body,
    plan: planRow,
    edition: monitored,
    tree: await loadPlanEditionTree(db, monitored.id, monitored.vision),
  };
  return { context, derived: definitions.size };
}

function monthAfter(first: string, months: number): string {
  const date = new Date(`${first}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/**
 * Times `runs` calls after 10 untimed ones, or fewer (never under 20) when they take longer than
 * `budgetMs` in all: a query far over its goal needs no 200 runs to show it.
 */
async function timeRuns(runs: number, budgetMs: number, run: () => Promise<unknown>): Promise<Summary> {
  for (let i = 0; i < Math.min(10, runs); i += 1) await run();
  const samples: number[] = [];
  const began = performance.now();
  for (let i = 0; i < runs; i += 1) {
    if (i >= 20 && performance.now() - began > budgetMs) break;
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

async function benchQueries(
  engine: QueryResult['engine'],
  handle: DatabaseHandle,
  loader: Database,
  rows: number,
  settings: DataBenchSettings,
  say: Say,
): Promise<QueryResult> {
  const db = handle.db;
  const owner = await createOwner(db, FORCES[0]);
  say(`${engine}: generating ${rows.toLocaleString('en-GB')} synthetic street crimes (seed ${settings.seed}) and their aggregates…`);
  const synthetic = await generateStreetCrimes(loader, {
    rows,
    seed: settings.seed,
    policingBodyId: owner.bodyId,
    userId: owner.userId,
    buildAggregates: sqlAggregates(NOT_GIVEN),
    say,
  });
  say(
    `  generated in ${(synthetic.generateMs / 1000).toFixed(0)} s, aggregates and indexes in ${(synthetic.aggregateMs / 1000).toFixed(0)} s`,
  );
  const [counts] = rowsOf<{ by_month: string; by_lsoa_month: string; by_outcome: string }>(
    await db.execute(sql`select (select count(*) from crime_counts_by_month) as by_month,
      (select count(*) from crime_counts_by_lsoa_month) as by_lsoa_month,
      (select count(*) from crime_counts_by_outcome) as by_outcome`),
  );

  say(`${engine}: a plan with 24 monthly measures, 12 derived from the data…`);
  const plan = await dashboardPlan(handle, owner, FORCES[0]);
  const timings: QueryTiming[] = [];
  const runs = settings.queryRuns;
  const lastMonth = monthAfter(SYNTHETIC_FIRST_MONTH, SYNTHETIC_MONTHS - 1);
  const yearAgo = monthAfter(SYNTHETIC_FIRST_MONTH, SYNTHETIC_MONTHS - 12);
  const measure = async (label: string, force: string, run: () => Promise<unknown>, times = runs) => {
    say(`  ${label} (${force}, ${times} runs)…`);
    timings.push({ label, force, summary: await timeRuns(times, settings.querySeconds * 1000, run) });
  };

  await measure('Dashboard: measureStatuses (24 measures, 12 derived)', FORCES[0], () => measureStatuses(db, plan.context));
  await measure(
    'Derived measures: recompute all 12 (as after an import)',
    FORCES[0],
    () => recomputeDerivedMeasures(db, FORCES[0]),
    Math.min(runs, 50),
  );
  for (const force of FORCES) {
    const year = { forceAreaId: force, from: yearAgo, to: lastMonth, crimeType: null };
    const topArea = (await areasByCount(db, year, { limit: 1, offset: 0 })).areas[0];
    await measure('Explorer: months loaded', force, () => loadedMonths(db, force));
    await measure('Explorer: counts by month and type, 12 months', force, () => countsByMonthAndType(db, year));
    await measure('Explorer: one type by month, 36 months', force, () =>
      countsByMonthAndType(db, {
        forceAreaId: force,
        from: SYNTHETIC_FIRST_MONTH,
        to: lastMonth,
        crimeType: 'Violence and sexual offences',
      }),
    );
    await measure('Explorer: LSOAs by count, 12 months, first page of 25', force, () => areasByCount(db, year, { limit: 25, offset: 0 }));
    await measure('Explorer: LSOAs by count, 12 months, one type', force, () =>
      areasByCount(db, { ...year, crimeType: 'Violence and sexual offences' }, { limit: 25, offset: 0 }),
    );
    await measure('Explorer: LSOAs by count, one month, one type', force, () =>
      areasByCount(db, { ...year, from: lastMonth, crimeType: 'Burglary' }, { limit: 25, offset: 0 }),
    );
    if (topArea) {
      await measure('Explorer: find an LSOA', force, () => findArea(db, force, topArea.lsoaCode));
      await measure('Explorer: one LSOA by month and type, 12 months', force, () => areaCounts(db, force, topArea.lsoaCode, year));
    }
    await measure('Explorer: outcomes, 12 months', force, () => outcomeSummary(db, year));
    await measure('Derived base: monthly totals, all months', force, () => monthlyTotals(db, force, []));
  }
  return {
    engine,
    synthetic,
    aggregateRows: {
      byMonth: Number(counts!.by_month),
      byLsoaMonth: Number(counts!.by_lsoa_month),
      byOutcome: Number(counts!.by_outcome),
    },
    timings,
    dashboard: { measures: 24, derived: plan.derived },
    missing: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

const BENCH_DATABASE_PREFIX = 'pcp_bench_data_';

/**
 * A fresh `pcp_bench_data_<pid>` on the PostgreSQL server of serverUrl, so two runs at once never
 * share one. Databases left by runs that were killed (their process is gone) are dropped first.
 */
async function freshServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(serverUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`BENCH_DATABASE_URL must point at this machine (127.0.0.1), not ${url.hostname}`);
  }
  const admin = async <T extends pg.QueryResultRow>(statement: string) => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return (await client.query<T>(statement)).rows;
    } finally {
      await client.end();
    }
  };
  const existing = await admin<{ datname: string }>(`select datname from pg_database where datname like '${BENCH_DATABASE_PREFIX}%'`);
  for (const { datname } of existing) {
    const pid = Number(datname.slice(BENCH_DATABASE_PREFIX.length));
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await admin(`drop database if exists ${datname} with (force)`);
  }
  const name = `${BENCH_DATABASE_PREFIX}${process.pid}`;
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const databaseUrl = new URL(url.toString());
  databaseUrl.pathname = `/${name}`;
  return {
    url: databaseUrl.toString(),
    drop: async () => {
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type DataBenchResult = {
  imports: ImportResult[];
  queries: QueryResult[];
  loadBefore: string;
  loadAfter: string;
  settings: DataBenchSettings;
  seconds: number;
  /** The engines' own `version()`, for the record. */
  versions: string[];
};

export async function runDataBench(settings: DataBenchSettings, say: Say): Promise<DataBenchResult> {
  const began = performance.now();
  const loadBefore = loadAverage();
  const imports: ImportResult[] = [];
  const queries: QueryResult[] = [];
  const versions: string[] = [];
  const versionOf = async (db: Database) =>
    (rowsOf<{ version: string }>(await db.execute(sql`select version()`))[0]?.version ?? '')
      .split(' on ')[0]!
      .split(',')[0]!
      .replace(/ \(.*\)$/, '');

  if (settings.serverUrl) {
    const database = await freshServerDatabase(settings.serverUrl);
    const handle = await openDatabase({ databaseUrl: database.url });
    const client = new pg.Client({ connectionString: database.url });
    try {
      await handle.migrate();
      versions.push(await versionOf(handle.db));
      await client.connect();
      await client.query(copyTableDefinition);
      const owner = await createOwner(handle.db, FORCES[0]);
      if (settings.importRuns > 0) {
        imports.push(
          await benchImport(
            'PostgreSQL',
            handle,
            owner,
            settings.importRuns,
            postgresCopyRun(client),
            '`COPY … FROM STDIN (FORMAT csv, HEADER)` into a plain table',
            say,
          ),
        );
      }
      const loader = drizzlePostgres(client, { schema }) as unknown as Database;
      queries.push(await benchQueries('PostgreSQL', handle, loader, settings.rows, settings, say));
    } finally {
      await client.end().catch(() => undefined);
      await handle.close();
      await database.drop();
    }
  } else {
    say('BENCH_DATABASE_URL is not set: the data bench runs on PGlite only.');
  }

  const pglite = await PGlite.create();
  const handle = await openDatabase({ pglite });
  try {
    await handle.migrate();
    versions.push(`PGlite ${pgliteVersion} (${await versionOf(handle.db)}, in memory)`);
    await pglite.exec(copyTableDefinition);
    const owner = await createOwner(handle.db, FORCES[0]);
    if (settings.importRuns > 0) {
      imports.push(
        await benchImport(
          'PGlite',
          handle,
          owner,
          settings.importRuns,
          pgliteCopyRun(pglite),
          "`COPY … FROM '/dev/blob'` into a plain table",
          say,
        ),
      );
    }
    if (settings.pgliteRows > 0) queries.push(await benchQueries('PGlite', handle, handle.db, settings.pgliteRows, settings, say));
  } finally {
    await handle.close();
  }
  return { imports, queries, loadBefore, loadAfter: loadAverage(), settings, seconds: (performance.now() - began) / 1000, versions };
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const whole = (value: number) => Math.round(value).toLocaleString('en-GB');
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

export function dataBenchMarkdown(result: DataBenchResult): string {
  const lines: string[] = [];
  // BENCH_IMPORT_RUNS=0 times the queries alone: no import table then.
  if (result.imports.length > 0)
    lines.push(
      `#### Open police data: import throughput (the four 2019-01 street files, ${whole(result.imports[0]?.rows ?? 0)} rows; median of ${result.settings.importRuns} runs)`,
      '',
      '| engine | importer rows/s | reference | reference rows/s | ratio (median of paired runs) | goal |',
      '|---|--:|---|--:|--:|---|',
    );
  for (const r of result.imports) {
    const paired = pairedRatio(r.importer, r.reference);
    lines.push(
      `| ${r.engine} | ${whole(median(r.importer))} | ${r.referenceLabel} | ${whole(median(r.reference))} | **${paired.toFixed(2)}** | ≥ 0.5 ${paired >= 0.5 ? '(met)' : '(**not met**)'} |`,
    );
  }
  for (const q of result.queries) {
    const s = q.synthetic;
    lines.push(
      '',
      `#### Open police data: queries over ${whole(s.rows)} synthetic street crimes on ${q.engine} (p50 and p95 of up to ${result.settings.queryRuns} runs)`,
      '',
      `${s.files.toLocaleString('en-GB')} force-months (43 forces × ${SYNTHETIC_MONTHS} months), ${whole(s.lsoas)} LSOAs; aggregates: ` +
        `${whole(q.aggregateRows.byMonth)} by month, ${whole(q.aggregateRows.byLsoaMonth)} by LSOA (with counts by type), ${whole(q.aggregateRows.byOutcome)} by outcome. ` +
        `Avon and Somerset holds ${whole(s.rowsByForce.get('avon-and-somerset') ?? 0)} rows, the Metropolitan Police ${whole(s.rowsByForce.get('metropolitan') ?? 0)}. ` +
        `Generated in ${whole(s.generateMs / 1000)} s, aggregates and indexes built in ${whole(s.aggregateMs / 1000)} s.`,
      '',
      '| what | force | runs | p50 ms | p95 ms | goal p95 < 100 ms |',
      '|---|---|--:|--:|--:|---|',
    );
    for (const t of q.timings) {
      lines.push(
        `| ${t.label} | ${t.force} | ${t.summary.runs} | ${ms(t.summary.p50)} | ${ms(t.summary.p95)} | ${t.summary.p95 < 100 ? '✓' : '✗'} |`,
      );
    }
    for (const missing of q.missing) lines.push('', `⚠ ${missing}`);
  }
  lines.push(
    '',
    `The data bench took ${whole(result.seconds)} s on ${result.versions.join(' and ')}, Node ${process.version}; ` +
      `load average ${result.loadBefore} before and ${result.loadAfter} after (${cpus().length} cores).`,
  );
  return `${lines.join('\n')}\n`;
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name]?.replaceAll('_', '');
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number, not ${env[name]}`);
  return parsed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const say: Say = (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  try {
    process.stdout.write(dataBenchMarkdown(await runDataBench(dataBenchSettings(), say)));
    process.exit(0);
  } catch (error) {
    say(`The data bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  }
}
