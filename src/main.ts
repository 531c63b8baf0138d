import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../config/configuration.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Lotse cannot start: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp({ config });
  await app.listen(config.port, '0.0.0.0');
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.databasePath}`;
  const mail = config.smtpUrl ? 'SMTP' : `files in ${config.outboxDir}`;
  new Logger('Lotse').log(`listening on http://localhost:${config.port} (docs at /docs), database ${where}, mail to ${mail}`);
}

void main();
