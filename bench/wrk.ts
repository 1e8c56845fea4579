import { run } from './children.ts';
import { WRK } from './tools.ts';

export type LoadOptions = { threads: number; connections: number; seconds: number; warmupSeconds: number };

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses with a status of 400 or more, plus socket errors (timeouts are wrk's 2 s limit). */
  errors: number;
  timeouts: number;
  non2xx: number;
  bytesPerResponse: number;
};

/** Loads one URL with wrk (after a short warm-up run that is thrown away) and parses the summary. */
export async function load(url: string, options: LoadOptions, headers: Record<string, string> = {}): Promise<LoadResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the bench only loads 127.0.0.1, not ${url}`);
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = (seconds: number) => [`-t${options.threads}`, `-c${options.connections}`, `-d${seconds}s`, '--latency', ...headerArgs, url];
  if (options.warmupSeconds > 0) await run(WRK, args(options.warmupSeconds));
  const { code, output } = await run(WRK, args(options.seconds));
  if (code !== 0) throw new Error(`wrk failed on ${url}:\n${output}`);
  return parse(output);
}

export function parse(output: string): LoadResult {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`could not read ${pattern} from wrk output:\n${output}`);
    return match;
  };
  const requestsPerSecond = Number(number(/Requests\/sec:\s+([\d.]+)/)[1]);
  const [, requests, amount, unit] = number(/(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/);
  const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const errors = (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    requestsPerSecond,
    p50Ms: latencyMs(number(/\s50%\s+([\d.]+)(us|ms|s)\b/)),
    p99Ms: latencyMs(number(/\s99%\s+([\d.]+)(us|ms|s)\b/)),
    requests: Number(requests),
    errors,
    timeouts: socketErrors ? Number(socketErrors[4]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    bytesPerResponse: (Number(amount) * (scale[unit!] ?? 1)) / Number(requests),
  };
}

function latencyMs(match: RegExpExecArray): number {
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}
