import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, sleep, start, stop, type Child } from './children.ts';
import { NGINX } from './tools.ts';

export type StaticServer = { port: number; url: (file: string) => string; stop: () => Promise<void> };

/**
 * nginx serving `files` as static files from `directory`, on a loopback port, in the foreground
 * (`daemon off`) so that it belongs to the bench and stops with it. One worker process, like the
 * service's one Node process; no access log, keep-alive without a request limit, sendfile on.
 */
export async function startNginx(files: Record<string, Buffer>): Promise<StaticServer> {
  // Its own directory, readable by the unprivileged user nginx's workers switch to when run as root.
  const directory = mkdtempSync(path.join(tmpdir(), 'pcp-bench-nginx-'));
  const root = path.join(directory, 'root');
  const temp = path.join(directory, 'temp');
  mkdirSync(root, { recursive: true });
  mkdirSync(temp, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(root, name), bytes);
  // Run as root, nginx's workers switch to an unprivileged user that must be able to read the files.
  for (const dir of [directory, root, temp]) chmodSync(dir, 0o755);
  for (const name of Object.keys(files)) chmodSync(path.join(root, name), 0o644);

  const port = await freePort();
  const config = path.join(directory, 'nginx.conf');
  writeFileSync(
    config,
    `daemon off;
worker_processes 1;
pid ${path.join(directory, 'nginx.pid')};
error_log ${path.join(directory, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  default_type text/html;
  types { application/json json; text/html html; }
  client_body_temp_path ${temp}/client;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child = start(NGINX, ['-e', path.join(directory, 'error.log'), '-p', directory, '-c', config]);
  const stopAndRemove = async () => {
    await stop(child);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitForPort(child, port);
    // Check that nginx serves exactly the bytes it was given, before trusting it as the reference.
    for (const [name, bytes] of Object.entries(files)) {
      const response = await fetch(`http://127.0.0.1:${port}/${name}`);
      const served = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200 || !served.equals(bytes)) {
        throw new Error(
          `nginx answered ${response.status} with ${served.length} bytes for ${name} (expected 200 with ${bytes.length}):\n${child.output()}`,
        );
      }
    }
  } catch (error) {
    await stopAndRemove();
    throw error;
  }
  return { port, url: (file) => `http://127.0.0.1:${port}/${file}`, stop: stopAndRemove };
}

async function waitForPort(child: Child, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`nginx exited:\n${child.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(20);
    }
  }
  throw new Error(`nginx did not start listening on ${port}:\n${child.output()}`);
}
