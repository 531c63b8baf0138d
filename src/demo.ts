/**
 * `npm run demo`: loads a living tandem qualification into the embedded database (config default
 * data/lotse.sqlite), so that `npm start` shows the system at work: the 5 districts with their Schulämter and
 * networks, 26 tandems (24 in 3 groups, one waiting, one still in preparation), 3 groups with events over the past and the coming months, attendance, reflection phases,
 * evaluations, certificates, next year's exchange, and a moved event with its change notices; and four Lower Saxon
 * Bildungsregion contracts, one in each state of their cycle (demo-contracts.ts), played from ten months earlier.
 *
 * The year is played, not faked: a FakeClock starts ten months ago and the timer scheduler moves it to the present
 * through every due timer, so the journal, the reminders (as .eml files in data/outbox) and the states are exactly
 * what the service would have produced over that year. It stops at the present, so nothing is left to fire late.
 */
import 'reflect-metadata';
import { DateTime } from 'luxon';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/configuration.js';
import { createApp } from './app.js';
import { AccountsService, type NewAccount } from './auth/accounts.service.js';
import { FakeClock, SystemClock } from './engine/clock.js';
import { TimerScheduler } from './engine/timer-scheduler.js';
import type { Actor } from './common/actor.js';
import { ContractsService } from './contracts/contracts.service.js';
import { AlumniService } from './qualification/alumni.service.js';
import { demoContracts } from './demo-contracts.js';
import { CertificatesService } from './qualification/certificates.service.js';
import { GroupsService } from './qualification/groups.service.js';
import { RegistrationService } from './qualification/registration.service.js';

const ZONE = 'Europe/Berlin';
const INSTITUTE: Actor = { id: 'institut', role: 'institute' };
const MINISTRY: Actor = { id: 'msb', role: 'ministry' };
const district = (id: string): Actor => ({ id: `${id}/demo`, role: 'district' });

/** Kreise and kreisfreie Städte per district (a realistic spread; persons are fictitious). */
const AREAS: Record<string, { need: number; areas: string[] }> = {
  arnsberg: { need: 5, areas: ['Dortmund', 'Bochum', 'Hagen', 'Kreis Soest', 'Hochsauerlandkreis'] },
  detmold: { need: 4, areas: ['Bielefeld', 'Kreis Paderborn', 'Kreis Gütersloh', 'Kreis Minden-Lübbecke'] },
  duesseldorf: { need: 6, areas: ['Düsseldorf', 'Essen', 'Duisburg', 'Wuppertal', 'Krefeld', 'Mönchengladbach'] },
  koeln: { need: 5, areas: ['Köln', 'Bonn', 'StädteRegion Aachen', 'Rhein-Sieg-Kreis', 'Leverkusen'] },
  muenster: {
    need: 5,
    areas: ['Münster', 'Gelsenkirchen', 'Kreis Recklinghausen', 'Kreis Borken', 'Kreis Steinfurt', 'Kreis Coesfeld'],
  },
};
const FIRST = [
  'Anna',
  'Bernd',
  'Claudia',
  'Dirk',
  'Elif',
  'Frank',
  'Gül',
  'Heike',
  'Ingo',
  'Jana',
  'Kai',
  'Lea',
  'Murat',
  'Nina',
  'Olaf',
  'Petra',
  'Rainer',
  'Sabine',
  'Tobias',
  'Ute',
  'Volker',
  'Wiebke',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Albers',
  'Brinkmann',
  'Celik',
  'Dreier',
  'Engel',
  'Fuchs',
  'Grote',
  'Hagedorn',
  'Iseke',
  'Jansen',
  'Kemper',
  'Lohmann',
  'Meier',
  'Nowak',
  'Overbeck',
  'Pohl',
  'Quast',
  'Richter',
  'Schulte',
  'Tenbrink',
  'Uhlig',
  'Vogt',
  'Wessels',
  'Yilmaz',
];

/** The Monday `weeks` weeks from `from`. */
function monday(from: DateTime, weeks: number): DateTime {
  return from.plus({ weeks }).startOf('week');
}

function curriculum(start: DateTime, places: string[]) {
  const modules = [
    { module: 'tandem-team' },
    { module: 'regional-education-management' },
    { module: 'cooperation-interfaces' },
    {
      module: 'data-informed-steering',
      title: 'Datengestützte Steuerung im Bildungsnetzwerk',
      titleEn: 'Data-informed steering in the education network',
    },
  ];
  return modules.map((titled, i) => {
    const first = monday(start, i * 7);
    return {
      ...titled,
      days: [first.toISODate()!, first.plus({ days: 1 }).toISODate()!],
      hours: 16,
      place: places[i % places.length],
      startTime: '09:00',
    };
  });
}

async function main(): Promise<void> {
  process.env.LOTSE_QUIET ??= '1';
  const config = loadConfig();
  const present = new SystemClock().now();
  if (existsSync(config.databasePath)) {
    const probe = new DataSource({ type: 'better-sqlite3', database: config.databasePath });
    await probe.initialize();
    const tables: unknown[] = await probe.query(`SELECT name FROM sqlite_master WHERE name = 'qual_groups'`);
    const loaded = tables.length
      ? Number((await probe.query('SELECT COUNT(*) AS n FROM qual_groups'))[0].n) > 0
      : false;
    await probe.destroy();
    if (loaded) {
      console.log(
        `The demo is already loaded in ${config.databasePath}. Delete that file (and ${config.outboxDir}) to load it again.`,
      );
      return;
    }
  }
  const begin = DateTime.fromJSDate(present, { zone: ZONE }).minus({ months: 10 }).startOf('week').set({ hour: 9 });
  // The contracts' story starts ten months before the qualification's.
  const contractsFrom = begin.minus({ months: 10 });
  const clock = new FakeClock(contractsFrom.toJSDate());
  const app = await createApp({ config, clock, scheduler: false });
  await app.init();
  const registration = app.get(RegistrationService);
  const groups = app.get(GroupsService);
  const certificates = app.get(CertificatesService);
  const alumni = app.get(AlumniService);
  const scheduler = app.get(TimerScheduler);
  const at = (when: DateTime) => scheduler.advanceTo(when.toJSDate());
  const nowBerlin = DateTime.fromJSDate(present, { zone: ZONE });
  const contractSteps = (await demoContracts(app, contractsFrom, nowBerlin)).sort(
    (a, b) => a.when.toMillis() - b.when.toMillis(),
  );
  for (const step of contractSteps.filter((s) => s.when < begin)) {
    await at(step.when);
    await step.run();
  }
  await at(begin);

  // The directory of each district, and one tandem per network.
  let n = 0;
  const person = () => {
    const first = FIRST[n % FIRST.length];
    const last = LAST[(n * 7) % LAST.length];
    n++;
    return {
      name: `${first} ${last}`,
      email: `${first}.${last}.${n}@schulaufsicht.example`.toLowerCase().replace(/ü/g, 'ue'),
    };
  };
  const enrolments: string[] = [];
  for (const [districtId, { need, areas }] of Object.entries(AREAS)) {
    await registration.setNeed(INSTITUTE, districtId, need);
    for (const area of areas) {
      const actor = district(districtId);
      const office = await registration.createSchoolOffice(actor, { name: `Schulamt ${area}`, districtId });
      const network = await registration.createNetwork(actor, {
        name: `Regionales Bildungsnetzwerk ${area}`,
        districtId,
      });
      const lower = await registration.createPerson(actor, {
        ...person(),
        supervision: 'lower',
        districtId,
        schoolOfficeId: office.id,
      });
      const upper = await registration.createPerson(actor, {
        ...person(),
        supervision: 'upper',
        districtId,
        language: n % 9 === 0 ? 'en' : 'de',
      });
      const tandem = await registration.createTandem(actor, {
        networkId: network.id,
        lowerMemberId: lower.id,
        upperMemberId: upper.id,
      });
      const enrolment = await registration.register(actor, tandem.id);
      if (enrolments.length === 25) {
        // The last one is still being prepared: the staff council has been involved, the equality officer not yet.
        await registration.recordInvolvement(actor, enrolment.id, {
          body: 'staff-council',
          on: begin.toISODate()!,
          outcome: 'consent',
        });
        continue;
      }
      await registration.recordInvolvement(actor, enrolment.id, {
        body: 'staff-council',
        on: begin.toISODate()!,
        outcome: 'consent',
      });
      await registration.recordInvolvement(actor, enrolment.id, {
        body: 'equal-opportunities',
        on: begin.toISODate()!,
      });
      await registration.submit(actor, enrolment.id);
      enrolments.push(enrolment.id);
    }
  }

  // Three groups: one finished, one halfway, one about to begin.
  const moderatorGroups: { id: string; moderator: Actor }[] = [];
  for (const [i, [name, start, places]] of (
    [
      ['Gruppe Rhein-Ruhr', monday(begin, 2), ['Soest', 'Dortmund']],
      ['Gruppe Westfalen', monday(begin, 26), ['Münster', 'Bielefeld']],
      ['Gruppe Rheinland', monday(DateTime.fromJSDate(present, { zone: ZONE }), 5), ['Köln', 'Düsseldorf']],
    ] as const
  ).entries()) {
    const first = await registration.createPerson(INSTITUTE, {
      name: `Moderation ${FIRST[i * 2 + 3]} ${LAST[i + 11]}`,
      email: `moderation${i * 2 + 1}@institut.example`,
    });
    const second = await registration.createPerson(INSTITUTE, {
      name: `Moderation ${FIRST[i * 2 + 4]} ${LAST[i + 15]}`,
      email: `moderation${i * 2 + 2}@institut.example`,
    });
    const moderatorTandem = await groups.createModeratorTandem(MINISTRY, {
      firstMemberId: first.id,
      secondMemberId: second.id,
    });
    const group = await groups.createGroup(INSTITUTE, { name, moderatorTandemId: moderatorTandem.id });
    await groups.setCurriculum(INSTITUTE, group.id, { events: curriculum(start, [...places]) });
    moderatorGroups.push({ id: group.id, moderator: { id: first.id, role: 'moderator' } as Actor });
  }
  // 8 tandems per group; the 25th waits for a seat in the third group.
  for (const [i, enrolmentId] of enrolments.entries()) {
    await registration.place(INSTITUTE, enrolmentId, moderatorGroups[Math.min(2, Math.floor(i / 8))].id);
  }
  const views = await Promise.all(
    moderatorGroups.map(async (g) => ({ ...(await groups.getGroup(INSTITUTE, g.id)), moderator: g.moderator })),
  );

  // Play the year: attendance on each event's last afternoon, reflection phases closed on their due day, some
  // evaluations. In the first group one upper member misses the third module and makes it up in the second group.
  const events = views.flatMap((g) => g.events.map((e) => ({ ...e, group: g })));
  const absentee = views[0].tandems[2];
  const endOf = (days: string[]) => DateTime.fromISO(days[days.length - 1], { zone: ZONE });
  let issued = 0;
  const issue = async (enrolmentId: string) => {
    issued += (await certificates.issue(INSTITUTE, enrolmentId)).length;
  };
  const steps = [
    ...events.map((e) => ({
      when: endOf(e.days).set({ hour: 15, minute: 30 }),
      run: async () => {
        const members = e.group.tandems.flatMap((x) => x.members.map((m) => m.id));
        const missing = e.group === views[0] && e.module === 'cooperation-interfaces' ? absentee.members[1].id : null;
        const makeUp =
          e.group === views[1] && e.module === 'cooperation-interfaces' ? absentee.members.map((m) => m.id) : [];
        await groups.recordAttendance(e.group.moderator, e.id, {
          entries: [
            ...members.map((personId) => ({ personId, present: personId !== missing })),
            ...makeUp.map((personId) => ({ personId, present: true })),
          ],
        });
        for (const [k, personId] of members
          .filter((m) => m !== missing)
          .slice(0, 6)
          .entries()) {
          await groups.evaluate({ id: personId, role: 'participant' }, e.id, {
            rating: 3 + (k % 3),
            comment: k % 2 ? 'Guter Praxisbezug; mehr Zeit für den Austausch im Tandem wäre schön.' : undefined,
          });
        }
        if (makeUp.length) await issue(absentee.enrolmentId);
      },
    })),
    ...views.flatMap((g) =>
      g.reflectionPhases.map((p) => ({
        when: DateTime.fromISO(`${p.dueOn}T16:00`, { zone: ZONE }),
        run: () => groups.closeReflectionPhase(g.moderator, p.id).then(() => undefined),
      })),
    ),
    // A week after a group's last event the institute issues the certificates of every tandem that attended all.
    ...views.map((g) => ({
      when: endOf(g.events[g.events.length - 1].days)
        .plus({ days: 7 })
        .set({ hour: 10 }),
      run: async () => {
        for (const tandem of g.tandems.filter((x) => x !== absentee)) await issue(tandem.enrolmentId);
      },
    })),
    ...contractSteps.filter((s) => s.when >= begin),
  ]
    .filter((step) => step.when < nowBerlin)
    .sort((a, b) => a.when.toMillis() - b.when.toMillis());
  for (const step of steps) {
    await at(step.when);
    await step.run();
  }

  const exchangeOn = nowBerlin.plus({ months: 6 }).set({ weekday: 4 });
  if (issued) await alumni.schedule(INSTITUTE, { on: exchangeOn.toISODate()!, place: 'Düsseldorf' });
  // The group about to begin has its third module moved by a week: its tandems and moderators are told why.
  const moved = views[2].events[2];
  await groups.changeEvent(INSTITUTE, moved.id, {
    days: moved.days.map((d) => DateTime.fromISO(d).plus({ weeks: 1 }).toISODate()!),
    reason: 'Das Tagungshaus ist in der ursprünglichen Woche belegt.',
  });
  await scheduler.advanceTo(present);

  // One local account per role (two contract administrators: one per partner), each with a fresh password.
  const participant = views[1].tandems[0].members[0];
  const accounts: Omit<NewAccount, 'password'>[] = [
    { username: 'msb', role: 'ministry', actorId: MINISTRY.id, name: 'Ministerium für Schule und Bildung' },
    { username: 'institut', role: 'institute', actorId: INSTITUTE.id, name: 'Beauftragte Institution' },
    { username: 'koeln', role: 'district', actorId: district('koeln').id, name: 'Bezirksregierung Köln' },
    {
      username: 'moderation',
      role: 'moderator',
      actorId: moderatorGroups[1].moderator.id,
      name: 'Moderation Gruppe Westfalen',
    },
    { username: 'teilnahme', role: 'participant', actorId: participant.id, name: participant.name },
    {
      username: 'mk-vertrag',
      role: 'contract_admin',
      actorId: 'mk-vertrag',
      partner: 'land',
      name: 'Kultusministerium Niedersachsen',
    },
    {
      username: 'lk-vertrag',
      role: 'contract_admin',
      actorId: 'lk-vertrag',
      partner: 'kommune',
      name: 'Landkreis (Kommune)',
    },
  ];
  const passwords = new Map<string, string>();
  for (const account of accounts) {
    const password = randomBytes(12).toString('base64url');
    await app.get(AccountsService).create({ ...account, password });
    passwords.set(account.username, password);
  }

  const overview = await groups.overview(INSTITUTE);
  const contracts = await app.get(ContractsService).list(MINISTRY);
  const outbox: { n: number }[] = await app
    .get(DataSource)
    .query(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'mail'`);
  await app.close();
  console.log(
    `Demo loaded into ${config.databasePath}, played from ${contractsFrom.toISODate()} to ${nowBerlin.toISODate()}:`,
  );
  for (const d of overview.districts)
    console.log(
      `  ${d.name}: need ${d.need}, ${d.allocatedSeats} of ${overview.totalSeats} seats, tandems ${JSON.stringify(d.byStatus)}`,
    );
  console.log(
    `  ${moderatorGroups.length} groups, ${events.length} events, ${issued} certificates, ${outbox[0].n} mails (as .eml in ${config.outboxDir})`,
  );
  for (const c of contracts)
    console.log(
      `  ${c.bildungsregion}: ${c.status}${c.notice ? `, notice effective ${c.notice.effectiveOn}` : ''}${c.nextDue ? `, next due ${c.nextDue.on} (${c.nextDue.kind})` : ''}`,
    );
  console.log(
    'Start the service with `npm start` and open http://localhost:3000/app (the web interface; the API at /docs). Sign in with one account per role',
  );
  console.log('(the passwords are shown only now; the accounts are in the database):');
  for (const account of accounts)
    console.log(
      `  ${account.role.padEnd(15)} ${account.username.padEnd(11)} ${passwords.get(account.username)}  (actor ${account.actorId})`,
    );
  console.log("For example, the institute's statewide overview:");
  console.log(`  TOKEN=$(curl -s -X POST http://localhost:3000/auth/token -H 'Content-Type: application/json' \\`);
  console.log(
    `    -d '{"username":"institut","password":"${passwords.get('institut')}"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
  );
  console.log('  curl -s http://localhost:3000/overview -H "Authorization: Bearer $TOKEN"');
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
