/**
 * The contract partners' and the ministry's pages in headless Chromium: a contract administrator records a notice
 * and sees the day it takes effect, uses the notice calculator, opens the contract's state diagram and journal; the
 * ministry reads the statewide view, downloads a list and appoints a moderator tandem. Every page is checked with
 * axe (no serious or critical violation) and saved as a screenshot in docs/screenshots/.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { AccountsService } from '../src/auth/accounts.service.js';
import { INSTITUTE, QualificationWorld } from './qualification-world.js';
import { check, describeWithBrowser, launchBrowser, listen, newPage, signIn } from './support/browser.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

const LAND = {
  id: 'mk-lange',
  name: 'Petra Lange',
  email: 'petra.lange@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
} as const;
const KOMMUNE = {
  id: 'lk-okafor',
  name: 'Sam Okafor',
  email: 'sam.okafor@heidekreis.example',
  language: 'de',
  partner: 'kommune',
} as const;
const PASSWORD = 'vertrag-niedersachsen-2021!';

describeWithBrowser('the web interface: contract partners and the ministry', () => {
  let workspace: string;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let contract: { id: string; instanceId: string };
  let moderators: { id: string; name: string }[];

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2021-07-05T08:00:00Z' });
    base = await listen(t);
    const accounts = t.app.get(AccountsService);
    await accounts.create({
      username: 'lange',
      password: PASSWORD,
      role: 'contract_admin',
      actorId: LAND.id,
      name: LAND.name,
      partner: 'land',
    });
    await accounts.create({
      username: 'okafor',
      password: PASSWORD,
      role: 'contract_admin',
      actorId: KOMMUNE.id,
      name: KOMMUNE.name,
      partner: 'kommune',
    });
    await accounts.create({
      username: 'msb',
      password: PASSWORD,
      role: 'ministry',
      actorId: 'msb',
      name: 'Ministerium für Schule und Bildung',
    });
    contract = (
      await t.http
        .post('/contracts')
        .set(as('contract_admin', LAND.id, { partner: 'land' }))
        .send({
          bildungsregion: 'Bildungsregion Heidekreis',
          kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
          steeringCommittee: 'Lenkungsgruppe Heidekreis',
          regionalOffice: 'Bildungsbüro Heidekreis',
          startsOn: '2017-08-01',
          signedOn: '2017-07-10',
          reference: 'MK 31-81 403/2017',
          admins: [LAND, KOMMUNE],
        })
        .expect(201)
    ).body;
    // Recorded four years late: the review that came due on 1 August 2020 fires on the first pass.
    await t.scheduler.advanceTo('2021-07-05T08:00:00Z');
    // A qualification group, so the statewide view has something to show.
    const world = new QualificationWorld(t);
    await world.group('Gruppe Rheinland');
    await world.registered('koeln');
    moderators = [];
    for (const name of ['Rana Haddad', 'Jonas Weber']) {
      moderators.push({
        name,
        ...(await world.ok('post', '/persons', INSTITUTE, {
          name,
          email: `${name.split(' ')[0].toLowerCase()}@institut.example.org`,
        })),
      });
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
    removeWorkspace(workspace);
  });

  it('a contract notice received on 1 July 2021 shows that it takes effect on 30 June 2022; a notice to a wrong day is refused at its field', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, 'lange', PASSWORD);
    await page.getByRole('link', { name: 'Meine Verträge' }).click();
    await check(page, 'vertraege');
    await page.getByRole('link', { name: 'Bildungsregion Heidekreis' }).click();
    await page.waitForURL(`**/app/vertraege/${contract.id}`);
    // The first review was due on 1 August 2020 and is not decided: overdue on the timeline.
    const review = await page.locator('ol.timeline li', { hasText: 'Überprüfung der Kooperation' }).innerText();
    expect(review).toContain('01.08.2020');
    expect(review).toContain('überfällig');
    expect(await page.locator('dl.facts').innerText()).toContain('Überprüfung fällig');
    await check(page, 'vertrag');

    await page.getByLabel('Eingang des Schreibens').fill('2021-07-01');
    await page.getByLabel('Aktenzeichen des Schreibens').fill('MK 31-2021-07');
    await page.getByLabel('Wirksam zum (freiwillig)').fill('2021-12-31');
    await page.getByRole('button', { name: 'Kündigung eintragen' }).click();
    const field = page.locator('.field.invalid');
    expect(await field.innerText()).toContain('Die Kündigungsfrist beträgt sechs Monate');
    expect(await page.getByLabel('Wirksam zum (freiwillig)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Aktenzeichen des Schreibens').inputValue()).toBe('MK 31-2021-07');
    await check(page, 'vertrag-kuendigung-abgelehnt');
    expect((await t.http.get(`/contracts/${contract.id}`)).body.notice).toBeNull();

    await page.getByLabel('Wirksam zum (freiwillig)').fill('');
    await page.getByRole('button', { name: 'Kündigung eintragen' }).click();
    await page.waitForURL(`**/app/vertraege/${contract.id}?eingetragen`);
    expect(await page.getByRole('status').innerText()).toContain('Sie wird zum 30.06.2022 wirksam.');
    expect(await page.locator('#kuendigung').innerText()).toBe(
      'durch Land, eingegangen am 01.07.2021, wirksam zum 30.06.2022',
    );
    expect(await page.locator('ol.timeline li', { hasText: 'Kündigung wird wirksam' }).innerText()).toContain(
      '30.06.2022',
    );
    // The review is moot once notice is given: no longer on the timeline.
    expect(await page.locator('ol.timeline li', { hasText: 'Überprüfung der Kooperation' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Kündigung eintragen' }).count()).toBe(0);
    await check(page, 'vertrag-gekuendigt');
    expect((await t.http.get(`/contracts/${contract.id}`)).body.notice).toMatchObject({
      by: 'land',
      receivedOn: '2021-07-01',
      effectiveOn: '2022-06-30',
    });

    // The contract's workflow: its state diagram with the notice period marked, and the notice in its journal.
    await page.getByRole('link', { name: 'Zustandsdiagramm und Verlauf des Vertrags' }).click();
    await page.waitForURL(`**/app/vorgaenge/${contract.instanceId}`);
    expect(await page.locator('svg g.state.current').getAttribute('data-state')).toBe('active.noticePeriod');
    expect(await page.locator('svg g.state.current').textContent()).toContain('Gekündigt, Kündigungsfrist läuft');
    expect(await page.locator('ol.timeline').innerText()).toContain(
      'Kündigung: Überprüfung fällig → Gekündigt, Kündigungsfrist läuft',
    );
    expect(await page.locator('dl.facts').innerText()).toContain('01.07.2022: Vertragsende (Frist)');
    await check(page, 'vorgang-vertrag');
    await context.close();
  });

  it('the notice calculator answers both questions and refuses a day that is no 30 June or 31 December at its field', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, 'okafor', PASSWORD);
    await page.getByRole('link', { name: 'Kündigungsrechner' }).click();
    await page.getByLabel('Eine Kündigung geht ein am').fill('2021-06-30');
    await page.getByLabel('Der Vertrag soll enden zum').fill('2022-06-30');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    const answer = await page.getByRole('status').innerText();
    expect(answer).toContain(
      'Eine am 30. Juni 2021 eingegangene Kündigung wird frühestens zum 31. Dezember 2021 wirksam.',
    );
    expect(answer).toContain(
      'Für eine Kündigung zum 30. Juni 2022 muss sie spätestens am 31. Dezember 2021 schriftlich eingegangen sein.',
    );
    await check(page, 'kuendigungsrechner');

    await page.getByLabel('Eine Kündigung geht ein am').fill('');
    await page.getByLabel('Der Vertrag soll enden zum').fill('2022-05-31');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    expect(await page.locator('.field.invalid').innerText()).toContain('nur zum 30. Juni oder zum 31. Dezember');
    expect(await page.getByLabel('Der Vertrag soll enden zum').inputValue()).toBe('2022-05-31');
    await check(page, 'kuendigungsrechner-abgelehnt');
    await context.close();
  });

  it('the ministry reads both programmes statewide, downloads a list with its session, and appoints a moderator tandem', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, 'msb', PASSWORD);
    await page.getByRole('link', { name: 'Landesweite Übersicht' }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain('Bezirksregierung Köln');
    expect(main).toContain('Bildungsregion Heidekreis');
    expect(main).toContain('1 gekündigt, Kündigungsfrist läuft');
    expect(await page.getByRole('link', { name: 'PDF' }).first().getAttribute('href')).toBe(
      '/evaluation/reports/2021.pdf',
    );
    await check(page, 'ministerium-uebersicht');
    const csv = await context.request.get('/exports/deadlines.csv');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain(
      '30.06.2022;Bildungsregion Niedersachsen;Kündigung wird wirksam;Bildungsregion Heidekreis',
    );
    const report = await context.request.get('/evaluation/reports/2021.pdf');
    expect(report.headers()['content-type']).toBe('application/pdf');

    await page.getByRole('link', { name: 'Moderationstandems' }).click();
    await page
      .getByLabel('Erstes Mitglied')
      .selectOption({ label: `${moderators[0].name} (rana@institut.example.org)` });
    await page
      .getByLabel('Zweites Mitglied')
      .selectOption({ label: `${moderators[0].name} (rana@institut.example.org)` });
    await page.getByRole('button', { name: 'Berufen' }).click();
    expect(await page.locator('.field.invalid').innerText()).toContain('zwei verschiedenen');
    await check(page, 'moderationstandems-abgelehnt');
    await page
      .getByLabel('Zweites Mitglied')
      .selectOption({ label: `${moderators[1].name} (jonas@institut.example.org)` });
    await page.getByRole('button', { name: 'Berufen' }).click();
    await page.waitForURL('**/app/ministerium/moderation?berufen');
    expect(await page.locator('table').innerText()).toContain('Rana Haddad und Jonas Weber');
    await check(page, 'moderationstandems');
    await context.close();
  });
});
