import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  validateSync,
} from 'class-validator';
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

/**
 * Claim mapping of the OpenID Connect provider's access tokens. Each value is a claim name; a dotted path reaches
 * into an object (Keycloak puts realm roles in `realm_access.roles`).
 */
export class OidcClaims {
  /** A string or a list of strings; the one naming a Lotse role (after `rolePrefix`) is the caller's role. */
  @IsString()
  @MinLength(1)
  roles!: string;

  /** Prefix of Lotse's roles among the provider's, e.g. `lotse-` for `lotse-district`; empty for bare names. */
  @IsString()
  rolePrefix!: string;

  /** The user name; the actor id of the ministry, the institute, a contract administrator, and a district's clerk. */
  @IsString()
  @MinLength(1)
  username!: string;

  /** A district's code (arnsberg, detmold, duesseldorf, koeln, muenster). */
  @IsString()
  @MinLength(1)
  district!: string;

  /** The Lotse person id of a moderator or a participant. */
  @IsString()
  @MinLength(1)
  person!: string;

  /** The partner a contract administrator acts for: `land` or `kommune`. */
  @IsString()
  @MinLength(1)
  partner!: string;
}

/** Typed settings of one Lotse process. Files in config/ give defaults; environment variables override them. */
export class LotseConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  port!: number;

  /** SQLite file of the embedded database; ignored when databaseUrl is set. */
  @IsString()
  @MinLength(1)
  databasePath!: string;

  /** postgres://user:pass@host:port/db — empty means embedded SQLite. */
  @IsOptional()
  @ValidateBy({
    name: 'postgresUrl',
    validator: {
      validate: (value: unknown) => value === '' || isUrl(value, ['postgres:', 'postgresql:'], true),
      defaultMessage: () => 'databaseUrl must be empty or a postgres://user:password@host:port/database URL',
    },
  })
  databaseUrl!: string;

  /** smtp:// or smtps:// URL; empty writes every message as an .eml file to outboxDir. */
  @IsOptional()
  @ValidateBy({
    name: 'smtpUrl',
    validator: {
      validate: (value: unknown) => value === '' || isUrl(value, ['smtp:', 'smtps:']),
      defaultMessage: () => 'smtpUrl must be empty or an smtp:// or smtps:// URL with a host',
    },
  })
  smtpUrl!: string;

  /** `Name <address>` or a bare address; its domain also names every Message-ID. */
  @IsString()
  @Matches(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>\s*$/, {
    message: 'mailFrom must be an address (lotse@example.org) or Name <address>',
  })
  mailFrom!: string;

  /** Where answers to Lotse's messages go (`Reply-To`); empty sends none, so replies reach mailFrom. */
  @IsOptional()
  @Matches(/^$|^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>\s*$/, {
    message: 'mailReplyTo must be empty, an address or Name <address>',
  })
  mailReplyTo!: string;

  /**
   * The address at which people reach this service (scheme, host, optional path; no trailing slash needed): links
   * in messages and the verification URL printed on certificates are built from it.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\/+$/, '') : value))
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'publicBaseUrl must be an absolute http:// or https:// URL such as https://lotse.example.org',
  })
  publicBaseUrl!: string;

  @IsString()
  @MinLength(1)
  outboxDir!: string;

  @IsIn(Intl.supportedValuesOf('timeZone'), { message: 'timeZone must be an IANA time zone such as Europe/Berlin' })
  timeZone!: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  schedulerIntervalMs!: number;

  /** How long a message that cannot be delivered is retried before it is dead-lettered (a weekend's outage and more). */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24 * 365)
  outboxRetryForHours!: number;

  /** The first retry delay; it doubles with each failed attempt up to outboxRetryMaxDelayMs. Never 0: that would retry in a tight loop. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  outboxRetryBaseMs!: number;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  outboxRetryMaxDelayMs!: number;

  /** How long to wait for an SMTP server to accept the connection, to greet, and to answer any command. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  smtpConnectionTimeoutMs!: number;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  smtpGreetingTimeoutMs!: number;

  @Type(() => Number)
  @IsInt()
  @Min(100)
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
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        Object.values(value).every((rules) => typeof rules === 'object' && rules !== null && !Array.isArray(rules)),
      defaultMessage: () => 'reminderOverrides must map each programme to an object keyed by reminder rule',
    },
  })
  reminderOverrides!: Record<string, Record<string, unknown>>;

  /** The commissioned institution that runs the tandem qualification and signs its certificates. */
  @IsString()
  @MinLength(3)
  institutionName!: string;

  /**
   * PKCS#8 PEM of the Ed25519 key that signs Lotse's own bearer tokens (sign-in with a local account). Empty: a key is
   * generated once and kept in the database, so every process of one installation shares it.
   */
  @IsOptional()
  @Matches(/^(-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*)?$/, {
    message: 'authSigningKey must be empty or a PKCS#8 PEM private key',
  })
  authSigningKey!: string;

  /** Lifetime of a token issued by `POST /auth/token`. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  authTokenMinutes!: number;

  /** Issuer URL of the Land's OpenID Connect provider (e.g. a Keycloak realm); empty: local accounts only. */
  @IsOptional()
  @Matches(/^(https?:\/\/.+)?$/, { message: 'oidcIssuer must be empty or an http(s) URL' })
  oidcIssuer!: string;

  /** The audience Lotse's access tokens are issued for: the client id registered at the provider. */
  @IsString()
  oidcAudience!: string;

  /** Where the provider's access token carries the role and the scope; see OidcClaims. */
  @ValidateNested()
  @Type(() => OidcClaims)
  oidcClaims!: OidcClaims;

  /** Sign-in attempts per client address and minute (`POST /auth/token`). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  signInLimitPerMinute!: number;

  /** Certificate verifications per client address and minute (`GET /certificates/verify/{code}`). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  verifyLimitPerMinute!: number;

  /**
   * Whole years after a person's last enrolment ended (withdrawn or re-formed) until the retention job pseudonymises
   * the person (DSGVO Art. 17; see README, Data protection).
   */
  @Type(() => Number)
  @IsInt({ message: 'pseudonymiseAfterYears must be a whole number of years' })
  @Min(1)
  @Max(100)
  pseudonymiseAfterYears!: number;
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
  outboxRetryForHours: 'OUTBOX_RETRY_FOR_HOURS',
  outboxRetryBaseMs: 'OUTBOX_RETRY_BASE_MS',
  outboxRetryMaxDelayMs: 'OUTBOX_RETRY_MAX_DELAY_MS',
  smtpConnectionTimeoutMs: 'SMTP_CONNECTION_TIMEOUT_MS',
  smtpGreetingTimeoutMs: 'SMTP_GREETING_TIMEOUT_MS',
  smtpSocketTimeoutMs: 'SMTP_SOCKET_TIMEOUT_MS',
  logLevel: 'LOG_LEVEL',
  reminderOverrides: 'REMINDER_OVERRIDES',
  institutionName: 'INSTITUTION_NAME',
  authSigningKey: 'AUTH_SIGNING_KEY',
  authTokenMinutes: 'AUTH_TOKEN_MINUTES',
  oidcIssuer: 'OIDC_ISSUER',
  oidcAudience: 'OIDC_AUDIENCE',
  oidcClaims: 'OIDC_CLAIMS',
  signInLimitPerMinute: 'SIGN_IN_LIMIT_PER_MINUTE',
  verifyLimitPerMinute: 'VERIFY_LIMIT_PER_MINUTE',
  pseudonymiseAfterYears: 'PSEUDONYMISE_AFTER_YEARS',
};

/** Settings whose environment variable holds JSON rather than a plain value. */
const JSON_SETTINGS = new Set<keyof LotseConfig>(['reminderOverrides', 'oidcClaims']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings that are or may carry a secret: an error names them but never prints their value. */
const SECRET_SETTINGS = new Set<keyof LotseConfig>(['databaseUrl', 'smtpUrl', 'authSigningKey']);

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
    if (!existsSync(env.LOTSE_CONFIG))
      throw new ConfigError(`LOTSE_CONFIG names ${env.LOTSE_CONFIG}, which does not exist`);
    Object.assign(raw, readJson(env.LOTSE_CONFIG));
  }
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    if (env[name] === undefined) continue;
    if (!JSON_SETTINGS.has(key as keyof LotseConfig)) {
      raw[key] = env[name];
      continue;
    }
    try {
      const parsed = JSON.parse(env[name]!);
      // A claim mapping names only the claims that differ from the defaults.
      raw[key] = key === 'oidcClaims' && isObject(parsed) && isObject(raw[key]) ? { ...raw[key], ...parsed } : parsed;
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
      const problems = e.constraints
        ? Object.values(e.constraints)
        : (e.children?.flatMap((child) =>
            Object.values(child.constraints ?? {}).map((m) => `${child.property}: ${m}`),
          ) ?? []);
      return `${settingName(key)}${shown}: ${problems.join('; ')}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
