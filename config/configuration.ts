import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, Min, MinLength, ValidateBy, validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A URL of one of `protocols` with a host (and, for a database, a database name). */
function isUrl(value: unknown, protocols: string[], withPath = false): boolean {
  const url = typeof value === 'string' ? URL.parse(value) : null;
  return !!url && protocols.includes(url.protocol) && url.hostname !== '' && (!withPath || url.pathname.length > 1);
}

/** Typed settings of one Lotse process. Files in config/ give defaults; environment variables override them. */
export class LotseConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  port!: number;

  /** SQLite file of the embedded database; ignored when databaseUrl is set. */
  @IsString() @MinLength(1)
  databasePath!: string;

  /** postgres://user:pass@host:port/db — empty means embedded SQLite. */
  @IsOptional()
  @ValidateBy({
    name: 'postgresUrl',
    validator: { validate: (value: unknown) => value === '' || isUrl(value, ['postgres:', 'postgresql:'], true), defaultMessage: () => 'databaseUrl must be empty or a postgres://user:password@host:port/database URL' },
  })
  databaseUrl!: string;

  /** smtp:// or smtps:// URL; empty writes every message as an .eml file to outboxDir. */
  @IsOptional()
  @ValidateBy({
    name: 'smtpUrl',
    validator: { validate: (value: unknown) => value === '' || isUrl(value, ['smtp:', 'smtps:']), defaultMessage: () => 'smtpUrl must be empty or an smtp:// or smtps:// URL with a host' },
  })
  smtpUrl!: string;

  @IsString() @MinLength(3)
  mailFrom!: string;

  @IsString() @MinLength(1)
  outboxDir!: string;

  @IsIn(Intl.supportedValuesOf('timeZone'), { message: 'timeZone must be an IANA time zone such as Europe/Berlin' })
  timeZone!: string;

  @Type(() => Number) @IsInt() @Min(100)
  schedulerIntervalMs!: number;

  /** How long a message that cannot be delivered is retried before it is dead-lettered (a weekend's outage and more). */
  @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(24 * 365)
  outboxRetryForHours!: number;

  /** The first retry delay; it doubles with each failed attempt up to outboxRetryMaxDelayMs. Never 0: that would retry in a tight loop. */
  @Type(() => Number) @IsInt() @Min(100)
  outboxRetryBaseMs!: number;

  @Type(() => Number) @IsInt() @Min(1000)
  outboxRetryMaxDelayMs!: number;

  /** How long to wait for an SMTP server to accept the connection, to greet, and to answer any command. */
  @Type(() => Number) @IsInt() @Min(100)
  smtpConnectionTimeoutMs!: number;

  @Type(() => Number) @IsInt() @Min(100)
  smtpGreetingTimeoutMs!: number;

  @Type(() => Number) @IsInt() @Min(100)
  smtpSocketTimeoutMs!: number;

  /** Lowest level written to the JSON log on standard output. */
  @IsIn(LOG_LEVELS, { message: `logLevel must be one of ${LOG_LEVELS.join(', ')}` })
  logLevel!: LogLevel;

  /**
   * Changes to the default reminder policies: `{ "<programme>": { "<rule>": { offsets?, roles?, enabled? } } }`.
   * Each programme checks its own rules when its definition is built, so a typo stops the start-up.
   */
  @IsObject()
  @ValidateBy({
    name: 'objectPerProgramme',
    validator: {
      validate: (value: unknown) => typeof value === 'object' && value !== null && Object.values(value).every((rules) => typeof rules === 'object' && rules !== null && !Array.isArray(rules)),
      defaultMessage: () => 'reminderOverrides must map each programme to an object keyed by reminder rule',
    },
  })
  reminderOverrides!: Record<string, Record<string, unknown>>;

  /** The commissioned institution that runs the tandem qualification and signs its certificates. */
  @IsString() @MinLength(3)
  institutionName!: string;
}

/** Environment variable for each setting. */
const ENV_NAMES: Record<keyof LotseConfig, string> = {
  port: 'PORT',
  databasePath: 'DATABASE_PATH',
  databaseUrl: 'DATABASE_URL',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'MAIL_FROM',
  outboxDir: 'OUTBOX_DIR',
  timeZone: 'TIME_ZONE',
  schedulerIntervalMs: 'SCHEDULER_INTERVAL_MS',
  outboxRetryForHours: 'OUTBOX_RETRY_FOR_HOURS',
  outboxRetryBaseMs: 'OUTBOX_RETRY_BASE_MS',
  outboxRetryMaxDelayMs: 'OUTBOX_RETRY_MAX_DELAY_MS',
  smtpConnectionTimeoutMs: 'SMTP_CONNECTION_TIMEOUT_MS',
  smtpGreetingTimeoutMs: 'SMTP_GREETING_TIMEOUT_MS',
  smtpSocketTimeoutMs: 'SMTP_SOCKET_TIMEOUT_MS',
  logLevel: 'LOG_LEVEL',
  reminderOverrides: 'REMINDER_OVERRIDES',
  institutionName: 'INSTITUTION_NAME',
};

/** Settings whose environment variable holds JSON rather than a plain value. */
const JSON_SETTINGS = new Set<keyof LotseConfig>(['reminderOverrides']);

/** Settings that may carry a password: an error names them but never prints their value. */
const SECRET_SETTINGS = new Set<keyof LotseConfig>(['databaseUrl', 'smtpUrl']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** How an error message names a setting: `reminderOverrides (env REMINDER_OVERRIDES)`. */
export function settingName(key: keyof LotseConfig): string {
  return `${key} (env ${ENV_NAMES[key]})`;
}

const CONFIG_DIR = dirname(fileURLToPath(import.meta.url)).replace(/[\\/]dist[\\/]config$/, '/config');

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Layers config/default.json, then the file named by LOTSE_CONFIG (if any), then environment variables and
 * explicit overrides (tests). Throws a ConfigError naming every bad setting and its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<LotseConfig> = {}): LotseConfig {
  const raw: Record<string, unknown> = { ...readJson(join(CONFIG_DIR, 'default.json')) };
  if (env.LOTSE_CONFIG) {
    if (!existsSync(env.LOTSE_CONFIG)) throw new ConfigError(`LOTSE_CONFIG names ${env.LOTSE_CONFIG}, which does not exist`);
    Object.assign(raw, readJson(env.LOTSE_CONFIG));
  }
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    if (env[name] === undefined) continue;
    if (!JSON_SETTINGS.has(key as keyof LotseConfig)) {
      raw[key] = env[name];
      continue;
    }
    try {
      raw[key] = JSON.parse(env[name]!);
    } catch (error) {
      throw new ConfigError(`${settingName(key as keyof LotseConfig)} is not valid JSON: ${(error as Error).message}`);
    }
  }
  Object.assign(raw, overrides);
  const unknown = Object.keys(raw).filter((key) => !(key in ENV_NAMES));
  if (unknown.length) throw new ConfigError(`unknown setting(s): ${unknown.join(', ')}`);
  const config = plainToInstance(LotseConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length) {
    const lines = errors.map((e) => {
      const key = e.property as keyof LotseConfig;
      const shown = SECRET_SETTINGS.has(key) ? '' : ` = ${JSON.stringify(raw[key])}`;
      return `${settingName(key)}${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
