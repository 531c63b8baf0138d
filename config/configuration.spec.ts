import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './configuration.js';

describe('configuration', () => {
  it('has working defaults: embedded SQLite under data/, mail to files, Berlin time, one-minute ticks', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databasePath: 'data/lotse.sqlite', smtpUrl: '', outboxDir: 'data/outbox', timeZone: 'Europe/Berlin', schedulerIntervalMs: 60000 });
  });

  it('lets environment variables override the files', () => {
    expect(loadConfig({ PORT: '8080', SMTP_URL: 'smtp://127.0.0.1:2525' })).toMatchObject({ port: 8080, smtpUrl: 'smtp://127.0.0.1:2525' });
  });

  it('stops with a message naming each bad setting and its variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/port \(env PORT\) = "eighty"/);
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/timeZone \(env TIME_ZONE\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl \(env DATABASE_URL\)/);
    expect(() => loadConfig({ SMTP_URL: 'http://x' })).toThrow(/smtpUrl \(env SMTP_URL\)/);
    expect(() => loadConfig({ SCHEDULER_INTERVAL_MS: '5' })).toThrow(/schedulerIntervalMs \(env SCHEDULER_INTERVAL_MS\)/);
  });
});
