import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startChildService, type ChildService } from './support/child-service.js';
import { as, TEST_SIGNING_KEY } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';

const headers = { 'content-type': 'application/json', ...as('district', 'officer-7') };

describe('the service killed with SIGKILL', () => {
  let workspace: string;
  let service: ChildService | undefined;

  eachTestInWorkspace(
    (dir) => (workspace = dir),
    () => service?.kill(),
  );

  it('loses no accepted event: state, journal and pending timers are all there after the restart', async () => {
    const env = {
      DATABASE_PATH: join(workspace, 'lotse.sqlite'),
      OUTBOX_DIR: join(workspace, 'outbox'),
      AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
    };
    service = await startChildService(env);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${service!.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(response.status).toBeLessThan(300);
      return response.json() as Promise<{ id: string }>;
    };
    const { id } = await post('/instances', {
      definition: 'sample-deadline',
      input: { title: 'Antrag', decideBy: '2099-03-20' },
    });
    await post(`/instances/${id}/events`, { type: 'SUBMIT' });
    for (let i = 0; i < 20; i++) await post(`/instances/${id}/events`, { type: 'NOTE' });
    const before = await (await fetch(`${service.url}/instances/${id}`, { headers })).json();
    await service.kill();

    service = await startChildService(env);
    const after = (await (await fetch(`${service.url}/instances/${id}`, { headers })).json()) as {
      pendingTimers: { key: string }[];
    };
    expect(after).toEqual(before);
    expect(after).toMatchObject({ state: 'submitted', context: { notes: 20 }, revision: 22 });
    expect(after.pendingTimers.map((t: { key: string }) => t.key)).toEqual(['decision-reminder', 'decision']);
    const journal = await (await fetch(`${service.url}/instances/${id}/journal`, { headers })).json();
    expect(journal).toHaveLength(22);
  });
});
