import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { run } from './children.ts';

export const NGINX = '/usr/sbin/nginx';
export const WRK = '/usr/bin/wrk';

/**
 * Makes sure nginx (the static-file reference) and wrk (the load generator) are installed,
 * installing the Debian packages if not. Package scripts are not allowed to start the system
 * nginx service: the bench runs its own nginx on a loopback port and stops it afterwards.
 */
export async function ensureTools(say: (line: string) => void): Promise<void> {
  const missing = [
    { binary: NGINX, apt: 'nginx' },
    { binary: WRK, apt: 'wrk' },
  ].filter((tool) => !existsSync(tool.binary));
  if (missing.length === 0) return;

  const packages = missing.map((tool) => tool.apt);
  if (process.getuid?.() !== 0) {
    throw new Error(`The bench needs ${packages.join(' and ')}. Install them with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  say(`Installing ${packages.join(' and ')} with apt-get (needed once; the bench uses them only on 127.0.0.1)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env });
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.output}`);
  // policy-rc.d exit 101 is Debian's way to tell package scripts not to start services.
  const policy = '/usr/sbin/policy-rc.d';
  const addedPolicy = !existsSync(policy);
  if (addedPolicy)
    writeFileSync(policy, '#!/bin/sh\n# Written by npm run bench while installing nginx; removed afterwards.\nexit 101\n', { mode: 0o755 });
  let install: Awaited<ReturnType<typeof run>>;
  try {
    install = await run(
      'apt-get',
      [
        'install',
        '-y',
        '--no-install-recommends',
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        ...packages,
      ],
      { env },
    );
  } finally {
    if (addedPolicy) rmSync(policy, { force: true });
  }
  if (install.code !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed:\n${install.output}`);
  for (const tool of missing) {
    if (!existsSync(tool.binary)) throw new Error(`${tool.apt} was installed but ${tool.binary} is not there`);
  }
  say(`Installed ${packages.join(' and ')}.`);
}
