/**
 * The real service with the programmes and the engine's sample definition, as a separate process, for tests that
 * kill it with SIGKILL. Compiled by `npm run build` (test/support is part of the build for this reason).
 */
import 'reflect-metadata';
import { loadConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';
import { programmeWorkflows } from '../../workflows/index.js';
import { sampleDeadlineV1, sampleDeadlineV2 } from './sample-deadline.js';

const config = loadConfig();
const app = await createApp({
  config,
  workflows: [...programmeWorkflows(config.reminderOverrides), sampleDeadlineV1, sampleDeadlineV2],
});
await app.listen(config.port, '127.0.0.1');
console.log(`READY ${(app.getHttpServer().address() as { port: number }).port}`);
