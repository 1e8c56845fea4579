import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort, listeningProcess, sleep, start, stop, treeMemoryMb, type Child } from './children.ts';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Settings the service reads; the bench sets these itself rather than inheriting the shell's. */
const serviceVariables = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'DATABASE_URL',
  'DATA_DIR',
  'SESSION_SECRET',
  'SESSION_IDLE_MINUTES',
  'SESSION_ABSOLUTE_HOURS',
  'SIGN_IN_ATTEMPTS_PER_MINUTE',
  'LOCKOUT_AFTER_FAILURES',
  'LOCKOUT_MINUTES',
  'BODY_LIMIT_BYTES',
  'SMTP_URL',
  'MAIL_FROM',
  'LOG_LEVEL',
  'TRUST_PROXY',
  'GIT_COMMIT',
];

export function serviceEnvironment(settings: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of serviceVariables) delete env[name];
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) env[name] = value;
  return env;
}

export type RunningService = {
  url: string;
  port: number;
  /** The Node process that serves requests (below npx and tsx's launcher). */
  pid: number;
  /** Milliseconds from spawn until the port accepted a connection. */
  startMs: number;
  /** Resident memory of the launcher processes above the service (npx, sh, tsx), in MB. */
  launcherMemoryMb: () => number;
  /** The first-run link printed when the database has no users yet. */
  setupUrl: () => string | undefined;
  stop: () => Promise<void>;
};

/**
 * Starts the service as `npm start` would (`npx tsx src/server.ts`), production-like, bound to
 * 127.0.0.1, and waits until it is listening.
 */
export async function startService(options: { dataDir: string; databaseUrl?: string }): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = serviceEnvironment({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: 'warn',
  });
  let setupUrl: string | undefined;
  const began = performance.now();
  const child = start('npx', ['tsx', 'src/server.ts'], { cwd: projectRoot, env });
  child.onLine((line) => {
    if (!line.startsWith('{')) return;
    try {
      const entry = JSON.parse(line) as { setupUrl?: unknown };
      if (typeof entry.setupUrl === 'string') setupUrl = entry.setupUrl;
    } catch {
      // Not a log line.
    }
  });
  await waitUntilListening(child, port);
  const startMs = performance.now() - began;
  const pid = listeningProcess(child.process.pid!, port);
  return {
    url,
    port,
    pid,
    startMs,
    launcherMemoryMb: () => treeMemoryMb(child.process.pid!, pid),
    setupUrl: () => setupUrl,
    stop: () => stop(child, 15_000),
  };
}

/** The bare Fastify reference (bench/bare-server.ts) answering `/` with `file`'s bytes. */
export async function startBareServer(file: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = start(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
    cwd: projectRoot,
    env: serviceEnvironment({ NODE_ENV: 'production', PORT: String(port), FILE: file }),
  });
  await waitUntilListening(child, port);
  return { url: `http://127.0.0.1:${port}/`, stop: () => stop(child) };
}

/** Polls the port every few milliseconds; fails early with the process's own output if it exits. */
async function waitUntilListening(child: Child, port: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.process.spawnargs.join(' ')} exited before listening:\n${child.output()}`);
    if (await accepts(port)) return;
    await sleep(5);
  }
  await stop(child);
  throw new Error(`${child.process.spawnargs.join(' ')} did not listen on ${port} within 60 s:\n${child.output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Milliseconds from spawn to exit of a command, the median of `times` runs. */
export async function spawnToExitMs(command: string, args: string[], times = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const began = performance.now();
    const child = start(command, args, { cwd: projectRoot, env: serviceEnvironment({ NODE_ENV: 'production' }) });
    const code = await child.exited;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${child.output()}`);
    samples.push(performance.now() - began);
  }
  return median(samples);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
