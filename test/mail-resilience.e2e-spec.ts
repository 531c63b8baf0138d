import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../src/engine/clock.js';
import type { Recipient } from '../workflows/shared/mail.js';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { as, makeWorkspace, removeWorkspace, type TestApp } from './support/harness.js';
import { startMailApp } from './support/mail-app.js';
import type { CourseEvent } from './support/mail-course.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

const petra: Recipient = {
  name: 'Petra Lang',
  email: 'petra.lang@schule.example',
  language: 'de',
  role: 'participant',
};
const john: Recipient = { name: 'John Reed', email: 'john.reed@schule.example', language: 'en', role: 'moderator' };
/** 14-day reminders on 12 March, 08:00 Berlin (07:00 UTC). */
const modul1: CourseEvent = { id: 'm1', title: 'Modul 1', on: '2026-03-26', location: 'Soest' };
/** 14-day reminders on 13 March, 08:00 Berlin. */
const modul2: CourseEvent = { id: 'm2', title: 'Modul 2', on: '2026-03-27', location: 'Soest' };

/** An SMTP server that accepts connections and never says a word. */
async function startSilentServer(): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits (a few seconds at most) for what the running loops do on their 100 ms interval. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  for (
    const deadline = Date.now() + 5000;
    Date.now() < deadline;
    await new Promise((resolve) => setTimeout(resolve, 25))
  ) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`not within 5 s: ${what}`);
}

describe('a mail server that accepts connections and never answers', () => {
  let workspace: string;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let t: TestApp | undefined;

  beforeEach(async () => {
    workspace = makeWorkspace();
    silent = await startSilentServer();
  });

  afterEach(async () => {
    await silent.stop();
    await t?.close();
    t = undefined;
    removeWorkspace(workspace);
  });

  it('holds up the mail only: a deadline falling due meanwhile fires at once', async () => {
    // The loops run on their interval as in production; SMTP waits a minute before it gives up on a server.
    t = await startMailApp({
      workspace,
      clock: new FakeClock('2026-03-02T09:00:00Z'),
      scheduler: true,
      also: [sampleDeadlineV1],
      config: {
        smtpUrl: silent.url,
        schedulerIntervalMs: 100,
        smtpConnectionTimeoutMs: 60_000,
        smtpGreetingTimeoutMs: 60_000,
        smtpSocketTimeoutMs: 60_000,
      },
    });
    const http = t.http;
    await http
      .post('/instances')
      .set(as('institute'))
      .send({ definition: 'mail-course', input: { course: 'Gruppe 3', members: [petra, john], events: [modul1] } })
      .expect(201);
    // A request to decide by 13 March, submitted when its own reminder (11 March) is past already.
    t.clock.set('2026-03-12T06:00:00Z');
    const request = await http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'Antrag', decideBy: '2026-03-13' } })
      .expect(201);
    await http.post(`/instances/${request.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);

    // The reminders come due and go to the mail server, which swallows them.
    t.clock.set('2026-03-12T07:00:00Z');
    await eventually('the reminders are being sent', async () => silent.connections() > 0);
    // The decision deadline (13 March, 00:00 Berlin) comes due while the mail still hangs.
    t.clock.set('2026-03-12T23:00:00Z');
    const started = Date.now();
    const escalated = await eventually('the deadline fired', async () => {
      const instance = (await http.get(`/instances/${request.body.id}`).expect(200)).body;
      return instance.state === 'escalated' && instance;
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(escalated.pendingTimers).toEqual([]);

    // The reminders are still on the wire or queued behind it: not lost, not sent.
    const unsent = (await http.get('/notifications?kind=mail').set(as('institute')).expect(200)).body;
    expect(unsent.total).toBe(2);
    expect(unsent.items.map((n: { status: string }) => n.status)).toContain('sending');
    expect(unsent.items.every((n: { status: string }) => n.status === 'sending' || n.status === 'pending')).toBe(true);
    expect((await http.get('/health').expect(200)).body.checks.outbox).toMatchObject({
      unsent: 2,
      oldestUnsentSince: '2026-03-12T07:00:00.000Z',
    });
  });

  it('gives up on a silent server after SMTP_GREETING_TIMEOUT_MS and retries the message later', async () => {
    t = await startMailApp({
      workspace,
      clock: new FakeClock('2026-03-02T09:00:00Z'),
      config: { smtpUrl: silent.url, smtpGreetingTimeoutMs: 300 },
    });
    await t.http
      .post('/instances')
      .set(as('institute'))
      .send({ definition: 'mail-course', input: { course: 'Gruppe 3', members: [petra], events: [modul1] } })
      .expect(201);
    await t.scheduler.advanceTo('2026-03-12T07:00:00Z');
    const pending = (await t.http.get('/notifications?status=pending').set(as('institute')).expect(200)).body;
    expect(pending.items).toEqual([
      expect.objectContaining({
        attempts: 1,
        nextAttemptAt: '2026-03-12T07:00:30.000Z',
        lastError: expect.stringMatching(/greeting/i),
      }),
    ]);
  });
});

describe('mail through a long SMTP outage', () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;

  async function startCourse(course: string, event: CourseEvent): Promise<string> {
    const created = await t.http
      .post('/instances')
      .set(as('institute'))
      .send({ definition: 'mail-course', input: { course, members: [petra, john], events: [event] } })
      .expect(201);
    return created.body.id as string;
  }

  async function notifications(
    query: string,
  ): Promise<{ total: number; items: { status: string; attempts: number; instanceId: string; recipient: string }[] }> {
    return (await t.http.get(`/notifications?kind=mail&pageSize=500&${query}`).set(as('institute')).expect(200)).body;
  }

  beforeEach(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    // The default retry policy: 30 s doubling up to one hour between attempts, for 72 hours.
    t = await startMailApp({ workspace, clock: new FakeClock('2026-03-02T09:00:00Z'), config: { smtpUrl: sink.url } });
  });

  afterEach(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  it('keeps retrying through 60 hours without a mail server and delivers every message once when it is back', async () => {
    await startCourse('Gruppe 3', modul1);
    await startCourse('Gruppe 4', modul2);
    await sink.stop();
    // Down from Thursday 12 March 06:00 to Saturday 14 March 18:00; the reminders come due on 12 and 13 March.
    await t.scheduler.advanceTo('2026-03-14T18:00:00Z');
    const waiting = await notifications('');
    expect(waiting.items.map((n) => n.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    // Tried all along: at first within minutes, then hourly.
    expect(Math.min(...waiting.items.map((n) => n.attempts))).toBeGreaterThan(40);
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({
      status: 'degraded',
      checks: {
        outbox: {
          status: 'behind',
          unsent: 4,
          oldestUnsentSince: '2026-03-12T07:00:00.000Z',
          oldestUnsentSeconds: 59 * 3600,
          deadLetters: 0,
        },
      },
    });

    await sink.start();
    await t.scheduler.advanceTo('2026-03-14T19:00:00Z');
    expect(sink.messages.map((mail) => [mail.recipients[0], mail.subject]).sort()).toEqual([
      ['john.reed@schule.example', 'Reminder: Modul 1 on 2026-03-26'],
      ['john.reed@schule.example', 'Reminder: Modul 2 on 2026-03-27'],
      ['petra.lang@schule.example', 'Erinnerung: Modul 1 am 26.03.2026'],
      ['petra.lang@schule.example', 'Erinnerung: Modul 2 am 27.03.2026'],
    ]);
    await t.scheduler.advanceTo('2026-03-20T00:00:00Z');
    expect(sink.messages).toHaveLength(4);
    expect(sink.duplicates()).toBe(0);
    expect((await notifications('status=sent')).total).toBe(4);
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({
      status: 'ok',
      checks: { outbox: { status: 'up', unsent: 0, oldestUnsentSince: null, deadLetters: 0 } },
    });
  });

  it('dead-letters after 72 hours of retries; re-sends them in bulk by instance and by queuing period, each once', async () => {
    const first = await startCourse('Gruppe 3', modul1);
    const second = await startCourse('Gruppe 4', modul2);
    await sink.stop();
    // 71 hours and 59 minutes after the first attempt: still being retried.
    await t.scheduler.advanceTo('2026-03-15T06:59:00Z');
    expect((await notifications('status=failed')).total).toBe(0);
    await t.scheduler.advanceTo('2026-03-17T12:00:00Z');
    const dead = await notifications('status=failed');
    expect(dead.items.map((n) => [n.instanceId, n.recipient])).toEqual([
      [first, 'petra.lang@schule.example'],
      [first, 'john.reed@schule.example'],
      [second, 'petra.lang@schule.example'],
      [second, 'john.reed@schule.example'],
    ]);
    expect((await t.http.get('/health').expect(200)).body.checks.outbox).toMatchObject({ unsent: 0, deadLetters: 4 });
    await sink.start();

    // Refused, and nothing re-queued: the wrong role, a day that does not exist, a period backwards, an unknown field.
    expect((await t.http.post('/notifications/resend').set(as('participant')).send({}).expect(403)).body.rule).toBe(
      'notifications-role',
    );
    const noDay = await t.http
      .post('/notifications/resend')
      .set(as('institute'))
      .send({ queuedFrom: '2026-02-30' })
      .expect(400);
    expect(noDay.headers['content-type']).toContain('application/problem+json');
    expect(noDay.body).toMatchObject({ rule: 'request-schema', detail: expect.stringContaining('queuedFrom') });
    await t.http.post('/notifications/resend').set(as('institute')).send({ queuedFrom: '12.03.2026' }).expect(400);
    expect(
      (
        await t.http
          .post('/notifications/resend')
          .set(as('institute'))
          .send({ queuedFrom: '2026-03-14', queuedBefore: '2026-03-13' })
          .expect(422)
      ).body.rule,
    ).toBe('period-in-order');
    await t.http.post('/notifications/resend').set(as('institute')).send({ status: 'sent' }).expect(400);
    await t.scheduler.tick();
    expect((await notifications('status=failed')).total).toBe(4);
    expect(sink.messages).toHaveLength(0);

    // By instance: the first course's two messages.
    expect(
      (await t.http.post('/notifications/resend').set(as('institute')).send({ instance: first }).expect(200)).body,
    ).toEqual({ requeued: 2 });
    await t.scheduler.tick();
    expect(sink.messages.map((mail) => mail.subject).sort()).toEqual([
      'Erinnerung: Modul 1 am 26.03.2026',
      'Reminder: Modul 1 on 2026-03-26',
    ]);
    // By the day they were queued (13 March, Berlin time): the second course's.
    expect(
      (
        await t.http
          .post('/notifications/resend')
          .set(as('institute'))
          .send({ kind: 'mail', queuedFrom: '2026-03-13', queuedBefore: '2026-03-14' })
          .expect(200)
      ).body,
    ).toEqual({ requeued: 2 });
    await t.scheduler.tick();
    expect(sink.messages).toHaveLength(4);
    expect(sink.duplicates()).toBe(0);
    // Nothing left to re-send; the sent ones are not sent again.
    expect((await t.http.post('/notifications/resend').set(as('institute')).send({}).expect(200)).body).toEqual({
      requeued: 0,
    });
    await t.scheduler.advanceTo('2026-03-20T00:00:00Z');
    expect(sink.messages).toHaveLength(4);
    expect((await notifications('status=sent')).total).toBe(4);
  });
});
