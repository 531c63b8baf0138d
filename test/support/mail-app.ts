import type { LotseConfig } from '../../config/configuration.js';
import type { FakeClock } from '../../src/engine/clock.js';
import type { WorkflowDefinition } from '../../src/engine/workflow.js';
import { startApp, type TestApp } from './harness.js';
import { courseMessages, mailCourse } from './mail-course.js';

/** The real application with the mail-course definition and its templates, which no programme contains. */
export function startMailApp(options: {
  workspace: string;
  clock: FakeClock;
  config?: Partial<LotseConfig>;
  scheduler?: boolean;
  also?: WorkflowDefinition[];
}): Promise<TestApp> {
  return startApp({ ...options, workflows: [mailCourse, ...(options.also ?? [])], messages: courseMessages });
}
