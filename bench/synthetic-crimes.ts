/**
 * Synthetic street-level crime shaped like data.police.uk's monthly files, generated inside the
 * database with `generate_series` (seconds per million rows on PostgreSQL, nothing crosses the
 * wire), deterministic for a given seed: every value comes from `hashint8extended(row, seed)`.
 *
 * Shape, taken from the real files in ../shared/data/police-uk/:
 * - the 43 territorial force areas, each with a share of rows roughly proportional to its
 *   recorded crime (the Metropolitan Police about a sixth, the City of London a sliver);
 * - about 35,000 LSOAs split between forces in the same proportion, English codes `E01…` and
 *   Welsh `W01…`, named like "Cornwall 001A"; 2 % of rows have no location, as in the real files;
 * - the 14 crime types in the proportions of the real 2019-01 files (violence and sexual offences
 *   30 %, anti-social behaviour 21 %, …), ASB without a Crime ID or outcome, as published;
 * - last outcome categories in the real proportions for crimes that have one;
 * - 36 months (2022-10 to 2025-09) with a summer peak and a gentle upward trend.
 * Every force and month is one "file" (a police_data_files row made current in police_datasets),
 * as if each had been imported.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../src/platform/db/database.ts';

/** Recorded crime in thousands a year, roughly (ONS, year to March 2024), as relative weights. */
export const forceWeights: Record<string, number> = {
  'avon-and-somerset': 130,
  bedfordshire: 50,
  cambridgeshire: 70,
  cheshire: 80,
  'city-of-london': 8,
  cleveland: 65,
  cumbria: 30,
  derbyshire: 75,
  'devon-and-cornwall': 110,
  dorset: 45,
  durham: 50,
  'dyfed-powys': 25,
  essex: 160,
  gloucestershire: 40,
  'greater-manchester': 330,
  gwent: 50,
  hampshire: 160,
  hertfordshire: 80,
  humberside: 90,
  kent: 170,
  lancashire: 140,
  leicestershire: 85,
  lincolnshire: 50,
  merseyside: 140,
  metropolitan: 900,
  norfolk: 60,
  'north-wales': 50,
  'north-yorkshire': 45,
  northamptonshire: 55,
  northumbria: 140,
  nottinghamshire: 90,
  'south-wales': 120,
  'south-yorkshire': 150,
  staffordshire: 80,
  suffolk: 50,
  surrey: 60,
  sussex: 130,
  'thames-valley': 170,
  warwickshire: 35,
  'west-mercia': 100,
  'west-midlands': 300,
  'west-yorkshire': 300,
  wiltshire: 40,
};

/** Shares of the 14 crime types in the four 2019-01 street files (55,783 rows). */
export const crimeTypeShares: [string, number][] = [
  ['Violence and sexual offences', 0.2999],
  ['Anti-social behaviour', 0.2072],
  ['Criminal damage and arson', 0.1001],
  ['Other theft', 0.0791],
  ['Vehicle crime', 0.0598],
  ['Public order', 0.0598],
  ['Burglary', 0.0564],
  ['Shoplifting', 0.0538],
  ['Drugs', 0.031],
  ['Other crime', 0.019],
  ['Bicycle theft', 0.0148],
  ['Robbery', 0.0067],
  ['Theft from the person', 0.0063],
  ['Possession of weapons', 0.006],
];

/** Last outcome categories of crimes that have one (ASB has none), from the same files. */
export const outcomeShares: [string, number][] = [
  ['Unable to prosecute suspect', 0.277],
  ['Investigation complete; no suspect identified', 0.2332],
  ['Status update unavailable', 0.1523],
  ['Court result unavailable', 0.0395],
  ['Local resolution', 0.0204],
  ['Formal action is not in the public interest', 0.0184],
  ['Offender given a caution', 0.0125],
  ['Further investigation is not in the public interest', 0.01],
  ['Offender given a drugs possession warning', 0.0054],
  ['Offender given community sentence', 0.0046],
  ['Action to be taken by another organisation', 0.0044],
  ['Offender sent to prison', 0.0041],
  ['Offender fined', 0.0022],
  ['Suspect charged as part of another case', 0.0014],
  ['Offender given suspended prison sentence', 0.0014],
  ['Offender given conditional discharge', 0.0013],
  ['Defendant found not guilty', 0.0012],
  ['Court case unable to proceed', 0.0011],
  ['Offender given penalty notice', 0.0006],
  ['Offender otherwise dealt with', 0.0006],
  ['Awaiting court outcome', 0.0005],
  ['Offender ordered to pay compensation', 0.0004],
];

const STREETS = [
  'High Street',
  'Station Road',
  'Church Street',
  'Park Road',
  'London Road',
  'Victoria Road',
  'Green Lane',
  'Manor Road',
  'Church Lane',
  'Park Avenue',
  'The Avenue',
  'Queens Road',
  'New Road',
  'Grange Road',
  'Kings Road',
  'Shopping Area',
  'Supermarket',
  'Parking Area',
  'Petrol Station',
  'Sports/Recreation Area',
  'Nightclub',
  'Further/Higher Educational Building',
  'Hospital',
  'Police Station',
  'Mill Lane',
  'School Lane',
  'North Street',
  'South Street',
  'West Street',
  'East Street',
  'Springfield Road',
  'George Street',
];

export const SYNTHETIC_MONTHS = 36;
export const SYNTHETIC_FIRST_MONTH = '2022-10-01';
export const SYNTHETIC_LSOAS = 35_000;

/**
 * `size` slots filled with item indexes (1-based, for SQL arrays) in proportion to their weights,
 * largest remainders first, so that a uniform slot picks an item with its share. Pure.
 */
export function pickTable(weights: readonly number[], size: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (w / total) * size);
  const counts = exact.map((e) => Math.floor(e));
  let missing = size - counts.reduce((sum, c) => sum + c, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing === 0) break;
    counts[i]! += 1;
    missing -= 1;
  }
  return counts.flatMap((count, i) => Array.from({ length: count }, () => i + 1));
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const intArray = (values: readonly number[]) => `'{${values.join(',')}}'::int[]`;
const textArray = (values: readonly string[]) => `array[${values.map(literal).join(',')}]::text[]`;

export type SyntheticResult = {
  rows: number;
  files: number;
  lsoas: number;
  rowsByForce: Map<string, number>;
  generateMs: number;
  aggregateMs: number;
};

export type AggregateBuilder = (db: Database, say: (line: string) => void) => Promise<void>;

/**
 * Fills street_crimes with `rows` synthetic rows (in chunks, reporting progress), one
 * police_data_files row per force and month marked current in police_datasets, then the aggregate
 * tables with `buildAggregates`. Expects empty police-data tables in a migrated database.
 */
export async function generateStreetCrimes(
  db: Database,
  options: {
    rows: number;
    seed: number;
    policingBodyId: string;
    userId: string;
    buildAggregates: AggregateBuilder;
    chunkRows?: number;
    say: (line: string) => void;
  },
): Promise<SyntheticResult> {
  const { rows, seed, say } = options;
  const began = performance.now();
  // Bulk-load settings for this session only (the caller gives a single connection), and the
  // indexes of the tables filled here dropped while loading and built once at the end, as any
  // bulk load would; the queries measured later run with the server's defaults.
  for (const setting of ["work_mem = '256MB'", "maintenance_work_mem = '512MB'", 'synchronous_commit = off'])
    await db.execute(sql.raw(`set ${setting}`));
  const indexes = rowsOf<{ indexname: string; indexdef: string }>(
    await db.execute(sql`select indexname, indexdef from pg_indexes where schemaname = current_schema()
      and tablename in ('street_crimes', 'crime_counts_by_month', 'crime_counts_by_lsoa_month', 'crime_counts_by_outcome')`),
  );
  for (const index of indexes) await db.execute(sql.raw(`drop index "${index.indexname}"`));
  const forces = rowsOf<{ id: string; name: string; nation: string }>(
    await db.execute(sql`select id, name, nation from force_areas where not is_fictional order by id`),
  ).filter((force) => forceWeights[force.id] !== undefined);
  if (forces.length !== Object.keys(forceWeights).length) throw new Error('the force_areas table does not list the 43 territorial forces');
  const weights = forces.map((force) => forceWeights[force.id]!);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  // LSOAs in proportion to crime, numbered per nation.
  let english = 0;
  let welsh = 0;
  const lsoaCounts = weights.map((w) => Math.max(20, Math.round((w / totalWeight) * SYNTHETIC_LSOAS)));
  const lsoaStarts = forces.map((force, i) => {
    const start = force.nation === 'Wales' ? welsh : english;
    if (force.nation === 'Wales') welsh += lsoaCounts[i]!;
    else english += lsoaCounts[i]!;
    return start;
  });

  await db.execute(sql.raw('drop table if exists bench_forces'));
  await db.execute(
    sql.raw(`create table bench_forces (idx int primary key, id text not null, name text not null, prefix text not null,
      short_name text not null, lsoa_start int not null, lsoa_count int not null, lon double precision not null, lat double precision not null)`),
  );
  await db.execute(
    sql.raw(
      `insert into bench_forces values ${forces
        .map((force, i) => {
          // A made-up but stable centre per force, within England and Wales' bounding box.
          const lon = -5 + ((i * 7919) % 4300) / 1000;
          const lat = 50.2 + ((i * 104729) % 5000) / 1000;
          const shortName = force.name.replace(/ (Constabulary|Police|Police Service)$/, '');
          return `(${i + 1}, ${literal(force.id)}, ${literal(force.name)}, ${literal(force.nation === 'Wales' ? 'W01' : 'E01')}, ${literal(shortName)}, ${lsoaStarts[i]}, ${lsoaCounts[i]}, ${lon}, ${lat})`;
        })
        .join(',')}`,
    ),
  );

  // One import holding one file per force and month, each current, ids derived from the seed.
  const importId = uuidFrom(seed, 'import');
  await db.execute(sql`insert into police_data_imports (id, policing_body_id, file_name, byte_size, sha256, stored_path, status, uploaded_by, started_at, finished_at)
    values (${importId}, ${options.policingBodyId}, ${'synthetic-street.zip'}, 0, ${'synthetic'}, ${''}, 'succeeded', ${options.userId}, now(), now())`);
  await db.execute(
    sql.raw(`insert into police_data_files (id, row_key, import_id, entry_name, kind, force_area_id, month, status, finished_at)
      overriding system value
      select md5(${seed} || ':file:' || f.idx || ':' || m)::uuid, ${syntheticFileKey('f.idx', 'm')}, ${literal(importId)}, to_char(month, 'YYYY-MM') || '-' || f.id || '-street.csv',
             'street', f.id, month, 'imported', now()
      from bench_forces f cross join generate_series(0, ${SYNTHETIC_MONTHS - 1}) m
      cross join lateral (select (date ${literal(SYNTHETIC_FIRST_MONTH)} + make_interval(months => m))::date as month) d`),
  );
  // Imports after these files take the keys after theirs.
  await db.execute(
    sql`select setval(pg_get_serial_sequence('police_data_files', 'row_key'), (select max(row_key) from police_data_files))`,
  );

  // Each row takes its force, month, type and outcome from slots of a pick table indexed by bits
  // of its hash (so the mix is exact, not random), and its LSOA, place and coordinates from a second hash.
  const monthWeights = Array.from({ length: SYNTHETIC_MONTHS }, (_, m) => {
    const calendarMonth = (9 + m) % 12; // 0 = January; the first month is October
    return 1 + 0.12 * Math.sin(((calendarMonth - 3) / 12) * 2 * Math.PI) + 0.004 * m;
  });
  const forcePick = pickTable(weights, 4096);
  const typePick = pickTable(
    crimeTypeShares.map(([, share]) => share),
    4096,
  );
  const outcomePick = pickTable(
    outcomeShares.map(([, share]) => share),
    4096,
  );
  const monthPick = pickTable(monthWeights, 4096).map((m) => m - 1);
  const asb = crimeTypeShares.findIndex(([type]) => type === 'Anti-social behaviour') + 1;

  const chunk = options.chunkRows ?? 1_000_000;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await db.execute(
      sql.raw(`insert into street_crimes (file_key, month, crime_id, reported_by, falls_within, longitude, latitude, location,
                                           lsoa_code, lsoa_name, crime_type, last_outcome_category, context)
        select ${syntheticFileKey('f.idx', 'g.m')},
               to_char(date ${literal(SYNTHETIC_FIRST_MONTH)} + make_interval(months => g.m), 'YYYY-MM'),
               case when g.t = ${asb} then null else md5(g.i || ':' || ${seed}) || md5(${seed} || ':' || g.i) end,
               f.name, f.name,
               case when g.located then round((f.lon + ((g.h2 >> 8) & 65535) / 65536.0 * 0.8)::numeric, 6)::double precision end,
               case when g.located then round((f.lat + ((g.h2 >> 24) & 65535) / 65536.0 * 0.5)::numeric, 6)::double precision end,
               case when g.located then 'On or near ' || (${textArray(STREETS)})[1 + (g.h2 & 31)] else 'No Location' end,
               case when g.located then f.prefix || lpad((f.lsoa_start + g.l)::text, 6, '0') end,
               case when g.located then f.short_name || ' ' || lpad((g.l / 5 + 1)::text, 3, '0') || chr(65 + g.l % 5) end,
               (${textArray(crimeTypeShares.map(([type]) => type))})[g.t],
               case when g.t = ${asb} then null else (${textArray(outcomeShares.map(([outcome]) => outcome))})[g.o] end,
               null
        from (
          select i,
                 (${intArray(forcePick)})[1 + (h & 4095)] as fi,
                 (${intArray(typePick)})[1 + ((h >> 12) & 4095)] as t,
                 (${intArray(outcomePick)})[1 + ((h >> 24) & 4095)] as o,
                 (${intArray(monthPick)})[1 + ((h >> 36) & 4095)] as m,
                 ((h >> 48) & 127) >= 3 as located,
                 h2,
                 h2 >> 40 as lsoa_hash
          from (select i, hashint8extended(i, ${seed}) as h, hashint8extended(i, ${seed + 1}) as h2 from generate_series(${from}::bigint, ${to}::bigint) i) hashes
        ) g0
        join bench_forces f on f.idx = g0.fi
        cross join lateral (select g0.*, ((g0.lsoa_hash & 16777215) % f.lsoa_count)::int as l) g`),
    );
    say(`  ${to.toLocaleString('en-GB')} of ${rows.toLocaleString('en-GB')} rows…`);
  }
  const generateMs = performance.now() - began;

  const counted = rowsOf<{ file_id: string; force_area_id: string; month: string; rows: string }>(
    await db.execute(sql`select f.id as file_id, f.force_area_id, f.month::text as month, count(s.file_key)::text as rows
      from police_data_files f left join street_crimes s on s.file_key = f.row_key
      where f.import_id = ${importId} group by f.id, f.force_area_id, f.month`),
  );
  await db.execute(sql`update police_data_files f set rows_read = c.n, rows_imported = c.n
    from (select file_key, count(*)::int as n from street_crimes group by file_key) c where c.file_key = f.row_key`);
  await db.execute(sql`insert into police_datasets (kind, force_area_id, month, file_id, row_count)
    select 'street', force_area_id, month, id, rows_imported from police_data_files where import_id = ${importId}`);

  const aggregateBegan = performance.now();
  await options.buildAggregates(db, say);
  say(`  rebuilding ${indexes.length} indexes…`);
  for (const index of indexes) await db.execute(sql.raw(index.indexdef));
  const aggregateMs = performance.now() - aggregateBegan;
  await db.execute(sql.raw('drop table bench_forces'));
  await db.execute(sql.raw('reset all'));
  await db.execute(sql.raw('vacuum analyze'));

  const rowsByForce = new Map<string, number>();
  for (const row of counted) rowsByForce.set(row.force_area_id, (rowsByForce.get(row.force_area_id) ?? 0) + Number(row.rows));
  return {
    rows,
    files: counted.length,
    lsoas: lsoaCounts.reduce((sum, c) => sum + c, 0),
    rowsByForce,
    generateMs,
    aggregateMs,
  };
}

/**
 * Builds the four street aggregates from the raw rows with one GROUP BY each, counting exactly
 * what the importer's AggregateCounter counts per file (domain/police-data-rows.ts): by type; by
 * type and LSOA, a missing LSOA counted under `notGiven` with the first name seen; by LSOA alone
 * (all types together), the same way; by type and last outcome, a missing outcome (ASB) counted
 * under `notGiven`. Rows are written file by file, month by month, as the importer writes them
 * (each file's aggregates in one transaction): a hash aggregate's output order would scatter a
 * force's rows over every page of the table and make the explorer's range scans read one page per
 * row, which no imported database looks like.
 */
export function sqlAggregates(notGiven: string): AggregateBuilder {
  // A literal, not a parameter: GROUP BY must see the same expression as the select list.
  const missing = sql.raw(literal(notGiven));
  return async (db, say) => {
    say('  crime_counts_by_month…');
    await db.execute(sql`insert into crime_counts_by_month (file_id, force_area_id, month, crime_type, count)
      select f.file_id, f.force_area_id, f.month, s.crime_type, count(*)::int
      from street_crimes s join police_data_files pf on pf.row_key = s.file_key join police_datasets f on f.file_id = pf.id and f.kind = 'street'
      group by f.file_id, f.force_area_id, f.month, s.crime_type
      order by f.month, f.force_area_id, f.file_id`);
    say('  crime_counts_by_lsoa_month…');
    await db.execute(sql`insert into crime_counts_by_lsoa_month (file_id, force_area_id, month, lsoa_code, lsoa_name, count, by_crime_type)
      select file_id, force_area_id, month, lsoa_code, min(lsoa_name), sum(count)::int, jsonb_object_agg(crime_type, count)
      from (
        select f.file_id, f.force_area_id, f.month, coalesce(s.lsoa_code, ${missing}) as lsoa_code,
               coalesce(min(s.lsoa_name), ${missing}) as lsoa_name, s.crime_type, count(*)::int as count
        from street_crimes s join police_data_files pf on pf.row_key = s.file_key join police_datasets f on f.file_id = pf.id and f.kind = 'street'
        group by f.file_id, f.force_area_id, f.month, coalesce(s.lsoa_code, ${missing}), s.crime_type
      ) by_type
      group by file_id, force_area_id, month, lsoa_code
      order by month, force_area_id, file_id`);
    say('  crime_counts_by_outcome…');
    await db.execute(sql`insert into crime_counts_by_outcome (file_id, force_area_id, month, crime_type, outcome_category, count)
      select f.file_id, f.force_area_id, f.month, s.crime_type, coalesce(s.last_outcome_category, ${missing}), count(*)::int
      from street_crimes s join police_data_files pf on pf.row_key = s.file_key join police_datasets f on f.file_id = pf.id and f.kind = 'street'
      group by f.file_id, f.force_area_id, f.month, s.crime_type, coalesce(s.last_outcome_category, ${missing})
      order by f.month, f.force_area_id, f.file_id`);
  };
}

/** A synthetic file's row key, from its force's index (1 to 43) and its month (0 to 35): SQL. */
const syntheticFileKey = (forceIndex: string, month: string) => `(${forceIndex} * 100 + ${month} + 1)`;

/** A version-4-shaped UUID from the seed and a name, so reruns with one seed make the same ids. */
export function uuidFrom(seed: number, name: string): string {
  let h1 = 0x811c9dc5 ^ seed;
  const hex: string[] = [];
  for (let round = 0; round < 4; round += 1) {
    for (const char of `${round}:${name}`) h1 = Math.imul(h1 ^ char.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h1.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
