import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, headerOf, startSmtpServer } from '../../../test/support/accounts-helpers.ts';
import { createMailer } from './mailer.ts';

const FROM = 'Police and crime plans <no-reply@plans.example.org>';

/** A real pino logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('the SMTP mailer', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it('delivers the message to the SMTP server with its sender, recipient, subject and body', async () => {
    const { logger, lines } = recordingLogger();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM, dataDir: '/nonexistent', logger });
    expect(mailer.description).toBe('smtp');
    await mailer.send({
      to: 'sam.patel@example.org',
      subject: 'Your draft plan is ready',
      text: 'Dear Sam,\n\nThe draft is ready for the panel’s review.',
    });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe('no-reply@plans.example.org');
    expect(mail!.to).toEqual(['sam.patel@example.org']);
    expect(headerOf(mail!.raw, 'Subject')).toBe('Your draft plan is ready');
    expect(headerOf(mail!.raw, 'To')).toBe('sam.patel@example.org');
    expect(headerOf(mail!.raw, 'From')).toBe(FROM);
    expect(bodyOf(mail!.raw).trim()).toBe('Dear Sam,\n\nThe draft is ready for the panel’s review.');
    expect(lines).toMatchObject([{ msg: 'mail sent', subject: 'Your draft plan is ready' }]);
  });

  it('rejects when no mail server answers, so the caller can tell the user', async () => {
    const closed = await startSmtpServer();
    await closed.close();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${closed.port}`,
      from: FROM,
      dataDir: '/nonexistent',
      logger: pino({ level: 'silent' }),
    });
    await expect(mailer.send({ to: 'someone@example.org', subject: 'Hello', text: 'Hello' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('the outbox mailer (no SMTP_URL)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pcp-mail-'));
  });
  afterEach(async () => {
    await rm(path.join(dataDir, 'outbox'), { recursive: true, force: true });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('writes each message as an .eml file under DATA_DIR/outbox', async () => {
    const { logger, lines } = recordingLogger();
    const mailer = createMailer({ smtpUrl: undefined, from: FROM, dataDir, logger });
    const outbox = path.join(dataDir, 'outbox');
    expect(mailer.description).toBe(`outbox (${outbox})`);

    await mailer.send({
      to: 'jo.bloggs@example.org',
      subject: 'You have been invited',
      text: 'Dear Jo,\n\nChoose a password: http://localhost/invitations/abc',
    });

    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[A-Za-z0-9]+\.eml$/);
    const raw = await readFile(path.join(outbox, files[0]!), 'utf8');
    expect(headerOf(raw, 'From')).toBe(FROM);
    expect(headerOf(raw, 'To')).toBe('jo.bloggs@example.org');
    expect(headerOf(raw, 'Subject')).toBe('You have been invited');
    expect(headerOf(raw, 'Message-ID')).toMatch(/^<.+@.+>$/);
    expect(bodyOf(raw).trim()).toBe('Dear Jo,\n\nChoose a password: http://localhost/invitations/abc');
    expect(lines).toMatchObject([{ msg: 'mail written to outbox', subject: 'You have been invited', file: path.join(outbox, files[0]!) }]);
  });

  it('keeps every message, one file each', async () => {
    const mailer = createMailer({ smtpUrl: undefined, from: FROM, dataDir, logger: pino({ level: 'silent' }) });
    for (const n of [1, 2, 3]) await mailer.send({ to: `person${n}@example.org`, subject: `Message ${n}`, text: `Body ${n}` });
    const files = await readdir(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(3);
    const subjects = await Promise.all(
      files.map(async (file) => headerOf(await readFile(path.join(dataDir, 'outbox', file), 'utf8'), 'Subject')),
    );
    expect(subjects.sort()).toEqual(['Message 1', 'Message 2', 'Message 3']);
  });
});
