import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export type MailMessage = { to: string; subject: string; text: string };

export interface Mailer {
  /** Sends one message; rejects if the mail server refused it. */
  send(message: MailMessage): Promise<void>;
  readonly description: string;
}

/**
 * SMTP when SMTP_URL is set; otherwise each message is written as an .eml file under
 * <dataDir>/outbox, so a fresh install works without a mail server and nothing is lost.
 */
export function createMailer(options: {
  smtpUrl?: string | undefined;
  from: string;
  dataDir: string;
  logger: Pick<Logger, 'info'>;
}): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      description: 'smtp',
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
        options.logger.info({ subject: message.subject }, 'mail sent');
      },
    };
  }
  const outbox = path.resolve(options.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `outbox (${outbox})`,
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      await mkdir(outbox, { recursive: true });
      const file = path.join(
        outbox,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}.eml`,
      );
      await writeFile(file, info.message as Buffer);
      options.logger.info({ subject: message.subject, file }, 'mail written to outbox');
    },
  };
}
