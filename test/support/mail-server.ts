/**
 * The real service with the mail-course definition and a FakeClock standing at LOTSE_NOW, as a separate process,
 * for the test that kills it with SIGKILL while it dispatches mail. Its interval scheduler ticks once at start-up,
 * which fires every timer due by LOTSE_NOW. Compiled by `npm run build`.
 */
import 'reflect-metadata';
import { loadConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';
import { FakeClock } from '../../src/engine/clock.js';
import { courseMessages, mailCourse } from './mail-course.js';

const config = loadConfig();
const app = await createApp({
  config,
  clock: new FakeClock(process.env.LOTSE_NOW!),
  workflows: [mailCourse],
  messages: courseMessages,
});
await app.listen(config.port, '127.0.0.1');
console.log(`READY ${(app.getHttpServer().address() as { port: number }).port}`);
