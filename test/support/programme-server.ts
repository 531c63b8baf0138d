/**
 * The real service with Lotse's programmes (as `npm start` runs it), as a separate process: for tests that run two
 * service processes on one PostgreSQL database. Compiled by `npm run build`.
 */
import 'reflect-metadata';
import { loadConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';

const config = loadConfig();
const app = await createApp({ config });
await app.listen(config.port, '127.0.0.1');
console.log(`READY ${(app.getHttpServer().address() as { port: number }).port}`);
