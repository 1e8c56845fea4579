import os from 'node:os';
import path from 'node:path';

/**
 * Where the browser tests run: one real server per Playwright project, each on its own port with
 * its own throwaway embedded database, because the first-run set-up link works once per database.
 * E2E_PORT moves every port at once, so two checkouts can run the tests side by side.
 */
const basePort = Number(process.env.E2E_PORT ?? 3217);

export const workDirectory = path.join(os.tmpdir(), `pcp-e2e-${basePort}`);

/** The real SMTP server started in global set-up; every message it accepts is one JSON line here. */
export const smtp = { port: basePort + 100, mailFile: path.join(workDirectory, 'mail.jsonl') };

export type E2eServer = {
  project: string;
  isJavaScriptEnabled: boolean;
  port: number;
  baseUrl: string;
  dataDir: string;
  /** The environment variable Playwright fills from the server's "setupUrl" log line. */
  setupUrlVariable: string;
};

export const servers: E2eServer[] = [
  { project: 'chromium', isJavaScriptEnabled: true, port: basePort },
  { project: 'chromium-no-javascript', isJavaScriptEnabled: false, port: basePort + 1 },
].map((server) => ({
  ...server,
  baseUrl: `http://127.0.0.1:${server.port}`,
  dataDir: path.join(workDirectory, server.project),
  setupUrlVariable: `PCP_E2E_SETUP_URL_${server.port}`,
}));

/** The set-up link the server printed on its first start, found by the test's base URL. */
export function setupUrlFor(baseUrl: string | undefined): string {
  const server = servers.find((candidate) => candidate.baseUrl === baseUrl);
  const setupUrl = server && process.env[server.setupUrlVariable];
  if (!setupUrl) throw new Error(`No set-up link was captured from the server at ${baseUrl}`);
  return setupUrl;
}
