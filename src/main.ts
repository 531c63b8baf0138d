import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, settingName, type LotseConfig } from '../config/configuration.js';
import { programmeWorkflows } from '../workflows/index.js';
import type { WorkflowDefinition } from './engine/workflow.js';

/** sysexits.h EX_CONFIG: the service cannot start as configured; restarting it will not help. */
const EX_CONFIG = 78;

/** Settings, then the programmes built from them (reminder overrides are checked there): a bad one exits 78. */
function configured(): { config: LotseConfig; workflows: WorkflowDefinition[] } {
  try {
    const config = loadConfig();
    try {
      return { config, workflows: programmeWorkflows(config.reminderOverrides) };
    } catch (error) {
      throw new ConfigError(`${settingName('reminderOverrides')}: ${(error as Error).message}`);
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line to standard error, no stack: what is wrong and which variable to change. Secrets are never printed.
    process.stderr.write(`Lotse cannot start: ${error.message}\n`);
    process.exit(EX_CONFIG);
  }
}

/** The passwords in DATABASE_URL and SMTP_URL, wherever a driver's message might repeat them. */
function withoutSecrets(message: string, config: LotseConfig): string {
  const passwords = [config.databaseUrl, config.smtpUrl]
    .filter(Boolean)
    .map((url) => URL.parse(url)?.password)
    .filter((p): p is string => !!p);
  passwords.push(...passwords.map(decodeURIComponent));
  return passwords.reduce((text, password) => text.replaceAll(password, '***'), message);
}

async function main(): Promise<void> {
  const { config, workflows } = configured();
  // Loaded after the settings were checked, so that a bad one is reported at once.
  const { createApp } = await import('./app.js');
  const app = await createApp({ config, workflows }).catch((error: Error) => {
    // The database could not be opened or reached, a migration failed: say so without the connection URL.
    process.stderr.write(`Lotse cannot start: ${withoutSecrets(error.message, config)}\n`);
    process.exit(1);
  });
  await app.listen(config.port, '0.0.0.0');
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.databasePath}`;
  const mail = config.smtpUrl ? 'SMTP' : `files in ${config.outboxDir}`;
  new Logger('Lotse').log(`listening on port ${config.port} (docs at /docs), database ${where}, mail to ${mail}`);
}

void main();
