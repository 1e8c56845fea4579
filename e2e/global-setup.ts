import { mkdir } from 'node:fs/promises';
import { smtp, workDirectory } from './support/environment.ts';
import { startMailServer } from './support/mailbox.ts';

/**
 * Runs after Playwright has started the web servers (they only connect to SMTP when sending),
 * and returns the teardown that stops the mail server.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await mkdir(workDirectory, { recursive: true });
  const mailServer = await startMailServer(smtp.port, smtp.mailFile);
  return () => mailServer.close();
}
