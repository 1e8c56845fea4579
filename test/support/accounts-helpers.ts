import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { rowsOf, type DatabaseHandle } from '../../src/platform/db/database.ts';

export type AuditRow = {
  action: string;
  actorUserId: string | null;
  actorLabel: string;
  policingBodyId: string | null;
  subjectId: string;
  before: unknown;
  after: unknown;
};

/** The audit events with this action, oldest first. */
export async function auditEventsNamed(database: DatabaseHandle, action: string): Promise<AuditRow[]> {
  const result = await database.db.execute(sql`
    select action, actor_user_id as "actorUserId", actor_label as "actorLabel", policing_body_id as "policingBodyId",
           subject_id as "subjectId", before, after
    from audit_events where action = ${action} order by id`);
  return rowsOf<AuditRow>(result);
}

/** How many stored sessions belong to this user. */
export async function sessionCountFor(database: DatabaseHandle, userId: string): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from sessions where data->>'userId' = ${userId}`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n);
}

/** The local path of the invitation link in an e-mail's text, e.g. `/invitations/abc`. */
export function invitationPathIn(text: string): string {
  const match = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no invitation link in:\n${text}`);
  return match[1]!;
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

/** A real SMTP server on 127.0.0.1 that keeps every message it is given. */
export async function startSmtpServer(): Promise<{ port: number; received: ReceivedMail[]; close: () => Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The plain-text body of a raw message, with quoted-printable soft line breaks joined and
 * `=XX` escapes decoded, so a long link reads as one line.
 */
export function bodyOf(raw: string): string {
  const [headers = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(headers)) return body.replace(/\r\n/g, '\n');
  const joined = body.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  )
    .toString('utf8')
    .replace(/\r\n/g, '\n');
}

/** One header's value from a raw message. */
export function headerOf(raw: string, name: string): string | undefined {
  const headers = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
