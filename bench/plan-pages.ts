/**
 * Plan authoring at scale (issue: author a plan): server time of the editor and full-plan pages
 * for a large plan — 8 priorities × 8 objectives × 10 commitments, 100 measures — and the
 * principal-changes diff of two such editions. Pages are requested through Fastify's `inject`,
 * so the figure is the server's own time (routing, guards, queries, rendering), with the time of
 * a page that needs no query (the cookies page, same layout) as the reference in the same run.
 * Targets (ARCHITECTURE §7): p95 < 50 ms for each page and for the diff.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { hashPassword } from '../src/features/accounts/index.ts';
import { insertMembership, insertUser } from '../src/features/accounts/accounts.repository.ts';
import { insertBody, insertPartner } from '../src/features/organisations/organisations.repository.ts';
import { createEdition, createPlan } from '../src/features/plans/plans.service.ts';
import { insertEditionTree, loadEditionTree } from '../src/features/plans/plans.repository.ts';
import { diffEditions } from '../src/features/plans/domain/principal-changes.ts';
import type { EditionTree, Measure } from '../src/features/plans/domain/plan-tree.ts';
import { dutyStatements, statutorySections } from '../src/features/plans/plans.tables.ts';
import { eq, sql } from 'drizzle-orm';

export type Timing = { label: string; p50: number; p95: number; runs: number };
export type PlanBenchResult = { engine: string; pages: Timing[]; reference: Timing; diff: Timing; elementCount: number };

const PASSWORD = 'bench password for a large plan';

/** The large plan of ARCHITECTURE §7, with realistic text lengths. */
export function largePlan(partnerId: string): EditionTree {
  const text = (n: number, words: string) => `${words} ${'to keep people safe and hold the police to account '.repeat(n)}`.trim();
  const measures: Measure[] = [];
  const priorities = Array.from({ length: 8 }, (_, p) => ({
    id: '',
    lineageId: randomUUID(),
    title: `Priority ${p + 1}: ${text(1, 'Protect people from harm')}`,
    aim: text(2, 'Our aim is'),
    summary: text(6, 'In summary we will work'),
    frameworkItemIds: [],
    objectives: Array.from({ length: 8 }, (_, o) => ({
      id: '',
      lineageId: randomUUID(),
      title: `Objective ${p + 1}.${o + 1} ${text(1, 'Reduce harm')}`,
      description: text(4, 'This objective'),
      intendedOutcome: text(1, 'Fewer victims'),
      frameworkItemIds: [],
      commitments: Array.from({ length: 10 }, (_, c) => ({
        id: '',
        lineageId: randomUUID(),
        text: `We will ${text(2, `deliver commitment ${c + 1}`)}`,
        ownerKind: c % 3 === 0 ? ('partners' as const) : ('pcc' as const),
        partnerIds: c % 3 === 0 ? [partnerId] : [],
        ownerRole: c % 2 === 0 ? ('control' as const) : ('influence' as const),
        timescale: 'medium' as const,
        targetDate: null,
        status: 'in_progress' as const,
        frameworkItemIds: [],
      })),
    })),
  }));
  for (let m = 0; m < 100; m += 1) {
    const priority = priorities[m % 8]!;
    measures.push({
      id: '',
      lineageId: randomUUID(),
      attachedTo:
        m % 2 === 0
          ? { kind: 'priority', lineageId: priority.lineageId }
          : { kind: 'objective', lineageId: priority.objectives[m % 8]!.lineageId },
      name: `Measure ${m + 1}: ${text(1, 'Repeat victims')}`,
      description: text(2, 'Measured by'),
      evidenceSource: 'performance_metric',
      unit: '%',
      polarity: 'lower_is_better',
      baselineValue: 30 + (m % 7),
      baselinePeriod: '2024/25',
      targetValue: 25,
      frequency: 'quarterly',
      owner: 'Chief Constable',
    });
  }
  return {
    vision: text(10, 'A safer county'),
    priorities,
    measures,
    statutorySections: [],
    fundingYears: [],
    grants: [],
    dutyStatements: [],
    sprExplanations: [],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(label: string, runs: number, run: () => Promise<unknown> | unknown): Promise<Timing> {
  for (let i = 0; i < 5; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95), runs };
}

export async function benchPlanPages(engine: string, database: DatabaseHandle, runs = 60): Promise<PlanBenchResult> {
  await database.migrate();
  const db = database.db;
  const body = await insertBody(db, {
    kind: 'pcc',
    name: 'Bench Police and Crime Commissioner',
    slug: `bench-${randomUUID().slice(0, 8)}`,
    forceAreaId: 'avon-and-somerset',
    holderName: 'Bench',
    holderTitle: 'Police and Crime Commissioner',
    termStartsOn: '2024-05-13',
    termEndsOn: '2028-05-12',
    publishesInWelsh: false,
  });
  const partner = await insertPartner(db, { policingBodyId: body.id, kind: 'health', name: 'Bench health partner' });
  const user = await insertUser(db, {
    email: `bench-${randomUUID()}@example.org`,
    displayName: 'Bench officer',
    passwordHash: await hashPassword(PASSWORD),
  });
  await insertMembership(db, { userId: user.id, policingBodyId: body.id, role: 'officer', scrutinyBodyId: null, partnerId: null });
  const actor = { id: user.id, email: user.email, displayName: user.displayName, isAdmin: false, memberships: [] };
  const { plan, edition } = await createPlan(
    db,
    actor,
    body.id,
    { title: 'Large plan', vision: '', periodStartsOn: '2025-04-01', periodEndsOn: '2029-03-31' },
    new Date(),
  );
  await db.delete(statutorySections).where(eq(statutorySections.editionId, edition.id));
  await db.delete(dutyStatements).where(eq(dutyStatements.editionId, edition.id));
  await insertEditionTree(db, edition.id, largePlan(partner.id));
  const second = await createEdition(db, actor, body.id, plan, edition, 'refresh', new Date());
  // A realistic refresh: one commitment in ten reworded.
  await db.execute(sql`update commitments set text = text || ' (reworded)' where edition_id = ${second.id} and position % 10 = 3`);

  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/pcp-bench-plan' });
  const app = await buildApp({ config, database });
  await app.ready();
  const signInPage = await app.inject({ method: 'GET', url: '/sign-in' });
  const cookie = signInPage.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)![1]!;
  const signedIn = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: PASSWORD }).toString(),
  });
  const session = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const editor = `/bodies/${body.slug}/plans/${plan.id}/editions/1`;
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { cookie: session } });
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  };
  const pages = [
    await time('Edition editor page', runs, () => get(editor)),
    await time('Full plan page', runs, () => get(`${editor}/plan`)),
    await time('Completeness check page', runs, () => get(`${editor}/completeness`)),
    await time('Principal changes page (two editions)', runs, () => get(`/bodies/${body.slug}/plans/${plan.id}/changes?from=1&to=2`)),
  ];
  const reference = await time('Reference: cookies page (same layout, no query)', runs, () => get('/cookies'));
  const [a, b] = [await loadEditionTree(db, edition.id, ''), await loadEditionTree(db, second.id, '')];
  const diff = await time('Diff of two editions (in memory)', runs, () => diffEditions(a, b));
  await app.close();
  return { engine, pages, reference, diff, elementCount: 8 + 64 + 640 + 100 };
}

export function planBenchMarkdown(results: readonly PlanBenchResult[]): string {
  const lines = [
    `#### Large plan (8 priorities × 8 objectives × 10 commitments, 100 measures: ${results[0]?.elementCount ?? 812} elements)`,
    '',
    '| engine | what | p50 ms | p95 ms | p95 ÷ reference p95 | target p95 |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const r of results) {
    for (const t of [...r.pages, r.diff]) {
      lines.push(
        `| ${r.engine} | ${t.label} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${(t.p95 / r.reference.p95).toFixed(1)} | < 50 ms ${t.p95 < 50 ? '✓' : '✗'} |`,
      );
    }
    lines.push(`| ${r.engine} | ${r.reference.label} | ${r.reference.p50.toFixed(1)} | ${r.reference.p95.toFixed(1)} | 1.0 | |`);
  }
  return lines.join('\n');
}

/** Runs on PGlite, and on PostgreSQL when BENCH_DATABASE_URL names a database it may use. */
export async function runPlanBench(): Promise<PlanBenchResult[]> {
  const results = [await benchPlanPages('PGlite', await openDatabase({ pglite: await PGlite.create() }))];
  if (process.env.BENCH_DATABASE_URL) {
    const handle = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL });
    try {
      results.push(await benchPlanPages('PostgreSQL', handle));
    } finally {
      await handle.close();
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${planBenchMarkdown(await runPlanBench())}\n`);
  process.exit(0);
}
