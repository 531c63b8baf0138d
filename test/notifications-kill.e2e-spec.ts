import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../src/engine/clock.js';
import type { Recipient } from '../workflows/shared/mail.js';
import { as, makeWorkspace, removeWorkspace } from './support/harness.js';
import { startMailApp } from './support/mail-app.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

const SERVER = join(process.cwd(), 'dist/test/support/mail-server.js');
const COURSES = 20;
const member = (n: number, role: string): Recipient => ({
  name: `Person ${n}`,
  email: `person-${n}@schule.example`,
  language: n % 2 ? 'en' : 'de',
  role,
});

/** Starts the compiled mail server and waits until it listens. */
function startChild(env: Record<string, string>): Promise<ChildProcess> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, LOTSE_QUIET: '1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`mail server exited with ${code}: ${errors}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the service killed with SIGKILL while it sends reminders', () => {
  let workspace: string;
  let sink: SmtpSink;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
  });

  afterEach(async () => {
    if (child) await kill(child);
    await sink.stop();
    removeWorkspace(workspace);
  });

  it('loses no reminder and sends none twice after the restart', async () => {
    const config = { smtpUrl: sink.url, databasePath: join(workspace, 'lotse.sqlite') };
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    let t = await startMailApp({ workspace, clock, config });
    for (let n = 0; n < COURSES; n++) {
      await t.http
        .post('/instances')
        .set(as('institute'))
        .send({
          definition: 'mail-course',
          input: {
            course: `Gruppe ${n}`,
            members: [member(2 * n, 'participant'), member(2 * n + 1, 'moderator')],
            events: [{ id: 'm1', title: 'Modul 1', on: '2026-03-26', location: 'Soest' }],
          },
        })
        .expect(201);
    }
    await t.close();
    const expected = COURSES * 2;

    // The service comes up at the reminders' due time (12 March, 08:00 Berlin), fires them and starts sending; the
    // SMTP server takes 15 messages and leaves the 16th unanswered, and the service is killed right then.
    const held = sink.holdAfter(15);
    child = await startChild({
      DATABASE_PATH: config.databasePath,
      SMTP_URL: sink.url,
      LOTSE_NOW: '2026-03-12T07:00:00Z',
      OUTBOX_DIR: join(workspace, 'outbox'),
    });
    await held;
    await kill(child);
    child = undefined;
    await sink.stop();
    await sink.start();
    expect(sink.messages).toHaveLength(15);

    // Restarted after the five-minute claim of the dead sender expired: the rest goes out, the sent ones do not.
    clock.set('2026-03-12T07:06:00Z');
    t = await startMailApp({ workspace, clock, config });
    // The dead sender's claims: at least the unanswered message is still marked as being sent.
    expect(
      (await t.http.get('/notifications?status=sending').set(as('institute')).expect(200)).body.total,
    ).toBeGreaterThan(0);
    await t.scheduler.tick();
    const delivered = new Set(sink.messages.map((mail) => mail.messageId));
    const duplicates = sink.duplicates();
    console.log(
      `kill during dispatch: ${expected} reminders expected, ${delivered.size} delivered, ${duplicates} duplicates`,
    );
    expect(delivered.size).toBe(expected);
    expect(duplicates).toBe(0);
    const sent = (await t.http.get('/notifications?status=sent&pageSize=500').set(as('institute')).expect(200)).body;
    expect(sent.total).toBe(expected);
    await t.close();
  });
});
