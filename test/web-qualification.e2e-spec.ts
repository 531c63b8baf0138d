import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { check, describeWithBrowser, launchBrowser, listen, newPage, signInAs } from './support/browser.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

type Group = Awaited<ReturnType<QualificationWorld['group']>>;

describeWithBrowser('the web interface for the institute, a moderator and a participant', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let browser: Browser;
  let base: string;
  let group: Group;
  let other: Group;
  let complete: Enrolment;
  let missing: Enrolment;
  const pages: { context: BrowserContext; page: Page }[] = [];

  async function as_(role: string, id: string): Promise<Page> {
    const opened = await newPage(browser, base);
    await signInAs(opened.context, base, role, id);
    pages.push(opened);
    return opened.page;
  }

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace });
    base = await listen(t);
    world = new QualificationWorld(t);
    group = await world.group('Gruppe Westfalen');
    other = await world.group('Gruppe Rheinland');
    complete = await world.registered('muenster');
    missing = await world.registered('detmold');
    await world.place(complete, group.id);
    await world.place(missing, group.id);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const { context } of pages) await context.close();
    await browser?.close();
    await t.close();
    removeWorkspace(workspace);
  });

  it('lets the institute move an event of the curriculum with a reason, and refuses a move that changes nothing', async () => {
    const page = await as_('institute', 'institut');
    await page.goto('/app');
    expect(new URL(page.url()).pathname).toBe('/app/institut/gruppen');
    await check(page, 'institut-gruppen');
    await page.getByRole('link', { name: 'Gruppe Westfalen' }).click();
    await page.getByRole('link', { name: /Verschieben oder absagen\W+Datengestützte Steuerung/ }).click();
    await page.getByLabel('Grund der Änderung').fill('Tagungshaus belegt');
    await page.getByRole('button', { name: 'Änderung speichern' }).click();
    expect(await page.getByLabel('1. Tag').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toContain('dieselben Tage, dieselbe Uhrzeit und denselben Ort');
    expect(await page.getByLabel('Grund der Änderung').inputValue()).toBe('Tagungshaus belegt');
    await check(page, 'institut-termin-aendern-abgelehnt');

    await page.getByLabel('1. Tag').fill('2026-09-21');
    await page.getByLabel('2. Tag').fill('2026-09-22');
    await page.getByRole('button', { name: 'Änderung speichern' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Der Termin ist geändert');
    const stored = await world.ok('get', `/groups/${group.id}`, INSTITUTE);
    expect(stored.events[3]).toMatchObject({ days: ['2026-09-21', '2026-09-22'], changeReason: 'Tagungshaus belegt' });
  });

  it('refuses a further event past 64 hours at the hours field, keeping the input, and cancels an event with its reason', async () => {
    const page = await as_('institute', 'institut');
    await page.goto(`/app/institut/gruppen/${group.id}`);
    await page.getByRole('link', { name: 'Termin ergänzen' }).click();
    await page.getByLabel('Modul', { exact: true }).selectOption('additional');
    await page.getByLabel('Titel (bei weiteren Modulen)').fill('Abschlusskolloquium');
    await page.getByLabel('1. Tag').fill('2026-10-05');
    await page.getByLabel('Stunden').fill('8');
    await page.getByLabel('Ort').fill('Soest');
    await page.getByLabel('Grund').fill('Wunsch der Tandems');
    await page.getByRole('button', { name: 'Termin ergänzen' }).click();
    expect(await page.getByLabel('Stunden').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toContain('höchstens 64 Stunden');
    expect(await page.getByLabel('Titel (bei weiteren Modulen)').inputValue()).toBe('Abschlusskolloquium');
    expect((await world.ok('get', `/groups/${group.id}`, INSTITUTE)).events).toHaveLength(4);
    await check(page, 'institut-termin-ergaenzen-abgelehnt');

    // The further module's event of the other group is cancelled (a core module's could not be: the curriculum needs it).
    await page.goto(`/app/institut/gruppen/${other.id}/termine/${other.events[3].id}/aenderung`);
    await page.getByLabel('Grund der Absage').fill('Referentin erkrankt');
    await page.getByRole('button', { name: 'Termin absagen' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Der Termin ist abgesagt');
    expect((await world.ok('get', `/groups/${other.id}`, INSTITUTE)).events[3]).toMatchObject({
      status: 'cancelled',
      changeReason: 'Referentin erkrankt',
    });
  });

  it('lets the institute record attendance into the matrix and issue certificates; a tandem that missed a module is refused in German', async () => {
    await t.scheduler.advanceTo(new Date('2026-09-23T10:00:00Z'));
    const page = await as_('institute', 'institut');
    await page.goto(`/app/institut/gruppen/${group.id}`);
    const absent = missing.upper;
    for (const [i, event] of group.events.entries()) {
      await page.locator('a', { hasText: 'Erfassen' }).first().click();
      expect(await page.locator('h1').innerText()).toContain('Anwesenheit');
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      if (i === 2) await page.getByLabel(`${absent.name} anwesend`).uncheck();
      if (i === 0) await check(page, 'institut-anwesenheit');
      await page.getByRole('button', { name: 'Anwesenheit speichern' }).click();
      expect(await page.getByRole('status').innerText()).toContain('Die Anwesenheit ist gespeichert');
      const recorded = await world.ok('get', `/events/${event.id}/attendance`, INSTITUTE);
      expect(recorded.entries.find((e: { personId: string }) => e.personId === absent.id).present).toBe(i !== 2);
    }
    const row = page.locator('table.matrix tr', { hasText: absent.name });
    expect((await row.innerText()).match(/✓ anwesend/g)).toHaveLength(3);
    expect(await row.innerText()).toContain('✗ abwesend');

    await page.getByRole('button', { name: /Zertifikate ausstellen\W+Tandem 1/ }).click();
    expect(await page.getByRole('status').innerText()).toContain('Die Zertifikate sind ausgestellt');
    expect(await page.getByRole('link', { name: /Teilnahmebescheinigung .* \(PDF\)/ }).count()).toBe(2);
    expect(await world.ok('get', `/enrolments/${complete.enrolmentId}/certificates`, INSTITUTE)).toHaveLength(2);

    await page.getByRole('button', { name: /Zertifikate ausstellen\W+Tandem 2/ }).click();
    expect(await page.getByRole('alert').innerText()).toContain(
      'beide Mitglieder des Tandems alle Module besucht haben',
    );
    expect(await world.ok('get', `/enrolments/${missing.enrolmentId}/certificates`, INSTITUTE)).toEqual([]);
    await check(page, 'institut-gruppe');
  });

  it('lets the institute place a registered tandem in a group and plan the seats per district in the statewide overview', async () => {
    const waiting = await world.registered('koeln');
    const page = await as_('institute', 'institut');
    await page.goto('/app/institut/anmeldungen');
    await check(page, 'institut-anmeldungen');
    const row = page.locator('tr', { hasText: waiting.lower.name });
    await row.getByRole('combobox').selectOption(other.id);
    await row.getByRole('button', { name: /Zuordnen/ }).click();
    expect(await page.getByRole('status').innerText()).toContain('der Gruppe zugeordnet');
    expect(await world.ok('get', `/enrolments/${waiting.enrolmentId}`, INSTITUTE)).toMatchObject({
      state: 'placed',
      group: { id: other.id },
    });
    expect(await page.locator('tr', { hasText: waiting.lower.name }).innerText()).toContain('Gruppe Rheinland');
    await page.getByRole('link', { name: 'Landesweite Übersicht' }).click();
    const muenster = page.locator('tr', { hasText: 'Münster' });
    await muenster.getByRole('spinbutton').fill('7');
    await muenster.getByRole('button', { name: /Speichern/ }).click();
    expect(await page.getByRole('status').innerText()).toContain('Der Bedarf ist gespeichert');
    expect((await world.ok('get', '/districts', INSTITUTE)).find((d: { id: string }) => d.id === 'muenster').need).toBe(
      7,
    );
    await check(page, 'institut-uebersicht');
  });

  it('lets a moderator close a reflection phase of its own group, and not open another group', async () => {
    const page = await as_('moderator', group.moderators[0]);
    await page.goto('/app');
    expect(new URL(page.url()).pathname).toBe('/app/moderation/gruppen');
    expect(await page.locator('main').innerText()).not.toContain('Gruppe Rheinland');
    await check(page, 'moderation-gruppen');
    await page.getByRole('link', { name: 'Gruppe Westfalen' }).click();
    await page
      .getByRole('button', { name: /Abschließen/ })
      .first()
      .click();
    expect(await page.getByRole('status').innerText()).toContain('Die Reflexionsphase ist abgeschlossen');
    const phases = (await world.ok('get', `/groups/${group.id}`, INSTITUTE)).reflectionPhases;
    expect(
      phases.filter((p: { closed: boolean; closedBy: string }) => p.closed && p.closedBy === group.moderators[0]),
    ).toHaveLength(1);
    await check(page, 'moderation-gruppe');

    const refused = await page.goto(`/app/moderation/gruppen/${other.id}`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('main').innerText()).toContain('anderen Moderationstandem');
  });

  it('lets a participant download its certificate, subscribe to its calendar and answer the exchange invitation', async () => {
    await world.ok('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' });
    const holder = complete.lower;
    const page = await as_('participant', holder.id);
    await page.goto('/app');
    expect(new URL(page.url()).pathname).toBe('/app/teilnahme');
    expect(await page.locator('header').innerText()).toContain(holder.name);
    await check(page, 'teilnahme');

    const link = page.getByRole('link', { name: /Teilnahmebescheinigung vom .* \(PDF\)/ });
    const pdf = await page.context().request.get((await link.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // Another participant's session does not open it.
    const stranger = await as_('participant', missing.lower.id);
    expect((await stranger.context().request.get((await link.getAttribute('href'))!)).status()).toBe(403);

    await page.getByRole('button', { name: 'Kalender-Adresse erzeugen' }).click();
    const feed = await page.locator('.notice a').getAttribute('href');
    expect(feed).toMatch(/\/calendar\/lotse_cal_[^/]+\.ics$/);
    const calendar = await t.anonymous.get(new URL(feed!).pathname);
    expect(calendar.status).toBe(200);
    expect(calendar.text).toContain('BEGIN:VCALENDAR');

    await page.getByRole('button', { name: 'Antwort senden' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Antwort');
    await page.getByLabel('Ja, wir nehmen teil').check();
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Ihre Antwort ist gespeichert');
    expect((await world.ok('get', '/exchanges', as('institute', 'institut')))[0]).toMatchObject({
      invited: 1,
      accepted: 1,
    });
    await check(page, 'teilnahme-nach-antwort');
  });

  it('lets the institute form a group with an appointed moderator tandem and set its curriculum; a curriculum without a core module is refused at its first row', async () => {
    const page = await as_('institute', 'institut');
    await page.goto('/app/institut/gruppen');
    await page.getByRole('link', { name: 'Gruppe bilden' }).click();
    await page.getByLabel('Name der Gruppe').fill('Gruppe Lippe');
    await page.getByRole('button', { name: 'Gruppe bilden' }).click();
    expect(await page.getByLabel('Moderationstandem').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name der Gruppe').inputValue()).toBe('Gruppe Lippe');
    const moderators = page.getByLabel('Moderationstandem').locator('option', { hasText: ' und ' });
    expect(await moderators.count()).toBe(2);
    await page.getByLabel('Moderationstandem').selectOption({ index: 1 });
    await check(page, 'institut-gruppe-bilden');
    await page.getByRole('button', { name: 'Gruppe bilden' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/institut\/gruppen\/[0-9a-f-]{36}\/curriculum$/);
    const groupId = new URL(page.url()).pathname.split('/')[4];
    expect(await world.ok('get', `/groups/${groupId}`, INSTITUTE)).toMatchObject({
      name: 'Gruppe Lippe',
      capacity: 8,
      events: [],
    });

    const row = (n: number) => page.getByRole('group', { name: `Termin ${n}` });
    const plan = [
      ['2027-02-01', '2027-02-02', 'Soest'],
      ['2027-03-15', '2027-03-16', 'Soest'],
      ['2027-05-03', '2027-05-04', 'Dortmund'],
    ];
    for (const [i, [first, second, place]] of plan.entries()) {
      await row(i + 1)
        .getByLabel('1. Tag')
        .fill(first);
      await row(i + 1)
        .getByLabel('2. Tag')
        .fill(second);
      await row(i + 1)
        .getByLabel('Ort')
        .fill(place);
    }
    // A row with days needs its module.
    await row(3).getByLabel('Modul', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Curriculum festlegen' }).click();
    expect(await row(3).getByLabel('Modul', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toContain('Bitte wählen Sie das Modul dieses Termins');
    // Without the third row the curriculum lacks a core module.
    await row(3).getByLabel('1. Tag').fill('');
    await row(3).getByLabel('2. Tag').fill('');
    await page.getByRole('button', { name: 'Curriculum festlegen' }).click();
    expect(await row(1).getByLabel('Modul', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toContain('drei Kernmodule');
    expect(await row(3).getByLabel('Ort').inputValue()).toBe('Dortmund');
    expect((await world.ok('get', `/groups/${groupId}`, INSTITUTE)).events).toEqual([]);
    await check(page, 'institut-curriculum-abgelehnt');

    await row(3).getByLabel('Modul', { exact: true }).selectOption('cooperation-interfaces');
    await row(3).getByLabel('1. Tag').fill('2027-05-03');
    await row(3).getByLabel('2. Tag').fill('2027-05-04');
    await page.getByRole('button', { name: 'Curriculum festlegen' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Das Curriculum ist festgelegt');
    expect(await page.getByRole('link', { name: 'Termin ergänzen' }).count()).toBe(1);
    const stored = await world.ok('get', `/groups/${groupId}`, INSTITUTE);
    expect(
      stored.events.map((e: { module: string; days: string[]; hours: number; startTime: string }) => [
        e.module,
        e.days,
        e.hours,
        e.startTime,
      ]),
    ).toEqual([
      ['tandem-team', ['2027-02-01', '2027-02-02'], 16, '09:00'],
      ['regional-education-management', ['2027-03-15', '2027-03-16'], 16, '09:00'],
      ['cooperation-interfaces', ['2027-05-03', '2027-05-04'], 16, '09:00'],
    ]);
    // Set once: the form now points to the group's page instead.
    await page.goto(`/app/institut/gruppen/${groupId}/curriculum`);
    expect(await page.locator('main').innerText()).toContain('hat ihr Curriculum bereits');
  });
});
