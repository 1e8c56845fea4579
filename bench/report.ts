import type { LoadOptions, LoadResult } from './wrk.ts';

export type Throughput = {
  label: string;
  path: string;
  service: LoadResult;
  reference: LoadResult;
  /** The least acceptable service ÷ nginx ratio, where ARCHITECTURE §7 sets one. */
  target: number | undefined;
  /** Bytes of one response (headers and body), to check that wrk saw the page we meant. */
  expectedBytes: number;
};

export type EngineResult = {
  engine: 'PGlite' | 'PostgreSQL';
  throughput: Throughput[];
  idleRssMb: number;
  peakRssMb: number;
  /** False when the kernel would not reset VmHWM, so the peak includes start-up. */
  peakIsDuringLoad: boolean;
  afterLoadRssMb: number;
  launcherRssMb: number;
  firstStartMs: number;
  secondStartMs: number;
  migrateMs: number | undefined;
  /** Whether one signed-in page view rewrote the session row; known only on PostgreSQL. */
  sessionWrittenPerView: boolean | undefined;
  pageBytes: { start: number; bodies: number; health: number; plan: number };
};

export type Environment = {
  date: string;
  commit: string;
  cpu: string;
  node: string;
  nginx: string;
  wrk: string;
  load: LoadOptions;
  nodeStartMs: number;
  tsxStartMs: number;
  /** Load averages (1, 5, 15 minutes) before and after, to show whether the machine was quiet. */
  loadBefore: string;
  loadAfter: string;
  seconds: number;
};

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${whole.format(value)} ms`);
/** Two decimals, or two significant figures below 0.1 so that small ratios do not read as 0.00. */
const formatRatio = (value: number) => (value >= 0.1 ? value.toFixed(2) : value.toPrecision(2));
const mb = (value: number) => `${whole.format(value)} MB`;

/** The results as Markdown, ready to paste into the README. */
export function report(environment: Environment, results: EngineResult[], bareFastify: LoadResult | undefined): string {
  const { load } = environment;
  const notes: string[] = [];
  const lines: string[] = [
    '## Performance',
    '',
    `Measured by \`npm run bench\` on ${environment.date} at commit ${environment.commit}: ${environment.cpu}, Node ${environment.node}, ` +
      `${environment.nginx.replace(/^nginx version: /, '')}, ${environment.wrk}. Each figure is ` +
      `\`wrk -t${load.threads} -c${load.connections} -d${load.seconds}s --latency\` after a ${load.warmupSeconds} s warm-up, on 127.0.0.1. ` +
      'The reference is nginx (one worker, sendfile, no access log) serving the same bytes as a static file, measured in the same run. ' +
      'The service runs as `npx tsx src/server.ts` with `NODE_ENV=production` and `LOG_LEVEL=warn`.',
    '',
    '| Page | Database | Service req/s | nginx req/s | Ratio (service ÷ nginx) | Target | Service p99 | nginx p99 |',
    '|---|---|--:|--:|--:|---|--:|--:|',
  ];
  for (const result of results) {
    for (const row of result.throughput) {
      const ratio = row.service.requestsPerSecond / row.reference.requestsPerSecond;
      const target = row.target === undefined ? '—' : `≥ ${row.target} ${ratio >= row.target ? '(met)' : '(**not met**)'}`;
      let marks = '';
      if (row.service.errors > 0) {
        const { errors, timeouts, non2xx } = row.service;
        notes.push(
          `${result.engine} ${row.path}: ${errors} of ${whole.format(row.service.requests)} requests failed ` +
            `(${timeouts} took longer than wrk's 2 s timeout, ${non2xx} answered 4xx/5xx, ${errors - timeouts - non2xx} other socket errors).`,
        );
        marks += ' ⚠';
      }
      const bytes = row.service.bytesPerResponse;
      if (Math.abs(bytes - row.expectedBytes) / row.expectedBytes > 0.25) {
        notes.push(
          `${result.engine} ${row.path}: responses under load averaged ${whole.format(bytes)} bytes, expected about ${whole.format(row.expectedBytes)}.`,
        );
        marks += ' ⚠';
      }
      lines.push(
        `| ${row.label} | ${result.engine} | ${whole.format(row.service.requestsPerSecond)}${marks} | ${whole.format(row.reference.requestsPerSecond)} | ` +
          `**${formatRatio(ratio)}** | ${target} | ${ms(row.service.p99Ms)} | ${ms(row.reference.p99Ms)} |`,
      );
    }
  }

  const startReference = results[0]?.throughput[0]?.reference;
  if (bareFastify && startReference) {
    lines.push(
      `| *Reference:* bare Fastify, no plugins, the start page's bytes from memory | — | ${whole.format(bareFastify.requestsPerSecond)} | ` +
        `${whole.format(startReference.requestsPerSecond)} | ${formatRatio(bareFastify.requestsPerSecond / startReference.requestsPerSecond)} | — | ` +
        `${ms(bareFastify.p99Ms)} | ${ms(startReference.p99Ms)} |`,
    );
  }

  const columns = results.map((result) => result.engine);
  const table = (rows: [string, (result: EngineResult) => string][]) => [
    `| | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '--:').join('|')}|`,
    ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`),
  ];
  const vsTsx = (value: number) => `${whole.format(value)} ms (${(value / environment.tsxStartMs).toFixed(1)} × empty)`;

  lines.push(
    '',
    'Memory of the service’s Node process (`/proc/<pid>/status`):',
    '',
    ...table([
      [`Idle RSS, ${3} s after start`, (r) => mb(r.idleRssMb)],
      ['Peak RSS during the load above (VmHWM)', (r) => mb(r.peakRssMb) + (r.peakIsDuringLoad ? '' : ' (includes start-up)')],
      ['RSS after the load', (r) => mb(r.afterLoadRssMb)],
      ['Launcher processes above it (npx, tsx), after the load', (r) => mb(r.launcherRssMb)],
    ]),
    '',
    `Start-up, from spawning \`npx tsx src/server.ts\` to the port accepting connections; “empty” is \`npx tsx -e ''\` ` +
      `(${whole.format(environment.tsxStartMs)} ms, the launcher alone; \`node -e ''\` takes ${whole.format(environment.nodeStartMs)} ms):`,
    '',
    ...table([
      [
        'First start on a fresh database',
        (r) => vsTsx(r.firstStartMs) + (r.engine === 'PGlite' ? ', creates and migrates it' : ', already migrated'),
      ],
      ['Second start, same database', (r) => vsTsx(r.secondStartMs)],
      [
        '`npm run migrate` on a fresh database',
        (r) => (r.migrateMs === undefined ? '— (the service migrates PGlite itself)' : `${whole.format(r.migrateMs)} ms`),
      ],
    ]),
    '',
    `Page sizes: \`/\` ${whole.format(results[0]?.pageBytes.start ?? 0)} bytes, \`/bodies\` (5 bodies) ${whole.format(results[0]?.pageBytes.bodies ?? 0)} bytes, ` +
      `\`/health\` ${whole.format(results[0]?.pageBytes.health ?? 0)} bytes, the public plan page ${whole.format(results[0]?.pageBytes.plan ?? 0)} bytes. The whole bench took ${whole.format(environment.seconds)} s; ` +
      `load average ${environment.loadBefore} before and ${environment.loadAfter} after.`,
  );
  const sessionCheck = results.find((r) => r.sessionWrittenPerView !== undefined);
  if (sessionCheck) {
    lines.push(
      '',
      sessionCheck.sessionWrittenPerView
        ? 'A signed-in page view rewrote its session row (checked on PostgreSQL): every signed-in request is also a database write.'
        : 'A signed-in page view did not rewrite its session row (checked on PostgreSQL).',
    );
  }
  if (notes.length > 0) lines.push('', ...notes.map((note) => `⚠ ${note}`));
  return `${lines.join('\n')}\n`;
}
