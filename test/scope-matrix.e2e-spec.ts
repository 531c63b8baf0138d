/**
 * Who may read and write what: every role against every resource (read and write), then every object-level scope,
 * including each leak issue 14 found. A refusal is 403 (or 404) problem+json and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const LAND_1 = {
  id: 'mk-lange',
  name: 'Petra Lange',
  email: 'petra.lange@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
} as const;
const KOMMUNE_1 = {
  id: 'lk-heide',
  name: 'Sam Okafor',
  email: 'sam.okafor@heidekreis.example',
  language: 'de',
  partner: 'kommune',
} as const;
const LAND_2 = {
  id: 'mk-brandt',
  name: 'Jonas Brandt',
  email: 'jonas.brandt@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
} as const;
const KOMMUNE_2 = {
  id: 'lk-celle',
  name: 'Ines Wolter',
  email: 'ines.wolter@celle.example',
  language: 'de',
  partner: 'kommune',
} as const;
const admin = (a: { id: string; partner: 'land' | 'kommune' }) => as('contract_admin', a.id, { partner: a.partner });

const contract = (name: string, admins: object[]) => ({
  bildungsregion: `Bildungsregion ${name}`,
  kommune: { name: `Landkreis ${name}`, kind: 'landkreis' },
  steeringCommittee: `Lenkungsgruppe ${name}`,
  regionalOffice: `Bildungsbüro ${name}`,
  startsOn: '2025-03-01',
  signedOn: '2025-02-10',
  reference: `MK 31-${name}`,
  admins,
});

/** Every table a refused write could touch. */
const TABLES = [
  'workflow_instances',
  'journal',
  'timers',
  'outbox',
  'qual_school_offices',
  'qual_networks',
  'qual_persons',
  'qual_tandems',
  'qual_moderator_tandems',
  'qual_groups',
  'qual_events',
  'qual_reflection_phases',
  'qual_attendance',
  'qual_group_places',
  'qual_evaluations',
  'qual_enrolments',
  'qual_certificates',
  'qual_exchanges',
  'qual_exchange_invitations',
  'contracts',
  'contract_admins',
  'contract_written_acts',
  'auth_api_tokens',
  'calendar_subscriptions',
  'eval_meetings',
  'eval_exchange_evaluations',
  'master_data_corrections',
  'pseudonymised_persons',
  'audit_log',
];

describe('scope matrix: every role against every resource', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let koeln: Enrolment;
  let muenster: Enrolment;
  let g1: Awaited<ReturnType<QualificationWorld['group']>>;
  let g2: Awaited<ReturnType<QualificationWorld['group']>>;
  let c1: { id: string; instanceId: string };
  let c2: { id: string; instanceId: string };
  let exchangeId: string;
  let roles: Record<string, Record<string, string>>;
  let koelnOffice: string;

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
    world = new QualificationWorld(t);
    g1 = await world.group('Gruppe Rheinland');
    g2 = await world.group('Gruppe Westfalen');
    koeln = await world.registered('koeln');
    muenster = await world.registered('muenster');
    await world.place(koeln, g1.id);
    await world.place(muenster, g2.id);
    koelnOffice = (await t.http.get(`/persons/${koeln.lower.id}`).expect(200)).body.schoolOfficeId;
    // Each Kommune's administrator has signed in, so the Land's may name them.
    for (const a of [KOMMUNE_1, KOMMUNE_2]) await t.http.get('/auth/me').set(admin(a)).expect(200);
    c1 = (
      await t.http
        .post('/contracts')
        .set(admin(LAND_1))
        .send(contract('Heidekreis', [LAND_1, KOMMUNE_1]))
        .expect(201)
    ).body;
    c2 = (
      await t.http
        .post('/contracts')
        .set(admin(LAND_2))
        .send(contract('Celle', [LAND_2, KOMMUNE_2]))
        .expect(201)
    ).body;
    exchangeId = (
      await t.http.post('/exchanges').set(INSTITUTE).send({ on: '2026-11-26', place: 'Düsseldorf' }).expect(201)
    ).body.id;
    // Into February: event and annual-report reminders of both programmes are in the outbox.
    await t.scheduler.advanceTo(new Date('2026-02-20T09:00:00Z'));
    roles = {
      ministry: as('ministry', 'msb'),
      district: as('district', 'koeln/m.schmidt'),
      institute: INSTITUTE,
      moderator: as('moderator', g1.moderators[0]),
      participant: as('participant', koeln.lower.id),
      contract_admin: admin(LAND_1),
    };
  });

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  async function stored(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES)
      counts[table] = Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return counts;
  }

  type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
  const send = (method: Method, path: string, headers: Record<string, string>, body?: object) => {
    const request = t.anonymous[method](path).set(headers);
    return body ? request.send(body) : request;
  };

  /** Expects a refusal (403 or 404, problem+json) that wrote nothing. */
  async function refused(method: Method, path: string, headers: Record<string, string>, body?: object, rule?: string) {
    const before = await stored();
    const response = await send(method, path, headers, body);
    if (![403, 404].includes(response.status))
      throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (rule) expect({ path, rule: response.body.rule }).toEqual({ path, rule });
    expect(await stored()).toEqual(before);
    return response.body;
  }

  describe("roles: each resource read and written by each role (the object is in the caller's scope where it has one)", () => {
    /**
     * [resource, read request, write request, roles allowed to read, roles allowed to write]. Writes carry an empty
     * or malformed body: a role allowed to write passes the guard and is refused by validation (400) or a rule
     * (4xx), storing nothing; any other role is refused with 403 before.
     */
    const matrix = (): [string, [Method, string] | null, [Method, string, object?] | null, string[], string[]][] => [
      [
        'networks',
        ['get', '/networks'],
        ['post', '/networks'],
        ['ministry', 'district', 'institute'],
        ['district', 'institute'],
      ],
      [
        'persons',
        ['get', `/persons/${koeln.lower.id}/schedule`],
        ['post', '/persons'],
        ['ministry', 'institute', 'participant'],
        ['ministry', 'district', 'institute'],
      ],
      ['tandems', null, ['post', '/tandems'], [], ['district']],
      [
        'enrolments',
        ['get', '/enrolments'],
        ['post', '/enrolments'],
        ['ministry', 'district', 'institute'],
        ['district'],
      ],
      ['staff council outcome', null, ['post', `/enrolments/${koeln.enrolmentId}/involvements`], [], ['district']],
      ['placement', null, ['post', `/enrolments/${koeln.enrolmentId}/placement`], [], ['institute']],
      [
        'certificates',
        ['get', `/enrolments/${koeln.enrolmentId}/certificates`],
        ['post', `/enrolments/${koeln.enrolmentId}/certificates`],
        ['ministry', 'institute'],
        ['institute'],
      ],
      ['moderator tandems', null, ['post', '/moderator-tandems'], [], ['ministry']],
      [
        'groups',
        ['get', `/groups/${g1.id}`],
        ['post', '/groups'],
        ['ministry', 'institute', 'moderator'],
        ['institute'],
      ],
      ['moderator assignment', null, ['put', `/groups/${g1.id}/moderator-tandem`], [], ['institute']],
      ['event added', null, ['post', `/groups/${g1.id}/events`], [], ['institute']],
      ['event moved', null, ['post', `/events/${g1.events[1].id}/changes`], [], ['institute']],
      ['event cancelled', null, ['post', `/events/${g1.events[3].id}/cancellation`], [], ['institute']],
      [
        'group calendar',
        ['get', `/groups/${g1.id}/calendar.ics`],
        ['post', '/calendar-subscriptions', { groupId: 'no-uuid' }],
        ['ministry', 'institute', 'moderator', 'participant'],
        ['institute', 'moderator', 'participant'],
      ],
      [
        'attendance',
        ['get', `/events/${g1.events[0].id}/attendance`],
        ['post', `/events/${g1.events[0].id}/attendance`],
        ['ministry', 'institute', 'moderator'],
        ['institute', 'moderator'],
      ],
      [
        'evaluations',
        ['get', `/events/${g1.events[0].id}/evaluations`],
        ['post', `/events/${g1.events[0].id}/evaluations`],
        ['ministry', 'institute', 'moderator'],
        ['participant'],
      ],
      ['overview', ['get', '/overview'], ['put', '/districts/koeln/need'], ['ministry', 'institute'], ['institute']],
      ['exchanges', ['get', '/exchanges'], ['post', '/exchanges'], ['ministry', 'institute'], ['institute']],
      [
        'exchange evaluations',
        ['get', `/exchanges/${exchangeId}/evaluations`],
        ['post', `/exchanges/${exchangeId}/evaluations`],
        ['ministry', 'institute'],
        ['participant'],
      ],
      ['evaluation report', ['get', '/evaluation/reports/2026'], null, ['ministry'], []],
      ['evaluation report as PDF', ['get', '/evaluation/reports/2026.pdf'], null, ['ministry'], []],
      ['evaluation report as CSV', ['get', '/evaluation/reports/2026.csv'], null, ['ministry'], []],
      [
        'evaluation meetings',
        ['get', '/evaluation/meetings'],
        ['put', '/evaluation/meetings/2026'],
        ['ministry'],
        ['ministry'],
      ],
      [
        'evaluation meeting cancelled',
        ['get', '/evaluation/meetings/2026'],
        ['delete', '/evaluation/meetings/2026'],
        ['ministry'],
        ['ministry'],
      ],
      [
        'contracts',
        ['get', `/contracts/${c1.id}`],
        ['post', '/contracts'],
        ['ministry', 'contract_admin'],
        ['contract_admin'],
      ],
      [
        'contract deadlines',
        ['get', '/contracts/deadlines'],
        ['post', `/contracts/${c1.id}/annual-reports`],
        ['ministry', 'contract_admin'],
        ['contract_admin'],
      ],
      ['enrolments as CSV', ['get', '/exports/enrolments.csv'], null, ['ministry', 'district', 'institute'], []],
      ['attendance as XLSX', ['get', '/exports/attendance.xlsx'], null, ['ministry', 'institute', 'moderator'], []],
      [
        'deadlines as CSV',
        ['get', '/exports/deadlines.csv'],
        null,
        ['ministry', 'institute', 'moderator', 'contract_admin'],
        [],
      ],
      ['certificates as XLSX', ['get', '/exports/certificates.xlsx'], null, ['ministry', 'institute'], []],
      ['group roster PDF', ['get', `/groups/${g1.id}/roster.pdf`], null, ['ministry', 'institute', 'moderator'], []],
      [
        'sign-in sheet PDF',
        ['get', `/events/${g1.events[0].id}/sign-in-sheet.pdf`],
        null,
        ['ministry', 'institute', 'moderator'],
        [],
      ],
      [
        'notice calculator',
        ['get', '/contracts/notice-calculator?receivedOn=2026-07-01'],
        null,
        ['ministry', 'contract_admin'],
        [],
      ],
      [
        'notifications',
        ['get', '/notifications'],
        ['post', '/notifications/999999/resend'],
        ['ministry', 'institute', 'contract_admin'],
        ['ministry', 'institute', 'contract_admin'],
      ],
      ['instances (migration)', null, ['post', `/instances/${koeln.enrolmentId}/migrate`], [], ['ministry']],
      // master data, audit and data protection
      [
        'person list',
        ['get', '/persons'],
        ['patch', `/persons/${koeln.lower.id}`],
        ['ministry', 'district', 'institute'],
        ['ministry', 'district', 'institute'],
      ],
      [
        'person record',
        ['get', `/persons/${koeln.lower.id}`],
        null,
        ['ministry', 'district', 'institute', 'participant'],
        [],
      ],
      [
        'person history',
        ['get', `/persons/${koeln.lower.id}/history`],
        null,
        ['ministry', 'district', 'institute', 'participant'],
        [],
      ],
      [
        'tandem record',
        ['get', `/tandems/${koeln.id}`],
        ['patch', `/tandems/${koeln.id}`],
        ['ministry', 'district', 'institute'],
        ['district'],
      ],
      ['tandem list', ['get', '/tandems'], null, ['ministry', 'district', 'institute'], []],
      [
        'school offices',
        ['get', '/school-offices'],
        ['patch', `/school-offices/${koelnOffice}`],
        ['ministry', 'district', 'institute'],
        ['district', 'institute'],
      ],
      [
        'network record',
        ['get', `/networks/${koeln.networkId}/history`],
        ['patch', `/networks/${koeln.networkId}`],
        ['ministry', 'district', 'institute'],
        ['district', 'institute'],
      ],
      ['audit log', ['get', '/audit'], null, ['ministry'], []],
      [
        'personal data (DSGVO)',
        ['get', `/persons/${koeln.lower.id}/export`],
        ['post', `/persons/${koeln.lower.id}/erasure`],
        ['ministry', 'participant'],
        ['ministry'],
      ],
    ];

    it('allows exactly the listed roles and refuses every other with 403, writing nothing', async () => {
      const outcomes: string[] = [];
      const wrong: string[] = [];
      for (const [resource, read, write, readers, writers] of matrix()) {
        for (const [role, headers] of Object.entries(roles)) {
          for (const [access, request, allowed] of [
            ['read', read, readers],
            ['write', write, writers],
          ] as const) {
            if (!request) continue;
            const before = await stored();
            const response = await send(
              request[0],
              request[1],
              headers,
              request[0] === 'get' ? undefined : (request[2] ?? {}),
            );
            const permitted = ![401, 403].includes(response.status);
            outcomes.push(`${resource} ${access} ${role}`);
            if (permitted !== allowed.includes(role))
              wrong.push(`${resource} ${access} by ${role}: ${response.status} ${response.body?.rule ?? ''}`);
            if (access === 'write' && JSON.stringify(await stored()) !== JSON.stringify(before))
              wrong.push(`${resource} write by ${role} stored something`);
            if (!permitted) expect(response.headers['content-type']).toContain('application/problem+json');
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(150);
    });
  });

  describe('the leaks issue 14 found are closed', () => {
    it("GET /instances and a journal need a token, and show a programme's instances only to whom runs it", async () => {
      await t.anonymous.get('/instances').expect(401);
      await t.anonymous.get(`/instances/${c1.instanceId}/journal`).expect(401);
      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).expect(200)).body;
      for (const role of ['district', 'moderator', 'participant', 'contract_admin']) {
        await refused('get', '/instances', roles[role], undefined, 'instances-listed-in-scope');
        await refused('get', `/instances/${enrolment.instanceId}`, roles[role], undefined, 'instance-in-scope');
        await refused('get', `/instances/${enrolment.instanceId}/journal`, roles[role], undefined, 'instance-in-scope');
        await refused(
          'get',
          `/instances/${enrolment.instanceId}/diagram.svg`,
          roles[role],
          undefined,
          'instance-in-scope',
        );
      }
      await refused(
        'get',
        '/instances?definition=contract-review',
        roles.institute,
        undefined,
        'instances-listed-in-scope',
      );
      await refused('get', `/instances/${c1.instanceId}/journal`, roles.institute, undefined, 'instance-in-scope');
      await refused('get', `/instances/${c2.instanceId}/journal`, admin(LAND_1), undefined, 'instance-in-scope');
      await refused('get', `/instances/${c2.instanceId}/diagram.svg`, admin(LAND_1), undefined, 'instance-in-scope');
      await refused('get', `/instances/${c1.instanceId}/diagram.svg`, roles.institute, undefined, 'instance-in-scope');
      // Whom it is for reads it.
      expect(
        (await send('get', `/instances/${c1.instanceId}/diagram.svg`, admin(LAND_1))).headers['content-type'],
      ).toBe('image/svg+xml; charset=utf-8');
      expect((await send('get', `/instances/${enrolment.instanceId}/journal`, roles.institute)).status).toBe(200);
      expect((await send('get', `/instances/${c1.instanceId}/journal`, admin(LAND_1))).status).toBe(200);
      expect((await send('get', '/instances?definition=tandem-qualification', roles.institute)).body.total).toBe(2);
      expect((await send('get', '/instances', roles.ministry)).body.total).toBeGreaterThanOrEqual(6);
    });

    it("a district cannot form a tandem out of another district's officials, nor replace a member with one", async () => {
      const network = (
        await send('post', '/networks', as('district', 'muenster'), {
          name: 'Netzwerk Münsterland',
          districtId: 'muenster',
        })
      ).body.id;
      await refused(
        'post',
        '/tandems',
        as('district', 'muenster'),
        { networkId: network, lowerMemberId: koeln.lower.id, upperMemberId: koeln.upper.id },
        'district-own-area',
      );
      const stranger = await world.person('koeln', 'upper');
      await refused(
        'post',
        `/tandems/${muenster.id}/member-change`,
        as('district', 'muenster'),
        { leavingPersonId: muenster.upper.id, joiningPersonId: stranger.id },
        'district-own-area',
      );
      await refused(
        'post',
        `/enrolments/${muenster.enrolmentId}/withdrawal`,
        roles.district,
        { reason: 'fremd' },
        'district-own-area',
      );
      await refused('get', `/enrolments/${muenster.enrolmentId}`, roles.district, undefined, 'district-own-area');
      expect((await send('get', '/enrolments', roles.district)).body.map((e: { id: string }) => e.id)).toEqual([
        koeln.enrolmentId,
      ]);
    });

    it('a contract administrator reads and changes only the contracts naming it', async () => {
      const own = (await send('get', `/contracts/${c1.id}`, admin(LAND_1)).expect(200)).body;
      expect(own.admins.map((a: { email: string }) => a.email)).toEqual([LAND_1.email, KOMMUNE_1.email]);
      const other = await refused(
        'get',
        `/contracts/${c2.id}`,
        admin(LAND_1),
        undefined,
        'contract-admin-of-this-contract',
      );
      expect(JSON.stringify(other)).not.toContain(KOMMUNE_2.email);
      await refused(
        'post',
        `/contracts/${c2.id}/annual-reports`,
        admin(LAND_1),
        { receivedOn: '2026-02-20', reference: 'R-1' },
        'contract-admin-of-this-contract',
      );
      // The token's partner must be the one the contract names it for.
      await refused(
        'post',
        `/contracts/${c1.id}/notices`,
        as('contract_admin', LAND_1.id, { partner: 'kommune' }),
        { receivedOn: '2026-02-20', reference: 'K-1' },
        'contract-admin-of-this-contract',
      );
    });

    it("a contract administrator's deadlines are its own contracts' only; the ministry sees the state's", async () => {
      const regions = (headers: Record<string, string>) =>
        send('get', '/contracts/deadlines', headers).then((r) =>
          [...new Set(r.body.map((d: { bildungsregion: string }) => d.bildungsregion))].sort(),
        );
      expect(await regions(admin(LAND_1))).toEqual(['Bildungsregion Heidekreis']);
      expect(await regions(admin(KOMMUNE_2))).toEqual(['Bildungsregion Celle']);
      expect(await regions(roles.ministry)).toEqual(['Bildungsregion Celle', 'Bildungsregion Heidekreis']);
      // The same in the file of both programmes' deadlines.
      const exported = async (headers: Record<string, string>) =>
        [
          ...new Set(
            (await send('get', '/exports/deadlines.csv', headers).expect(200)).text
              .split('\r\n')
              .slice(1)
              .filter(Boolean)
              .map((line: string) => line.split(';')[3])
              .filter((c: string) => c.startsWith('Bildungsregion')),
          ),
        ].sort();
      expect(await exported(admin(LAND_1))).toEqual(['Bildungsregion Heidekreis']);
      expect(await exported(roles.ministry)).toEqual(['Bildungsregion Celle', 'Bildungsregion Heidekreis']);
    });

    it('mail recipients are listed only for the instances the caller may see', async () => {
      const recipients = async (headers: Record<string, string>) => {
        const body = (await send('get', '/notifications?pageSize=500', headers).expect(200)).body;
        return new Set(body.items.map((n: { recipient: string }) => n.recipient));
      };
      const all = await recipients(roles.ministry);
      expect(all).toContain(LAND_1.email);
      expect(all).toContain(KOMMUNE_2.email);
      expect(all).toContain(koeln.lower.email);
      expect([...(await recipients(admin(LAND_1)))].sort()).toEqual([KOMMUNE_1.email, LAND_1.email].sort());
      const institute = await recipients(roles.institute);
      expect(institute).toContain(koeln.lower.email);
      for (const a of [LAND_1, KOMMUNE_1, LAND_2, KOMMUNE_2]) expect(institute).not.toContain(a.email);

      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).expect(200)).body;
      await refused(
        'get',
        `/notifications?instance=${enrolment.instanceId}`,
        admin(LAND_1),
        undefined,
        'notification-in-scope',
      );
      const contractMail = (await send('get', `/notifications?instance=${c2.instanceId}`, roles.ministry)).body
        .items[0];
      await refused('get', `/notifications/${contractMail.id}`, admin(LAND_1), undefined, 'notification-in-scope');
      await refused('get', `/notifications/${contractMail.id}`, roles.institute, undefined, 'notification-in-scope');
    });

    it('a contract names its creator, and only administrators the partners brought in', async () => {
      const stranger = {
        id: 'unbekannt',
        name: 'Irgendwer',
        email: 'irgendwer@example.org',
        language: 'de',
        partner: 'kommune',
      };
      const strangerLand = { ...stranger, id: 'fremd-land', partner: 'land' };
      await refused(
        'post',
        '/contracts',
        admin(LAND_1),
        contract('Uelzen', [strangerLand, KOMMUNE_1]),
        'contract-creator-is-admin',
      );
      const named = await refused(
        'post',
        '/contracts',
        admin(LAND_1),
        contract('Uelzen', [LAND_1, stranger]),
        'contract-admins-named-by-partner',
      );
      expect(named.strangers).toEqual([{ id: 'unbekannt', partner: 'kommune' }]);
      // A known Kommune administrator cannot be named for the Land, nor can one name itself for the other partner.
      await refused(
        'post',
        '/contracts',
        admin(LAND_1),
        contract('Uelzen', [LAND_1, { ...KOMMUNE_1, partner: 'land' }, KOMMUNE_2]),
        'contract-admins-named-by-partner',
      );
      await refused(
        'post',
        '/contracts',
        admin(LAND_1),
        contract('Uelzen', [{ ...LAND_1, partner: 'kommune' }, LAND_2]),
        'contract-creator-is-admin',
      );
      await refused(
        'post',
        '/contracts',
        roles.institute,
        contract('Uelzen', [LAND_1, KOMMUNE_1]),
        'role-contract-admin',
      );
    });
  });

  describe('object scope within a role', () => {
    it('a moderator sees and acts for its own groups only', async () => {
      expect((await send('get', '/groups', roles.moderator)).body.map((g: { id: string }) => g.id)).toEqual([g1.id]);
      await refused('get', `/groups/${g2.id}`, roles.moderator, undefined, 'moderator-own-groups');
      await refused(
        'post',
        `/events/${g2.events[0].id}/attendance`,
        roles.moderator,
        { entries: [{ personId: muenster.lower.id, present: true }] },
        'moderator-own-groups',
      );
      await refused('get', `/events/${g2.events[0].id}/attendance`, roles.moderator, undefined, 'moderator-own-groups');
      await refused(
        'post',
        `/reflection-phases/${g2.reflectionPhases[0].id}/closure`,
        roles.moderator,
        undefined,
        'moderator-own-groups',
      );
      await refused('get', `/groups/${g2.id}/calendar.ics`, roles.moderator, undefined, 'own-group');
      await refused('get', `/groups/${g2.id}/roster.pdf`, roles.moderator, undefined, 'moderator-own-groups');
      await refused(
        'get',
        `/events/${g2.events[0].id}/sign-in-sheet.pdf`,
        roles.moderator,
        undefined,
        'moderator-own-groups',
      );
      await refused(
        'get',
        `/exports/attendance.csv?groupId=${g2.id}`,
        roles.moderator,
        undefined,
        'moderator-own-groups',
      );
      // Its own group's curriculum is the institute's to change, and so is the group's moderator tandem.
      await refused(
        'post',
        `/events/${g1.events[1].id}/changes`,
        roles.moderator,
        { place: 'Bonn', reason: 'lieber dort' },
        'role-may-act',
      );
      await refused(
        'put',
        `/groups/${g1.id}/moderator-tandem`,
        roles.moderator,
        { moderatorTandemId: '00000000-0000-4000-8000-000000000000' },
        'role-may-act',
      );
    });

    it("a district records the staff council's outcome only for the enrolments of its own area", async () => {
      await refused(
        'post',
        `/enrolments/${muenster.enrolmentId}/involvements`,
        roles.district,
        { body: 'staff-council', on: '2026-01-05', outcome: 'consent' },
        'district-own-area',
      );
    });

    it('a district reads and corrects the master data of its own area only', async () => {
      const own = (await send('get', '/persons?pageSize=500', roles.district).expect(200)).body.items.map(
        (p: { districtId: string }) => p.districtId,
      );
      expect(new Set(own)).toEqual(new Set(['koeln']));
      await refused('get', '/persons?district=muenster', roles.district, undefined, 'district-own-area');
      await refused('get', `/persons/${muenster.lower.id}`, roles.district, undefined, 'district-own-area');
      await refused('get', `/persons/${muenster.lower.id}/history`, roles.district, undefined, 'district-own-area');
      await refused(
        'patch',
        `/persons/${muenster.lower.id}`,
        roles.district,
        { email: 'umgeleitet@example.org' },
        'district-own-area',
      );
      await refused('get', `/tandems/${muenster.id}`, roles.district, undefined, 'district-own-area');
      await refused(
        'patch',
        `/tandems/${muenster.id}`,
        roles.district,
        { networkId: koeln.networkId },
        'district-own-area',
      );
      await refused(
        'patch',
        `/networks/${muenster.networkId}`,
        roles.district,
        { name: 'Netzwerk Übernahme' },
        'district-own-area',
      );
      await refused('get', `/persons/${g1.moderators[0]}`, roles.district, undefined, 'district-own-area');
    });

    it('a participant or moderator reads, and exports, only its own person record; only the ministry reads the audit log', async () => {
      expect((await send('get', `/persons/${koeln.lower.id}`, roles.participant)).status).toBe(200);
      expect((await send('get', `/persons/${g1.moderators[0]}`, roles.moderator)).status).toBe(200);
      expect((await send('get', `/persons/${g1.moderators[0]}/export`, roles.moderator)).status).toBe(200);
      for (const path of [
        `/persons/${koeln.upper.id}`,
        `/persons/${koeln.upper.id}/history`,
        `/persons/${koeln.upper.id}/export`,
      ]) {
        await refused('get', path, roles.participant, undefined, 'own-data');
        await refused('get', path, roles.moderator, undefined, 'own-data');
      }
      for (const role of ['district', 'institute', 'moderator', 'participant', 'contract_admin']) {
        await refused('get', `/audit?person=${koeln.lower.id}`, roles[role], undefined, 'audit-read-by-ministry');
        await refused('post', `/persons/${koeln.lower.id}/erasure`, roles[role], { reference: 'DS-1' }, 'role-may-act');
      }
    });

    it('a participant sees only itself and its own group', async () => {
      expect((await send('get', `/persons/${koeln.lower.id}/schedule`, roles.participant)).status).toBe(200);
      expect((await send('get', `/groups/${g1.id}/calendar.ics`, roles.participant)).status).toBe(200);
      for (const what of ['schedule', 'tasks', 'certificates', 'calendar.ics']) {
        await refused('get', `/persons/${muenster.lower.id}/${what}`, roles.participant, undefined, 'own-data');
      }
      await refused('get', `/groups/${g2.id}/calendar.ics`, roles.participant, undefined, 'own-group');
      await refused('post', '/calendar-subscriptions', roles.participant, { groupId: g2.id }, 'own-group');
    });
  });
});
