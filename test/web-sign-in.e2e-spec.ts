import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { AccountsService } from '../src/auth/accounts.service.js';
import { check, describeWithBrowser, launchBrowser, listen, newPage, signIn } from './support/browser.js';
import { makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

describeWithBrowser('the web interface: sign-in, session cookie, sign-out', () => {
  let workspace: string;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace });
    base = await listen(t);
    await t.app.get(AccountsService).create({
      username: 'msb',
      password: 'ministerium-2026!',
      role: 'ministry',
      actorId: 'msb',
      name: 'Ministerium',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    removeWorkspace(workspace);
  });

  it('sends a visitor of / to the sign-in page; a wrong password is refused in German and the user name is kept', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/app/anmelden');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await check(page, 'anmelden');

    await page.getByLabel('Benutzername').fill('msb');
    await page.getByLabel('Passwort').fill('falsch-falsch-falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Benutzername oder Passwort ist falsch.');
    expect(await page.getByLabel('Benutzername').inputValue()).toBe('msb');
    expect(await page.getByLabel('Passwort').inputValue()).toBe('');
    expect(await context.cookies()).toEqual([]);
    await check(page, 'anmelden-abgelehnt');
    await context.close();
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie that the pages take and the API does not', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/app/start');
    expect(new URL(page.url()).pathname).toBe('/app/anmelden');
    expect(new URL(page.url()).searchParams.get('weiter')).toBe('/app/start');
    await page.getByLabel('Benutzername').fill('msb');
    await page.getByLabel('Passwort').fill('ministerium-2026!');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL('**/app/start');
    expect(await page.locator('header').innerText()).toContain('msb (Ministerium)');
    await check(page, 'start-ministerium');

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'lotse_session',
      httpOnly: true,
      sameSite: 'Strict',
      secure: false,
      path: '/',
    });
    // The cookie is for the pages: the API wants the token in the Authorization header.
    const api = await context.request.get('/enrolments');
    expect(api.status()).toBe(401);
    // A form of another site cannot act with the session (CSRF): refused before anything is done.
    const forged = await context.request.post('/app/abmelden', { headers: { Origin: 'https://elsewhere.example' } });
    expect(forged.status()).toBe(403);
    expect(await context.cookies()).toHaveLength(1);
    expect((await t.anonymous.get('/app/start').set('Cookie', `lotse_session=${cookie.value}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL('**/app/anmelden?abgemeldet');
    expect(await page.getByRole('status').innerText()).toContain('Sie sind abgemeldet.');
    expect(await context.cookies()).toEqual([]);
    await page.goto('/app/start');
    expect(new URL(page.url()).pathname).toBe('/app/anmelden');
    await context.close();
  });

  it('keeps the page to come back to only within the web interface', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/app/anmelden?weiter=//evil.example/app');
    await signIn(page, 'msb', 'ministerium-2026!');
    expect(page.url()).toBe(`${base}/app/start`);
    await context.close();
  });
});
