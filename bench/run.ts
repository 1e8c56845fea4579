/**
 * `npm run bench`: measures the service against references measured in the same run on the same
 * machine (ARCHITECTURE §7, STYLE rule 11) and prints a Markdown table for the README.
 *
 * Progress goes to stderr and the report to stdout, so `npm run bench > bench.md` keeps only the
 * report. Everything runs on 127.0.0.1. Settings: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DATABASE_URL (also bench on PostgreSQL).
 * The open police data part (bench/police-data.ts: import throughput against COPY, queries over
 * BENCH_ROWS synthetic crimes) runs last; BENCH_DATA=skip leaves it out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { killAllNow, memoryMb, resetPeakMemory, sleep, stopAll } from './children.ts';
import { startNginx, type StaticServer } from './nginx.ts';
import { createBenchDatabase, pageViewWritesSession } from './postgres.ts';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../src/platform/db/database.ts';
import { benchPlanPages, planBenchMarkdown } from './plan-pages.ts';
import { publicPlanPath, seedPublishedPlan } from './public-plan.ts';
import { report, type EngineResult, type Environment, type Throughput } from './report.ts';
import { setUpService } from './setup.ts';
import { projectRoot, spawnToExitMs, startBareServer, startService } from './service.ts';
import { ensureTools, NGINX, WRK } from './tools.ts';
import { load, type LoadOptions, type LoadResult } from './wrk.ts';

const benchStarted = performance.now();
const say = (line: string) => process.stderr.write(`[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

const loadOptions: LoadOptions = {
  seconds: numberSetting('BENCH_SECONDS', 10),
  warmupSeconds: numberSetting('BENCH_WARMUP_SECONDS', 2),
  threads: numberSetting('BENCH_THREADS', 2),
  connections: numberSetting('BENCH_CONNECTIONS', 32),
};
const SETTLE_MS = 3_000;

/** Cleanup steps, run last-in first-out at the end, on failure and on Ctrl-C. */
const cleanups: (() => Promise<void> | void)[] = [];
let cleaningUp: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    // Processes first, so that nothing is still writing into the directories removed below.
    await stopAll();
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()!();
      } catch (error) {
        say(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaningUp;
}
process.on('exit', killAllNow);
// `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx's
// launcher), and a second signal with no listener would kill it before the cleanup finished.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaningUp) return;
    say(`${signal}: stopping everything the bench started…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** The pages each engine is measured on, and the static file nginx serves in its place. */
const targets = [
  { key: 'start', label: 'Public start page `/` (anonymous)', path: '/', file: 'start.html', signedIn: false, target: 0.5 },
  {
    key: 'bodies',
    label: 'Signed-in page `/bodies` (administrator)',
    path: '/bodies',
    file: 'bodies.html',
    signedIn: true,
    target: undefined,
  },
  { key: 'health', label: '`/health` (database round trip)', path: '/health', file: 'health.json', signedIn: false, target: undefined },
  {
    key: 'plan',
    label: `Public plan page \`${publicPlanPath}\` (large plan, anonymous)`,
    path: publicPlanPath,
    file: 'plan.html',
    signedIn: false,
    target: 0.5,
  },
] as const;

async function main(): Promise<void> {
  const began = performance.now();
  await ensureTools(say);
  const loadBefore = loadAverage();
  if (Number(loadBefore.split(' ')[0]) > 0.5) {
    say(`Warning: the machine is already busy (load average ${loadBefore}); other work skews every figure, including the ratios.`);
  }
  const workDir = mkdtempSync(path.join(tmpdir(), 'pcp-bench-'));
  cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));

  say('Measuring start-up references (node -e "", npx tsx -e "")…');
  const nodeStartMs = await spawnToExitMs(process.execPath, ['-e', ''], 5);
  const tsxStartMs = await spawnToExitMs('npx', ['tsx', '-e', ''], 3);

  const engines: { name: EngineResult['engine']; serverUrl?: string }[] = [{ name: 'PGlite' }];
  if (process.env.BENCH_DATABASE_URL) engines.push({ name: 'PostgreSQL', serverUrl: process.env.BENCH_DATABASE_URL });
  else say('BENCH_DATABASE_URL is not set: benching the embedded PGlite database only.');

  const references = new Map<string, LoadResult>();
  let nginx: StaticServer | undefined;
  let bareFastify: LoadResult | undefined;
  const results: EngineResult[] = [];

  for (const engine of engines) {
    const dataDir = path.join(workDir, `${engine.name.toLowerCase()}-data`);
    let databaseUrl: string | undefined;
    let migrateMs: number | undefined;
    if (engine.serverUrl) {
      say('PostgreSQL: creating a fresh database and running npm run migrate…');
      const migrateBegan = performance.now();
      const database = await createBenchDatabase(engine.serverUrl);
      migrateMs = performance.now() - migrateBegan;
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
    }

    say(
      `${engine.name}: first start on a fresh ${engine.serverUrl ? 'database' : 'DATA_DIR (creates and migrates the embedded database)'}…`,
    );
    const first = await startService({ dataDir, databaseUrl });
    cleanups.push(first.stop);
    await first.stop();
    say(`${engine.name}: publishing the large plan on a body's public site (${publicPlanPath})…`);
    await seedPublishedPlan({ dataDir, databaseUrl });
    say(`${engine.name}: second start of the same ${engine.serverUrl ? 'database' : 'DATA_DIR'}…`);
    const service = await startService({ dataDir, databaseUrl });
    cleanups.push(service.stop);

    await sleep(SETTLE_MS);
    const idleRssMb = memoryMb(service.pid, 'VmRSS');

    const setupUrl = service.setupUrl();
    if (!setupUrl) throw new Error('the service did not log a setupUrl on a database with no users');
    say(`${engine.name}: creating the administrator through the first-run link and signing in…`);
    const reader = await setUpService(service.url, setupUrl);
    const sessionCookie = `pcp_session=${reader.cookie('pcp_session')}`;

    // One request each, to check it works and to take the bytes nginx will serve.
    const anonymous = await fetchPage(service.url, '/', {});
    const signedIn = await fetchPage(service.url, '/bodies', { cookie: sessionCookie });
    const health = await fetchPage(service.url, '/health', {});
    const publicPlan = await fetchPage(service.url, publicPlanPath, {});
    const pages = { start: anonymous, bodies: signedIn, health, plan: publicPlan };
    const sessionWrittenPerView =
      databaseUrl === undefined
        ? undefined
        : await pageViewWritesSession(databaseUrl, sessionCookie, async () => {
            await fetchPage(service.url, '/bodies', { cookie: sessionCookie });
          });

    if (!nginx) {
      nginx = await startNginx({
        'start.html': anonymous.body,
        'bodies.html': signedIn.body,
        'health.json': health.body,
        'plan.html': publicPlan.body,
      });
      cleanups.push(nginx.stop);
      // The ceiling for one Node process: Fastify with no plugins sending the start page's bytes from memory.
      const file = path.join(workDir, 'start.html');
      writeFileSync(file, anonymous.body);
      const bare = await startBareServer(file);
      cleanups.push(bare.stop);
      say(`bare Fastify: start page bytes from memory (${loadOptions.seconds} s)…`);
      bareFastify = await load(bare.url, loadOptions);
      await bare.stop();
    }

    const peakReset = resetPeakMemory(service.pid);
    const throughput: Throughput[] = [];
    for (const target of targets) {
      let reference = references.get(target.key);
      if (!reference) {
        say(`nginx: ${target.file} (${loadOptions.seconds} s)…`);
        reference = await load(nginx.url(target.file), loadOptions);
        if (reference.errors > 0)
          throw new Error(`nginx gave ${reference.errors} errors serving ${target.file}: the reference is not valid`);
        references.set(target.key, reference);
      }
      say(`${engine.name}: ${target.path} (${loadOptions.seconds} s)…`);
      const headers: Record<string, string> = target.signedIn ? { cookie: sessionCookie } : {};
      const measured = await load(service.url + target.path, loadOptions, headers);
      const page = pages[target.key];
      throughput.push({
        label: target.label,
        path: target.path,
        service: measured,
        reference,
        target: target.target,
        expectedBytes: page.body.length + page.headerBytes,
      });
    }

    // The session must still be good after the load: a redirect to sign-in would look like success to wrk.
    const after = await fetch(`${service.url}/bodies`, { headers: { cookie: sessionCookie }, redirect: 'manual' });
    await after.arrayBuffer();
    if (after.status !== 200) throw new Error(`after the load, /bodies answered ${after.status}: the signed-in measurement is not valid`);

    const peakRssMb = memoryMb(service.pid, 'VmHWM');
    const afterLoadRssMb = memoryMb(service.pid, 'VmRSS');
    const launcherRssMb = service.launcherMemoryMb();
    say(`${engine.name}: stopping the service…`);
    await service.stop();

    results.push({
      engine: engine.name,
      throughput,
      idleRssMb,
      peakRssMb,
      peakIsDuringLoad: peakReset,
      afterLoadRssMb,
      launcherRssMb,
      firstStartMs: first.startMs,
      secondStartMs: service.startMs,
      migrateMs,
      sessionWrittenPerView,
      pageBytes: { start: anonymous.body.length, bodies: signedIn.body.length, health: health.body.length, plan: publicPlan.body.length },
    });
  }

  const environment: Environment = {
    date: new Date().toISOString().slice(0, 10),
    commit:
      git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--', 'src']) ? ' (with uncommitted changes in src/)' : ''),
    cpu: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    node: process.version,
    nginx: versionOf(NGINX, ['-v']),
    wrk: versionOf(WRK, ['-v']).split(' [')[0] ?? 'wrk',
    load: loadOptions,
    nodeStartMs,
    tsxStartMs,
    loadBefore,
    loadAfter: loadAverage(),
    seconds: (performance.now() - began) / 1000,
  };
  process.stdout.write(report(environment, results, bareFastify));

  // Plan authoring at scale: editor and full-plan server time, and the diff, on each engine.
  say('Large plan: editor and full-plan pages, and the diff of two editions…');
  const planResults = [await benchPlanPages('PGlite', await openDatabase({ pglite: await PGlite.create() }))];
  if (process.env.BENCH_DATABASE_URL) {
    const database = await createBenchDatabase(process.env.BENCH_DATABASE_URL);
    cleanups.push(() => database.drop());
    const handle = await openDatabase({ databaseUrl: database.url });
    try {
      planResults.push(await benchPlanPages('PostgreSQL', handle));
    } finally {
      await handle.close();
    }
  }
  process.stdout.write(`\n${planBenchMarkdown(planResults)}\n`);

  if (process.env.BENCH_DATA === 'skip') say('BENCH_DATA=skip: leaving out the open police data bench.');
  else {
    say('Open police data: import throughput and queries over synthetic street crime…');
    const { dataBenchMarkdown, dataBenchSettings, runDataBench } = await import('./police-data.ts');
    process.stdout.write(`\n${dataBenchMarkdown(await runDataBench(dataBenchSettings(), say))}`);
  }
  say('Stopping nginx and removing temporary files…');
}

type Fetched = { status: number; body: Buffer; headerBytes: number };

async function fetchPage(baseUrl: string, pathname: string, headers: Record<string, string>): Promise<Fetched> {
  const response = await fetch(baseUrl + pathname, { headers, redirect: 'manual' });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`GET ${pathname} answered ${response.status}`);
  let headerBytes = `HTTP/1.1 ${response.status} ${response.statusText}\r\n\r\n`.length;
  response.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
  return { status: response.status, body, headerBytes };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function versionOf(binary: string, args: string[]): string {
  // nginx -v writes to stderr; wrk -v exits non-zero after printing.
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? binary;
}

/** The 1, 5 and 15 minute load averages, to show whether anything else was running. */
function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function numberSetting(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number, not ${value}`);
  return parsed;
}

try {
  await main();
  await cleanUp();
  say('Done.');
} catch (error) {
  // After Ctrl-C the steps still running fail on purpose; say nothing about those.
  if (!cleaningUp) say(`The bench failed: ${error instanceof Error ? error.message : String(error)}`);
  await cleanUp();
  process.exitCode = 1;
}
