/**
 * A real SMTP server on 127.0.0.1 for tests and the benchmark (the smtp-server package), collecting every message it
 * accepts. It can be stopped and started again on the same port (SMTP down, then up) and told to answer the next
 * messages with a temporary failure. Messages are parsed just enough to assert what a person would see: envelope,
 * headers, subject, text, HTML and attachments.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedPart {
  contentType: string;
  filename: string | null;
  content: string;
}

export interface ReceivedMail {
  /** RCPT TO addresses. */
  recipients: string[];
  from: string;
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  attachments: ReceivedPart[];
  raw: string;
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Messages accepted so far (also counted when not collected). */
  accepted = 0;
  /** How many more messages to answer with a temporary failure, and which. */
  private refusals: { count: number; code: number } = { count: 0, code: 451 };
  private server: SMTPServer | null = null;
  /** After this many more accepted messages the next one is held unanswered, as if the sender died mid-send. */
  private hold: { after: number; reached: () => void } | null = null;
  private boundPort = 0;

  /** `collect: false` only counts messages: the benchmark's sink must not spend its time parsing. */
  constructor(private readonly options: { collect: boolean } = { collect: true }) {}

  /** Listens on `port`, or on a free port the first time and on the same port after a stop. */
  async start(port = this.boundPort): Promise<this> {
    if (this.server) return this;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.hold && this.hold.after-- <= 0) {
            this.hold.reached();
            this.hold = null;
            return;
          }
          if (this.refusals.count > 0) {
            this.refusals.count--;
            callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: this.refusals.code }));
            return;
          }
          this.accepted++;
          if (!this.options.collect) return callback();
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          this.messages.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
              from,
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open connections: senders see the server as down. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const connection of server.connections) connection.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  /** Answers the next `count` messages with `code` (4xx temporary, 5xx permanent). */
  refuseNext(count: number, code = 451): void {
    this.refusals = { count, code };
  }

  /** Accepts `count` messages, then leaves the next one unanswered; resolves when that one arrives. */
  holdAfter(count: number): Promise<void> {
    return new Promise((reached) => {
      this.hold = { after: count, reached };
    });
  }

  /** Messages per Message-ID received more than once. */
  duplicates(): number {
    const seen = new Map<string, number>();
    for (const mail of this.messages) seen.set(mail.messageId, (seen.get(mail.messageId) ?? 0) + 1);
    return [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  }
}

export function startSmtpSink(options?: { collect: boolean }): Promise<SmtpSink> {
  return new SmtpSink(options).start();
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

function parseMail(raw: string, recipients: string[], from: string): ReceivedMail {
  const root = splitPart(raw);
  const leaves = flatten(root);
  const isAttachment = (part: Part) =>
    /attachment/i.test(part.headers['content-disposition'] ?? '') ||
    param(part.headers['content-type'], 'name') !== null;
  const body = (type: string) =>
    leaves.filter((p) => !isAttachment(p) && mediaType(p) === type).map(decodeBody)[0] ?? '';
  return {
    recipients,
    from,
    headers: root.headers,
    subject: decodeWords(root.headers.subject ?? ''),
    messageId: root.headers['message-id'] ?? '',
    text: body('text/plain'),
    html: body('text/html'),
    attachments: leaves.filter(isAttachment).map((part) => ({
      contentType: mediaType(part),
      filename: param(part.headers['content-disposition'], 'filename') ?? param(part.headers['content-type'], 'name'),
      content: decodeBody(part),
    })),
    raw,
  };
}

function splitPart(raw: string): Part {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: end < 0 ? '' : raw.slice(end + 4) };
}

function flatten(part: Part): Part[] {
  const boundary = mediaType(part).startsWith('multipart/') ? param(part.headers['content-type'], 'boundary') : null;
  if (!boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => flatten(splitPart(section.replace(/^\r\n/, ''))));
}

function mediaType(part: Part): string {
  return (part.headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
}

function param(header: string | undefined, name: string): string | null {
  const match = header ? new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header) : null;
  return match ? decodeWords(match[1] ?? match[2]) : null;
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body = part.body.replace(/\r\n$/, '');
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(body.replace(/=\r\n/g, ''));
  return body;
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects and file names. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : quotedPrintable(text.replace(/_/g, ' ')),
    );
}
