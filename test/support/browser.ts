/**
 * Headless Chromium for the web interface's end-to-end tests: the Debian package's /usr/bin/chromium driven by
 * playwright-core (no browser download). Every page a test looks at goes through `check`: axe-core runs in the page
 * and a serious or critical violation fails the test; a full-page screenshot goes to docs/screenshots/<name>.png.
 * Without chromium the tests skip, unless LOTSE_REQUIRE_BROWSER is set (.ci/run sets it), then they fail.
 */
import { describe, expect, jest } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { as, type TestApp } from './harness.js';

export const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.LOTSE_REQUIRE_BROWSER)
  throw new Error(`Chromium is required (LOTSE_REQUIRE_BROWSER) but ${CHROMIUM} is missing`);
if (!present)
  console.warn(`Chromium is not installed here: skipping the browser tests (apt-get install chromium to run them)`);
export const describeWithBrowser = present ? describe : describe.skip;
// A browser test walks through several pages, each checked by axe: on a busy machine that takes longer than Jest's
// usual minute.
jest.setTimeout(180_000);

const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: root ? ['--no-sandbox'] : [] });
}

/** Lets the test app listen on a free port of 127.0.0.1; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** A fresh browser context (own cookies) at the app's base URL, German, with a desktop viewport. */
export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core on the page as it is (WCAG 2.1 A and AA rules); fails on serious or critical violations. The script is
 * evaluated through the debugging protocol, so the pages' Content-Security-Policy (script-src 'self') stays as in
 * production instead of being bypassed for an inline <script>.
 */
export async function check(page: Page, name: string): Promise<void> {
  // Strings, not functions: the project compiles without the DOM's types.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations =
    (await page.evaluate(`window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')})`,
    );
  expect({ page: name, violations: grave }).toEqual({ page: name, violations: [] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/app/anmelden');
  await page.getByLabel('Benutzername').fill(username);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/anmelden'));
}

/**
 * Signs the browser context in as `role`/`id` without the sign-in page: the session cookie carries a test token
 * (see `as` in harness.ts), exactly what the sign-in page would have set.
 */
export async function signInAs(context: BrowserContext, baseURL: string, role: string, id?: string): Promise<void> {
  const token = as(role, id).Authorization.slice('Bearer '.length);
  await context.addCookies([{ name: 'lotse_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Strict' }]);
}
