import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

/** The routes that answer without sign-in, and why. */
const PUBLIC = [
  /^\/health$/, // monitoring
  /^\/docs/, // Swagger UI and the OpenAPI document (/docs-json)
  /^\/certificates\/verify\/:code$/, // anyone holding a certificate's code may confirm it
  /^\/calendar\/:file$/, // a calendar app holding a secret feed URL
  /^\/auth\/token$/, // sign-in itself
  /^\/$/, // redirects to the web interface
  /^\/app\/(anmelden|abmelden)(\/oidc(\/rueckkehr)?)?$/, // the web interface's sign-in (local, the Land's provider) and sign-out
  /^\/app\/assets\//, // its stylesheet
];

/** The web interface's pages: without a session they send the browser to the sign-in page instead of a 401. */
const PAGE = /^\/app(\/|$)/;

interface Route {
  method: string;
  path: string;
}

/**
 * Every route registered on the HTTP server, read from Express's router: Nest's controllers and Swagger's. Nest
 * mounts middleware for all paths (the request logger) as a `{/*splat}` route that only passes requests on.
 */
function registeredRoutes(t: TestApp): Route[] {
  const router = (t.app.getHttpAdapter().getInstance() as Express).router as unknown as {
    stack: { route?: { path: string; methods: Record<string, boolean> } }[];
  };
  return router.stack.flatMap(({ route }) =>
    route && route.path !== '{/*splat}'
      ? Object.keys(route.methods)
          .filter((m) => m !== '_all')
          .map((method) => ({ method: method.toUpperCase(), path: route.path }))
      : [],
  );
}

function concrete(path: string): string {
  return path
    .replace(/:amendmentId/g, 'A1')
    .replace(/:secondmentId/g, 'S1')
    .replace(/:code/g, 'ABCD-EFGH-JKMN')
    .replace(/:file/g, 'lotse_cal_unknown.ics')
    .replace(/:\w+/g, randomUUID());
}

describe('every route needs a signed-in caller, except the public ones', () => {
  let workspace: string;
  let t: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace });
    routes = registeredRoutes(t);
  });

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  const call = (route: Route) =>
    t.anonymous[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](concrete(route.path));

  it('finds the routes of every controller on the router', () => {
    const paths = new Set(routes.map((r) => r.path));
    for (const path of [
      '/instances/:id/journal',
      '/enrolments/:id/placement',
      '/contracts/:id/notices',
      '/notifications/:id/resend',
      '/auth/api-tokens',
      '/calendar-subscriptions',
      '/docs-json',
    ]) {
      expect(paths).toContain(path);
    }
    expect(routes.length).toBeGreaterThan(60);
  });

  it('answers 401 problem+json to every non-public route without a token, and with a token it cannot verify', async () => {
    const protectedRoutes = routes.filter((r) => !PUBLIC.some((p) => p.test(r.path)) && !PAGE.test(r.path));
    expect(protectedRoutes.length).toBeGreaterThan(55);
    const failures: string[] = [];
    for (const route of protectedRoutes) {
      for (const headers of [{}, { Authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA' }]) {
        const response = await call(route).set(headers);
        if (
          response.status !== 401 ||
          !String(response.headers['content-type']).includes('application/problem+json') ||
          response.body.status !== 401
        ) {
          failures.push(`${route.method} ${route.path}: ${response.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('sends a caller of every page of the web interface without a valid session to the sign-in page', async () => {
    const pages = routes.filter((r) => !PUBLIC.some((p) => p.test(r.path)) && PAGE.test(r.path));
    expect(pages.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const route of pages) {
      for (const headers of [{}, { Cookie: 'lotse_session=eyJhbGciOiJFZERTQSJ9.e30.AAAA' }]) {
        const response = await call(route).set(headers);
        if (response.status !== 303 || !String(response.headers.location).startsWith('/app/anmelden'))
          failures.push(`${route.method} ${route.path}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers the public routes without a token', async () => {
    const publicRoutes = routes.filter((r) => PUBLIC.some((p) => p.test(r.path)));
    for (const route of publicRoutes) {
      const response = await call(route);
      expect({ route: `${route.method} ${route.path}`, status: response.status === 401 ? 401 : 'not 401' }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 'not 401',
      });
    }
    expect((await t.anonymous.get('/health')).status).toBe(200);
    expect((await t.anonymous.get('/docs-json')).status).toBe(200);
  });

  it('lets no route go without a declared permission: a signed-in ministry is never refused for a missing one', async () => {
    const undeclared: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC.some((p) => p.test(r.path)))) {
      const response = await call(route).set(as('ministry', 'msb')).send({});
      if (response.body?.rule === 'route-declares-permission' || response.status === 401)
        undeclared.push(`${route.method} ${route.path}`);
    }
    expect(undeclared).toEqual([]);
  });

  it('documents bearer sign-in in the OpenAPI document and no actor headers any more', async () => {
    const document = (await t.anonymous.get('/docs-json').expect(200)).body;
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(JSON.stringify(document).match(/X-Actor-(Id|Role)/gi)).toBeNull();
    expect(document.paths['/enrolments'].get.security).toEqual([{ bearer: [] }]);
  });
});
