import { afterEach, beforeEach } from '@jest/globals';
import { makeWorkspace, removeWorkspace, startApp, type StartOptions, type TestApp } from './harness.js';

/**
 * Every test of the calling `describe` gets a fresh workspace (`enter` receives it); after the test, `leave` runs
 * (to stop what the test started there) and the workspace is removed.
 */
export function eachTestInWorkspace(
  enter: (workspace: string) => unknown,
  leave?: () => Promise<unknown> | undefined,
): void {
  let workspace: string;
  beforeEach(async () => {
    workspace = makeWorkspace();
    await enter(workspace);
  });
  afterEach(async () => {
    await leave?.();
    removeWorkspace(workspace);
  });
}

/**
 * Every test of the calling `describe` runs against a freshly started app in its own workspace (`ready` receives
 * both, e.g. to keep them in the suite's variables); after the test the app is closed and the workspace removed.
 */
export function eachTestOnApp(
  options: Omit<StartOptions, 'workspace'>,
  ready: (t: TestApp, workspace: string) => unknown,
): void {
  let t: TestApp | undefined;
  eachTestInWorkspace(
    async (workspace) => {
      t = await startApp({ ...options, workspace });
      await ready(t, workspace);
    },
    () => t?.close(),
  );
}
