import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Every process the bench starts, each in its own process group so that stopping it also stops
 * whatever it started (npx → tsx → node). `stopAll` runs at the end, on failure and on Ctrl-C.
 */
const children = new Set<Child>();
let stopping = false;

export type Child = {
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has gone. */
  exited: Promise<number | string>;
  /** The last lines the process wrote, for error messages. */
  output: () => string;
  /** Calls `listener` with every complete line written to stdout. */
  onLine: (listener: (line: string) => void) => void;
};

export function start(command: string, args: string[], options: SpawnOptions = {}): Child {
  if (stopping) throw new Error('the bench is stopping');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let partial = '';
  const keep = (text: string) => {
    tail.push(text);
    while (tail.length > 40) tail.shift();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      keep(line);
      for (const listener of listeners) listener(line);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => keep(chunk.trimEnd()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      keep(String(error));
      resolve('spawn-error');
    });
  });
  const handle: Child = { process: child, exited, output: () => tail.join('\n'), onLine: (listener) => listeners.push(listener) };
  children.add(handle);
  void exited.then(() => {
    if (!groupAlive(child)) children.delete(handle);
  });
  return handle;
}

/** Sends SIGTERM to the child's process group, then SIGKILL if it has not gone within `graceMs`. */
export async function stop(child: Child, graceMs = 5_000): Promise<void> {
  signalGroup(child.process, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([child.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  // The group leader may exit before its children (npx relays the signal): wait for the whole group.
  while (groupAlive(child.process) && Date.now() < deadline) await sleep(25);
  signalGroup(child.process, 'SIGKILL');
  await child.exited;
  children.delete(child);
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all([...children].map((child) => stop(child)));
}

/** Last resort from a synchronous 'exit' handler: kill whatever is left. */
export function killAllNow(): void {
  for (const child of children) signalGroup(child.process, 'SIGKILL');
}

/** Runs a command to completion and returns its exit code and output. */
export async function run(command: string, args: string[], options: SpawnOptions = {}): Promise<{ code: number | string; output: string }> {
  const child = start(command, args, options);
  const code = await child.exited;
  return { code, output: child.output() };
}

/** A TCP port on 127.0.0.1 that nothing is listening on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads a field such as VmRSS or VmHWM from /proc/<pid>/status, in MB. */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so a later read is the peak since now. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The process (within the tree rooted at `rootPid`) that holds the socket listening on `port`:
 * with `npx tsx` the spawned process is npx, and the service is its grandchild.
 */
export function listeningProcess(rootPid: number, port: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (!local || !inode) continue;
      if (state === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(inode);
    }
  }
  for (const pid of descendants(rootPid)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  throw new Error(`no process under ${rootPid} is listening on port ${port}`);
}

/** Resident memory of every process in the tree rooted at `rootPid` except `exceptPid`, in MB. */
export function treeMemoryMb(rootPid: number, exceptPid: number): number {
  let total = 0;
  for (const pid of descendants(rootPid)) {
    if (pid === exceptPid) continue;
    try {
      total += memoryMb(pid, 'VmRSS');
    } catch {
      // A shell or a process that has ended has no VmRSS.
    }
  }
  return total;
}

/** `rootPid` and every process below it. */
function descendants(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; the fields after the last ')' do not.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [rootPid];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, parent] of parentOf) if (parent === found[i]) found.push(pid);
  }
  return found;
}
