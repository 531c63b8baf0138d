import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { check, describeWithBrowser, launchBrowser, listen, newPage, signInAs } from './support/browser.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Person } from './qualification-world.js';

describeWithBrowser('the web interface for a district', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let browser: Browser;
  let base: string;
  let page: Page;
  let lower: Person;
  let upper: Person;
  let otherUpper: Person;
  let networkId: string;
  let network: string;

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace });
    base = await listen(t);
    world = new QualificationWorld(t);
    // A group of one seat: the first registered tandem sits in it, the second waits in first place.
    const group = await world.group('Gruppe Rheinland', undefined, 1);
    await world.place(await world.registered('koeln'), group.id);
    await world.place(await world.registered('koeln'), group.id);
    networkId = await world.network('koeln');
    lower = await world.person('koeln', 'lower');
    upper = await world.person('koeln', 'upper');
    otherUpper = await world.person('koeln', 'upper');
    browser = await launchBrowser();
    const opened = await newPage(browser, base);
    await signInAs(opened.context, base, 'district', 'koeln/m.schmidt');
    page = opened.page;
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    removeWorkspace(workspace);
  });

  it("lists the district's tandems with status and waiting-list position", async () => {
    await page.goto('/app');
    expect(new URL(page.url()).pathname).toBe('/app/bezirk/tandems');
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts.some((row) => row.includes('Platz in einer Gruppe') && row.includes('Gruppe Rheinland'))).toBe(true);
    expect(texts.some((row) => /Warteliste\s+1\s+Gruppe Rheinland/.test(row))).toBe(true);
    await check(page, 'bezirk-tandems');
  });

  it('forms a tandem and registers it: staff council, equal-opportunities officer, submission to the institute', async () => {
    await page.getByRole('link', { name: 'Tandem bilden und anmelden' }).first().click();
    await check(page, 'bezirk-tandem-bilden');
    network = await page.locator(`select[name="networkId"] option[value="${networkId}"]`).innerText();
    await page.getByLabel('Regionales Bildungsnetzwerk').selectOption(networkId);
    await page.getByLabel('Mitglied der unteren Schulaufsicht').selectOption(lower.id);
    await page.getByLabel('Mitglied der oberen Schulaufsicht').selectOption(upper.id);
    await page.getByRole('button', { name: 'Tandem bilden' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Das Tandem ist gebildet');
    await page
      .locator('tr', { hasText: network })
      .getByRole('button', { name: /Zur Qualifizierung anmelden/ })
      .click();
    expect(await page.locator('h1').innerText()).toBe(`Anmeldung: ${network}`);
    const enrolmentId = new URL(page.url()).pathname.split('/').pop()!;

    // Submitting before both involvements are recorded is refused, in German, and changes nothing.
    await page.getByRole('button', { name: 'Anmeldung weiterleiten' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Personalrat');
    expect((await world.ok('get', `/enrolments/${enrolmentId}`, INSTITUTE)).status).toBe('nominated');

    await page.getByLabel('Tag der Entscheidung').fill('2025-12-18');
    await page.getByLabel('Zustimmung', { exact: true }).check();
    await page.getByRole('button', { name: 'Beteiligung des Personalrats eintragen' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Personalrats ist eingetragen');
    await page.getByLabel('Tag der Beteiligung').fill('2026-01-02');
    await page.getByRole('button', { name: 'Beteiligung der Gleichstellungsbeauftragten eintragen' }).click();
    await check(page, 'bezirk-anmeldung');
    await page.getByRole('button', { name: 'Anmeldung weiterleiten' }).click();
    expect(await page.getByRole('status').innerText()).toContain('weitergeleitet');

    const stored = await world.ok('get', `/enrolments/${enrolmentId}`, INSTITUTE);
    expect(stored).toMatchObject({
      status: 'registered',
      districtId: 'koeln',
      involvements: { staffCouncil: { on: '2025-12-18', outcome: 'consent' }, equalOpportunities: '2026-01-02' },
    });
    expect(stored.members.map((m: { id: string }) => m.id).sort()).toEqual([lower.id, upper.id].sort());
    await page.getByRole('link', { name: 'Zurück zu den Tandems' }).click();
    expect(await page.locator('tr', { hasText: network }).innerText()).toContain('Angemeldet, wartet auf Platz');
  });

  it("refuses a member change that breaks the tandem's composition next to the field, keeping what was typed", async () => {
    await page.getByRole('link', { name: network, exact: true }).click();
    const tandemsBefore = await world.count('qual_tandems');
    await page.getByLabel('Ausscheidendes Mitglied').selectOption(lower.id);
    await page.getByLabel('Neues Mitglied').selectOption(otherUpper.id);
    await page
      .getByLabel('Ausnahmegrund (optional)')
      .fill('Wechsel innerhalb der Schulaufsicht, Qualifizierung fortsetzen');
    await page.getByRole('button', { name: 'Wechsel eintragen' }).click();

    const joining = page.getByLabel('Neues Mitglied');
    expect(await joining.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator(`#${(await joining.getAttribute('aria-describedby'))!.split(' ').pop()}`);
    expect(await message.innerText()).toContain(
      'einer aus der unteren Schulaufsicht (Schulamt) und einer aus der oberen Schulaufsicht',
    );
    expect(await page.getByRole('alert').innerText()).toContain(
      'Neues Mitglied: Ein Tandem besteht aus genau zwei Personen',
    );
    expect(await joining.inputValue()).toBe(otherUpper.id);
    expect(await page.getByLabel('Ausscheidendes Mitglied').inputValue()).toBe(lower.id);
    expect(await page.getByLabel('Ausnahmegrund (optional)').inputValue()).toBe(
      'Wechsel innerhalb der Schulaufsicht, Qualifizierung fortsetzen',
    );
    expect(await world.count('qual_tandems')).toBe(tandemsBefore);
    await check(page, 'bezirk-mitgliederwechsel-abgelehnt');
  });

  it('does a double-submitted form once, and refuses a form of another site', async () => {
    const tandem = await world.tandem('koeln');
    const cookie = `lotse_session=${as('district', 'koeln/m.schmidt').Authorization.slice(7)}`;
    const post = (origin: string) =>
      t.anonymous
        .post(`/app/bezirk/tandems/${tandem.id}/anmeldung`)
        .set('Cookie', cookie)
        .set('Origin', origin)
        .type('form')
        .send({ idempotencyKey: '0f8f5a4e-1111-4c1e-9a7d-2e4b8c6d0f11' });
    const first = await post(base);
    const second = await post(base);
    expect(first.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(
      (await world.ok('get', '/enrolments', as('district', 'koeln'))).filter(
        (e: { tandemId: string }) => e.tandemId === tandem.id,
      ),
    ).toHaveLength(1);
    const other = await world.tandem('koeln');
    const forged = await t.anonymous
      .post(`/app/bezirk/tandems/${other.id}/anmeldung`)
      .set('Cookie', cookie)
      .set('Origin', 'https://elsewhere.example')
      .type('form')
      .send({});
    expect(forged.status).toBe(403);
    expect(
      (await world.ok('get', '/enrolments', as('district', 'koeln'))).filter(
        (e: { tandemId: string }) => e.tandemId === other.id,
      ),
    ).toHaveLength(0);
  });
});
