import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { to: string[]; subject: string; text: string };

/**
 * A real SMTP server on localhost: the service sends through nodemailer exactly as in production,
 * and each accepted message is appended to mailFile before the server answers 250, so a test that
 * reads the file after the page has responded always finds it.
 */
export async function startMailServer(port: number, mailFile: string): Promise<{ close: () => Promise<void> }> {
  await writeFile(mailFile, '');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase());
        const line = JSON.stringify({ to, ...parseMessage(Buffer.concat(chunks).toString('utf8')) });
        appendFile(mailFile, `${line}\n`).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Every message sent to this address so far, oldest first. */
export async function mailTo(mailFile: string, address: string): Promise<ReceivedMail[]> {
  const lines = (await readFile(mailFile, 'utf8')).split('\n').filter(Boolean);
  return lines.map((line) => JSON.parse(line) as ReceivedMail).filter((mail) => mail.to.includes(address.toLowerCase()));
}

/** Enough of RFC 5322 for nodemailer's single-part text messages: headers, and a 7bit, quoted-printable or base64 body. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const hex = joined.slice(index + 1, index + 3);
    if (joined[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(joined.charCodeAt(index));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
