/**
 * The real service with the mail-course and sample definitions and a FakeClock standing at LOTSE_NOW, as one of
 * several processes sharing one PostgreSQL database. Test code only: its clock is driven through standard input,
 * one JSON command per line, which the production entry point (src/main.ts) has no way to do:
 *   {"id": 1, "clock": "2026-03-12T07:00:00Z"}  moves this process's clock
 *   {"id": 2, "tick": true}                      one pass of the timer loop, then one of the mail loop
 * Each command is answered on standard output as `DONE <id> <report as JSON>`. The interval loops are off.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';
import { FakeClock } from '../../src/engine/clock.js';
import { TimerScheduler } from '../../src/engine/timer-scheduler.js';
import { sampleDeadlineV1 } from './sample-deadline.js';
import { courseMessages, mailCourse } from './mail-course.js';

const config = loadConfig();
const clock = new FakeClock(process.env.LOTSE_NOW!);
const app = await createApp({
  config,
  clock,
  workflows: [mailCourse, sampleDeadlineV1],
  messages: courseMessages,
  scheduler: false,
});
await app.listen(config.port, '127.0.0.1');
const scheduler = app.get(TimerScheduler);

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { id: number; clock?: string; tick?: boolean };
  const run = async () => {
    if (command.clock) clock.set(command.clock);
    return command.tick ? scheduler.tick() : {};
  };
  run().then(
    (report) => console.log(`DONE ${command.id} ${JSON.stringify(report)}`),
    (error: Error) => console.log(`DONE ${command.id} ${JSON.stringify({ error: error.message })}`),
  );
});
console.log(`READY ${(app.getHttpServer().address() as { port: number }).port}`);
