import { defineConfig } from '@playwright/test';
import { servers, smtp } from './e2e/support/environment.ts';

/**
 * Browser journeys in Debian's Chromium (never a downloaded browser), once with JavaScript and
 * once without. Each project has its own real server and fresh embedded database; the server's
 * first-start log line carries the one-time set-up link, which Playwright captures from stdout.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 120_000,
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // Generous for 2 slow cores, but short of the test timeout so a missing element fails with its own message.
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: servers.map((server) => ({
    name: server.project,
    use: { baseURL: server.baseUrl, javaScriptEnabled: server.isJavaScriptEnabled },
  })),
  webServer: servers.map((server) => ({
    name: server.project,
    // A fresh database every run, so the server starts with no users and prints its set-up link.
    command: `rm -rf '${server.dataDir}' && exec ./node_modules/.bin/tsx src/server.ts`,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(server.port),
      PUBLIC_URL: server.baseUrl,
      DATA_DIR: server.dataDir,
      DATABASE_URL: '',
      SESSION_SECRET: '',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      LOG_LEVEL: 'info',
    },
    // Ready once it has printed the set-up link and is listening. (No `url`: Playwright would take
    // whichever of the two came first, and the link is printed before the server listens.)
    wait: { stdout: new RegExp(`"setupUrl":"(?<${server.setupUrlVariable.toLowerCase()}>[^"]+)"[\\s\\S]*Server listening at`) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  })),
});
