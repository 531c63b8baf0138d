import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { FakeClock } from '../src/engine/clock.js';
import { check, describeWithBrowser, launchBrowser, listen, newPage } from './support/browser.js';
import { makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider.js';

const PEOPLE = {
  'koeln-schmidt': {
    preferred_username: 'm.schmidt',
    realm_access: { roles: ['default-roles-nrw', 'lotse-district'] },
    district: 'koeln',
  },
  'no-lotse-role': { preferred_username: 'gast', realm_access: { roles: ['default-roles-nrw'] } },
};

describeWithBrowser(
  "the web interface's sign-in with the Land's identity provider (authorization code with PKCE)",
  () => {
    let workspace: string;
    let idp: TestIdentityProvider;
    let t: TestApp;
    let browser: Browser;
    let base: string;

    beforeAll(async () => {
      workspace = makeWorkspace();
      idp = await startIdentityProvider('nrw', PEOPLE, 'lotse', { clientId: 'lotse' });
      // The provider stamps tokens with the real time; Lotse checks them against its clock, starting now.
      t = await startApp({
        workspace,
        clock: new FakeClock(new Date()),
        config: {
          oidcIssuer: idp.issuer,
          oidcAudience: 'lotse',
          oidcClaims: {
            roles: 'realm_access.roles',
            rolePrefix: 'lotse-',
            username: 'preferred_username',
            district: 'district',
            person: 'person_id',
            partner: 'partner',
          },
        },
      });
      base = await listen(t);
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await t.close();
      await idp.stop();
      removeWorkspace(workspace);
    });

    async function signInAtProvider(page: Page, login: string): Promise<void> {
      await page.goto('/app/bezirk/tandems');
      await check(page, 'anmelden-landeskonto');
      await page.getByRole('link', { name: 'Mit dem Landeskonto anmelden' }).click();
      expect(page.url().startsWith(idp.issuer)).toBe(true);
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('irrelevant');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
    }

    it('signs a district clerk in and brings it back to the page it asked for', async () => {
      const { context, page } = await newPage(browser, base);
      await signInAtProvider(page, 'koeln-schmidt');
      await page.waitForURL('**/app/bezirk/tandems');
      expect(await page.locator('header').innerText()).toContain('Bezirksregierung Köln (m.schmidt)');
      const session = (await context.cookies()).find((c) => c.name === 'lotse_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      expect((await context.cookies()).find((c) => c.name === 'lotse_oidc')).toBeUndefined();
      await context.close();
    });

    it('refuses a person without a Lotse role, in German, without a session', async () => {
      const { context, page } = await newPage(browser, base);
      await signInAtProvider(page, 'no-lotse-role');
      await page.waitForURL('**/app/anmelden/oidc/rueckkehr**');
      expect(await page.getByRole('alert').innerText()).toContain('keine (oder mehr als eine) Lotse-Rolle');
      expect((await context.cookies()).find((c) => c.name === 'lotse_session')).toBeUndefined();
      await context.close();
    });

    it('refuses a return from the provider that this browser did not start', async () => {
      const { context, page } = await newPage(browser, base);
      const answer = await page.goto('/app/anmelden/oidc/rueckkehr?code=forged&state=forged');
      expect(answer?.status()).toBe(400);
      expect(await page.getByRole('alert').innerText()).toContain('abgebrochen oder ist abgelaufen');
      expect(await context.cookies()).toEqual([]);
      await context.close();
    });
  },
);
