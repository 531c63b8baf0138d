import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Typed settings of one Lotse process. Files in config/ give defaults; environment variables override them. */
export class LotseConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  port!: number;

  /** SQLite file of the embedded database; ignored when databaseUrl is set. */
  @IsString() @MinLength(1)
  databasePath!: string;

  /** postgres://user:pass@host:port/db — empty means embedded SQLite. */
  @IsOptional() @Matches(/^(postgres(ql)?:\/\/.+)?$/, { message: 'databaseUrl must be empty or a postgres:// URL' })
  databaseUrl!: string;

  /** smtp:// or smtps:// URL; empty writes every message as an .eml file to outboxDir. */
  @IsOptional() @Matches(/^(smtps?:\/\/.+)?$/, { message: 'smtpUrl must be empty or an smtp:// or smtps:// URL' })
  smtpUrl!: string;

  /** `Name <address>` or a bare address; its domain also names every Message-ID. */
  @IsString() @Matches(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>\s*$/, { message: 'mailFrom must be an address (lotse@example.org) or Name <address>' })
  mailFrom!: string;

  /** Where answers to Lotse's messages go (`Reply-To`); empty sends none, so replies reach mailFrom. */
  @IsOptional() @Matches(/^$|^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>\s*$/, { message: 'mailReplyTo must be empty, an address or Name <address>' })
  mailReplyTo!: string;

  /**
   * The address at which people reach this service (scheme, host, optional path; no trailing slash needed): links
   * in messages and the verification URL printed on certificates are built from it.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\/+$/, '') : value))
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'publicBaseUrl must be an absolute http:// or https:// URL such as https://lotse.example.org' })
  publicBaseUrl!: string;

  @IsString() @MinLength(1)
  outboxDir!: string;

  @IsIn(Intl.supportedValuesOf('timeZone'), { message: 'timeZone must be an IANA time zone such as Europe/Berlin' })
  timeZone!: string;

  @Type(() => Number) @IsInt() @Min(100)
  schedulerIntervalMs!: number;

  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  outboxMaxAttempts!: number;

  @Type(() => Number) @IsInt() @Min(0)
  outboxRetryBaseMs!: number;

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
  mailReplyTo: 'MAIL_REPLY_TO',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  outboxDir: 'OUTBOX_DIR',
  timeZone: 'TIME_ZONE',
  schedulerIntervalMs: 'SCHEDULER_INTERVAL_MS',
  outboxMaxAttempts: 'OUTBOX_MAX_ATTEMPTS',
  outboxRetryBaseMs: 'OUTBOX_RETRY_BASE_MS',
  reminderOverrides: 'REMINDER_OVERRIDES',
  institutionName: 'INSTITUTION_NAME',
};

/** Settings whose environment variable holds JSON rather than a plain value. */
const JSON_SETTINGS = new Set<keyof LotseConfig>(['reminderOverrides']);

export class ConfigError extends Error {
  override name = 'ConfigError';
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
      throw new ConfigError(`${key} (env ${name}) is not valid JSON: ${(error as Error).message}`);
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
      return `${key} (env ${ENV_NAMES[key]}) = ${JSON.stringify(raw[key])}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
