import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './configuration.js';

describe('configuration', () => {
  it('has working defaults: embedded SQLite under data/, mail to files, Berlin time, one-minute ticks', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databasePath: 'data/lotse.sqlite',
      smtpUrl: '',
      outboxDir: 'data/outbox',
      timeZone: 'Europe/Berlin',
      schedulerIntervalMs: 60000,
    });
  });

  it('lets environment variables override the files', () => {
    expect(
      loadConfig({
        PORT: '8080',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        INSTITUTION_NAME: 'Institut für Schulentwicklung',
      }),
    ).toMatchObject({ port: 8080, smtpUrl: 'smtp://127.0.0.1:2525', institutionName: 'Institut für Schulentwicklung' });
  });

  it('stops with a message naming each bad setting and its variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/port \(env PORT\) = "eighty"/);
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/timeZone \(env TIME_ZONE\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl \(env DATABASE_URL\)/);
    expect(() => loadConfig({ SMTP_URL: 'http://x' })).toThrow(/smtpUrl \(env SMTP_URL\)/);
    expect(() => loadConfig({ SCHEDULER_INTERVAL_MS: '5' })).toThrow(
      /schedulerIntervalMs \(env SCHEDULER_INTERVAL_MS\)/,
    );
  });

  it('pseudonymises after five years by default; PSEUDONYMISE_AFTER_YEARS must be a whole number of years from 1', () => {
    expect(loadConfig({}).pseudonymiseAfterYears).toBe(5);
    expect(loadConfig({ PSEUDONYMISE_AFTER_YEARS: '10' }).pseudonymiseAfterYears).toBe(10);
    for (const bad of ['fünf', '2.5', '0', '-1', '']) {
      expect(() => loadConfig({ PSEUDONYMISE_AFTER_YEARS: bad })).toThrow(
        /pseudonymiseAfterYears \(env PSEUDONYMISE_AFTER_YEARS\)/,
      );
    }
  });

  it('builds links from PUBLIC_BASE_URL (an absolute URL, a trailing slash dropped) and sends Reply-To only when MAIL_REPLY_TO is set', () => {
    expect(loadConfig({})).toMatchObject({ publicBaseUrl: 'http://localhost:3000', mailReplyTo: '' });
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://lotse.example.org/' }).publicBaseUrl).toBe(
      'https://lotse.example.org',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://example.org/lotse' }).publicBaseUrl).toBe(
      'https://example.org/lotse',
    );
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'lotse.example.org' })).toThrow(/publicBaseUrl \(env PUBLIC_BASE_URL\)/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: '/certificates' })).toThrow(/publicBaseUrl \(env PUBLIC_BASE_URL\)/);
    expect(loadConfig({ MAIL_REPLY_TO: 'Geschäftsstelle <tandem@qualis.example.org>' }).mailReplyTo).toBe(
      'Geschäftsstelle <tandem@qualis.example.org>',
    );
    expect(() => loadConfig({ MAIL_REPLY_TO: 'Geschäftsstelle' })).toThrow(/mailReplyTo \(env MAIL_REPLY_TO\)/);
    // The sender's domain names every Message-ID, so the sender must be an address.
    expect(() => loadConfig({ MAIL_FROM: 'Lotse' })).toThrow(/mailFrom \(env MAIL_FROM\)/);
  });

  it('retries mail for 72 hours, 30 s doubling up to an hour, and gives SMTP 10 s to connect and greet, 30 s to answer', () => {
    expect(loadConfig({})).toMatchObject({
      outboxRetryForHours: 72,
      outboxRetryBaseMs: 30_000,
      outboxRetryMaxDelayMs: 3_600_000,
      smtpConnectionTimeoutMs: 10_000,
      smtpGreetingTimeoutMs: 10_000,
      smtpSocketTimeoutMs: 30_000,
      logLevel: 'info',
    });
    expect(loadConfig({ OUTBOX_RETRY_FOR_HOURS: '96.5', LOG_LEVEL: 'warn' })).toMatchObject({
      outboxRetryForHours: 96.5,
      logLevel: 'warn',
    });
  });

  it('names a bad URL setting without printing its value, which may hold a password', () => {
    for (const env of [
      { DATABASE_URL: 'postgres://lotse:Geheim@host:port/lotse' },
      { DATABASE_URL: 'postgres://lotse:Geheim@host:5432' },
      { SMTP_URL: 'smtps://mailer:Geheim@' },
    ]) {
      let message = '';
      try {
        loadConfig(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/(databaseUrl \(env DATABASE_URL\)|smtpUrl \(env SMTP_URL\)): /);
      expect(message).not.toContain('Geheim');
    }
    expect(loadConfig({ DATABASE_URL: 'postgresql://lotse:Geheim@db.internal:5432/lotse' }).databaseUrl).toContain(
      'db.internal',
    );
  });

  it('knows the attempt count setting no more: the retry period replaced it', () => {
    expect(() => loadConfig({}, { outboxMaxAttempts: 6 } as never)).toThrow(/unknown setting\(s\): outboxMaxAttempts/);
  });

  it('reads reminder overrides per programme from REMINDER_OVERRIDES as JSON, none by default', () => {
    expect(loadConfig({}).reminderOverrides).toEqual({});
    const overrides = { 'contract-review': { 'review-due': { offsets: ['-P12M'] } } };
    expect(loadConfig({ REMINDER_OVERRIDES: JSON.stringify(overrides) }).reminderOverrides).toEqual(overrides);
  });

  it('stops when REMINDER_OVERRIDES is not JSON or not an object per programme, naming the variable', () => {
    expect(() => loadConfig({ REMINDER_OVERRIDES: '{review: 1}' })).toThrow(ConfigError);
    expect(() => loadConfig({ REMINDER_OVERRIDES: '{review: 1}' })).toThrow(
      /reminderOverrides \(env REMINDER_OVERRIDES\) is not valid JSON/,
    );
    expect(() => loadConfig({ REMINDER_OVERRIDES: '[1]' })).toThrow(/reminderOverrides \(env REMINDER_OVERRIDES\)/);
    expect(() => loadConfig({ REMINDER_OVERRIDES: '{"contract-review": ["-P1M"]}' })).toThrow(
      /reminderOverrides \(env REMINDER_OVERRIDES\).*each programme/,
    );
  });
});
