import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { OutboxDispatcher } from '../src/engine/outbox-dispatcher.js';
import { programmeWorkflows } from '../workflows/index.js';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { CURRICULUM, INSTITUTE, QualificationWorld } from './qualification-world.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';

/**
 * The edge of the whole API, route by route as the OpenAPI document lists them: impossible calendar days, hostile
 * JSON, bad paging numbers and over-long headers are refused with problem+json naming the rule, never a 500, and
 * nothing in any table changes. Run on a SQLite file and on a throwaway PostgreSQL (which refuses NUL and lone
 * surrogates that SQLite would store), against a world with a contract, a group, an enrolment and an instance to aim at.
 */
const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
if (!bin)
  console.warn(
    'PostgreSQL is not installed here: the edge is tested on SQLite only (apt-get install postgresql to run both)',
  );

const LAND_ADMIN = as('contract_admin', 'mk-lange', { partner: 'land' });
const KOMMUNE_ADMIN = as('contract_admin', 'lk-okafor', { partner: 'kommune' });
const DISTRICT = as('district', 'koeln');
/** A participant whose tandem accepted no exchange: evaluating one is refused after validation. */
const PARTICIPANT = as('participant', 'teilnehmerin-ohne-zusage');
const CONTRACT = {
  bildungsregion: 'Bildungsregion Heidekreis',
  kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
  steeringCommittee: 'Lenkungsgruppe Bildungsregion Heidekreis',
  regionalOffice: 'Bildungsbüro Heidekreis',
  startsOn: '2025-08-01',
  signedOn: '2025-07-10',
  reference: 'MK 31-81 403/2025',
  admins: [
    {
      id: 'mk-lange',
      name: 'Petra Lange',
      email: 'petra.lange@mk.niedersachsen.example',
      language: 'de',
      partner: 'land',
    },
    { id: 'lk-okafor', name: 'Sam Okafor', email: 'sam.okafor@heidekreis.example', language: 'en', partner: 'kommune' },
  ],
};

const IMPOSSIBLE_DAYS = [
  '2025-02-30',
  '2025-13-01',
  '2025-00-10',
  '2025-2-3',
  '2025-02-29',
  '2025-04-31',
  '2025-02-03T10:00',
  '03.02.2025',
];

interface World {
  contractId: string;
  instanceId: string;
  enrolmentId: string;
  tandemId: string;
  personId: string;
  groupId: string;
  eventId: string;
  reflectionPhaseId: string;
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As the OpenAPI document writes it, e.g. `/contracts/{id}/notices`. */
  template: string;
  /** With the world's ids filled in. */
  path: string;
  queryParameters: { name: string; schema: Schema }[];
  body?: Schema;
}

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

type Segment = string | number;

/** The object each path parameter names, by the collection it follows. A route added later gets a random id. */
function target(world: World, collection: string): string {
  const ids: Record<string, string> = {
    contracts: world.contractId,
    amendments: 'A1',
    secondments: 'S1',
    instances: world.instanceId,
    enrolments: world.enrolmentId,
    tandems: world.tandemId,
    persons: world.personId,
    groups: world.groupId,
    events: world.eventId,
    'reflection-phases': world.reflectionPhaseId,
    districts: 'koeln',
    notifications: '1',
    verify: 'UNKNOWN-CODE',
    reports: '2026',
    meetings: '2026',
  };
  return ids[collection] ?? randomUUID();
}

/** Someone who may take the step, so that a refusal comes from the request, not from the caller's role. */
function callerOf(operation: Operation): Record<string, string> {
  const [collection, , step] = operation.template.split('/').slice(1);
  if (collection === 'contracts') return LAND_ADMIN;
  if (collection === 'instances') return operation.method === 'get' ? as('ministry', 'msb') : as('district', 'koeln');
  if (collection === 'moderator-tandems' || collection === 'evaluation' || collection === 'audit')
    return as('ministry', 'msb');
  if (collection === 'exchanges' && step === 'evaluations') return PARTICIPANT;
  if (collection === 'persons' && ['erasure', 'export'].includes(step)) return as('ministry', 'msb');
  if (['school-offices', 'networks', 'persons', 'tandems'].includes(collection)) return DISTRICT;
  if (
    collection === 'enrolments' &&
    ['involvements', 'submission', 'withdrawal', undefined].includes(step) &&
    operation.method === 'post'
  )
    return DISTRICT;
  return INSTITUTE;
}

/** Objects beside the world's, for bodies that name a second person, a network or a moderator tandem. */
interface Spare {
  personId: string;
  otherPersonId: string;
  moderatorTandemId: string;
  networkId: string;
}

/**
 * A well-formed body for each write operation, aimed at the world's objects: the probes change one field at a time, so
 * that what is refused is that field. (Some of these bodies are refused by a rule as they are, which is fine.)
 */
function validBody(operation: Operation, world: World, spare: Spare): unknown {
  const bodies: Record<string, unknown> = {
    'post /instances': { definition: 'sample-deadline', input: { title: 'Probe', decideBy: '2026-03-20' } },
    'post /instances/{id}/events': { type: 'NOTE' },
    'post /instances/{id}/migrate': { toVersion: 1 },
    'post /contracts': CONTRACT,
    'post /contracts/{id}/evaluations': {
      receivedOn: '2025-10-01',
      reference: 'Evaluation 2025',
      summary: 'Wirkung belegt',
    },
    'post /contracts/{id}/review-decisions': {
      decision: 'continue',
      decidedOn: '2025-10-02',
      reference: 'Beschluss 2025',
    },
    'post /contracts/{id}/notices': { receivedOn: '2025-10-03', reference: 'Kündigung 2025' },
    'post /contracts/{id}/extraordinary-terminations': {
      receivedOn: '2025-10-03',
      reference: 'Kündigung 2025',
      reason: 'Haushaltssperre',
    },
    'post /contracts/{id}/amendments': {
      title: 'Zweite Bildungskoordination',
      receivedOn: '2025-10-04',
      reference: 'Änderung 1',
    },
    'post /contracts/{id}/amendments/{amendmentId}/confirmations': {
      receivedOn: '2025-10-05',
      reference: 'Bestätigung',
    },
    'post /contracts/{id}/annual-reports': { receivedOn: '2025-10-06', reference: 'Bericht 2025' },
    'post /contracts/{id}/secondments': {
      coordinator: 'Jana Voss',
      from: '2025-08-01',
      until: '2028-07-31',
      weeklyHours: 12.5,
      regularWeeklyHours: 25,
      receivedOn: '2025-07-10',
      reference: 'Abordnung',
    },
    'post /contracts/{id}/secondments/{secondmentId}/decisions': {
      decision: 'extend',
      until: '2031-07-31',
      weeklyHours: 12,
      receivedOn: '2026-01-02',
      reference: 'Verlängerung',
    },
    'post /contracts/{id}/secondments/{secondmentId}/kommune-consents': {
      receivedOn: '2025-07-12',
      reference: 'Einvernehmen Kommune',
    },
    'post /contracts/{id}/secondments/{secondmentId}/qualifications': {
      course: 'Qualifizierung Bildungskoordination',
      receivedOn: '2025-07-14',
      reference: 'Kostenzusage Land',
    },
    'post /contracts/{id}/school-authority-representatives': {
      name: 'Dr. Eva Brandt',
      receivedOn: '2025-07-15',
      reference: 'Benennung NLSchB',
    },
    'post /contracts/{id}/kommune-resources': {
      officeStaffFte: 2.5,
      officeMaterialEuroPerYear: 18000,
      receivedOn: '2025-07-16',
      reference: 'Haushaltsbeschluss',
    },
    'post /auth/token': { username: 'institut', password: 'nicht-das-passwort' },
    'post /auth/api-tokens': { name: 'Schnittstelle Personalverwaltung', expiresAt: '2027-01-01T00:00:00Z' },
    'post /calendar-subscriptions': { groupId: world.groupId },
    'post /notifications/resend': { kind: 'mail', queuedFrom: '2026-01-01', queuedBefore: '2026-02-01' },
    'put /districts/{id}/need': { need: 3 },
    'post /school-offices': { name: 'Schulamt für die Stadt Köln', districtId: 'koeln' },
    'post /networks': { name: 'Bildungsnetzwerk Köln-Nord', districtId: 'koeln' },
    'post /persons': {
      name: 'Otto Ober',
      email: 'otto.ober@koeln.example.org',
      language: 'de',
      supervision: 'upper',
      districtId: 'koeln',
      office: 'Dezernat 41',
    },
    'post /tandems': { networkId: spare.networkId, lowerMemberId: spare.personId, upperMemberId: spare.otherPersonId },
    'post /tandems/{id}/member-change': {
      leavingPersonId: spare.personId,
      joiningPersonId: spare.otherPersonId,
      exemptionReason: 'Wechsel im laufenden Durchgang',
    },
    'post /enrolments': { tandemId: world.tandemId },
    'post /enrolments/{id}/involvements': {
      body: 'staff-council',
      on: '2026-01-05',
      outcome: 'consent',
      note: 'Zustimmung',
    },
    'post /enrolments/{id}/placement': { groupId: world.groupId },
    'post /enrolments/{id}/withdrawal': { reason: 'Wechsel in eine andere Funktion' },
    'post /moderator-tandems': { firstMemberId: spare.personId, secondMemberId: spare.otherPersonId },
    'post /groups': { name: 'Gruppe Ost', capacity: 8, moderatorTandemId: spare.moderatorTandemId },
    'post /groups/{id}/curriculum': { events: CURRICULUM, reflectionDueDaysBeforeNextEvent: 7 },
    'post /groups/{id}/events': {
      module: 'data-informed-steering',
      title: 'Datengestützte Steuerung',
      titleEn: 'Data-informed steering',
      days: ['2026-10-12'],
      startTime: '09:00',
      hours: 8,
      place: 'Köln',
      reason: 'Zusätzlicher Block',
    },
    'put /groups/{id}/moderator-tandem': { moderatorTandemId: spare.moderatorTandemId },
    'post /events/{id}/changes': {
      days: ['2026-03-09', '2026-03-10'],
      startTime: '10:00',
      place: 'Bonn',
      reason: 'Tagungshaus belegt',
    },
    'post /events/{id}/cancellation': { reason: 'Referentin erkrankt' },
    'post /events/{id}/attendance': { entries: [{ personId: world.personId, present: true }] },
    'post /events/{id}/evaluations': { rating: 4, comment: 'hilfreich' },
    'post /exchanges': { on: '2026-06-10', place: 'Düsseldorf' },
    'post /exchange-invitations/{id}/answer': { accept: true },
    'post /exchanges/{id}/evaluations': { rating: 4, comment: 'anregend' },
    'put /evaluation/meetings/{year}': {
      on: '2027-03-11',
      place: 'Düsseldorf',
      recipients: [{ name: 'Dr. Jana Küpper', email: 'jana.kuepper@msb.nrw.example', language: 'de' }],
    },
    'patch /persons/{id}': {
      name: 'Lena Unter',
      email: 'lena.unter@koeln.example.org',
      language: 'de',
      office: 'Schulamt für die Stadt Köln',
      note: 'Tippfehler',
    },
    'patch /tandems/{id}': { networkId: spare.networkId, note: 'anderes Netzwerk' },
    'patch /school-offices/{id}': { name: 'Schulamt für die Stadt Köln', note: 'amtliche Bezeichnung' },
    'patch /networks/{id}': { name: 'Bildungsnetzwerk Köln-Süd', note: 'umbenannt' },
    'post /persons/{id}/erasure': { reference: 'DS-2026-001' },
  };
  return structuredClone(bodies[`${operation.method} ${operation.template}`]);
}

async function operationsOf(t: TestApp, world: World): Promise<Operation[]> {
  const document = (await t.http.get('/docs-json').expect(200)).body as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; schema: Schema }[];
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
  };
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      // A file's type in its extension (`/exports/enrolments.{format}`): the CSV.
      const path = template
        .replace(/\.\{format\}$/, '.csv')
        .replace(
          /([^/]+)\/\{[^}]+\}/g,
          (_, collection: string) => `${collection}/${encodeURIComponent(target(world, collection))}`,
        );
      operations.push({
        method: method as Operation['method'],
        template,
        path,
        queryParameters: (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema })),
        body: operation.requestBody?.content['application/json']?.schema,
      });
    }
  }
  return operations;
}

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  return schema.$ref ? components[schema.$ref.split('/').pop()!] : schema;
}

/** Paths of the fields that hold calendar days (`format: date`), with `each` for arrays of days. */
function dateFields(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  prefix: Segment[] = [],
): { path: Segment[]; each: boolean }[] {
  if (!schema) return [];
  const resolved = resolve(schema, components);
  const found: { path: Segment[]; each: boolean }[] = [];
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const field = resolve(property, components);
    if (field.format === 'date') found.push({ path: [...prefix, name], each: false });
    else if (field.type === 'array' && field.items && resolve(field.items, components).format === 'date')
      found.push({ path: [...prefix, name], each: true });
    else if (field.type === 'array' && field.items)
      found.push(...dateFields(field.items, components, [...prefix, name, 0]));
    else if (field.properties || property.$ref) found.push(...dateFields(property, components, [...prefix, name]));
  }
  return found;
}

function setIn(body: Record<string, unknown>, path: Segment[], value: unknown): Record<string, unknown> {
  let node: Record<string | number, unknown> = body;
  path.slice(0, -1).forEach((segment, i) => {
    node[segment] ??= typeof path[i + 1] === 'number' ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return body;
}

/** Every leaf and every object of a body, as paths, for one-field-wrong bodies. */
function fieldPaths(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (Array.isArray(value))
    return [prefix, ...(value.length ? fieldPaths(value[0], [...prefix, 0]) : [])].filter((p) => p.length);
  if (value && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => fieldPaths(item, [...prefix, key]))].filter(
      (p) => p.length,
    );
  return [prefix];
}

function getIn(value: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<Segment, unknown>)[segment], value);
}

/** Missing, null, a value of another type, and an object for an array or an array for anything else. */
function wrongValuesFor(value: unknown): unknown[] {
  return [undefined, null, typeof value === 'string' ? 7 : 'x', Array.isArray(value) ? {} : []];
}

/**
 * Everything stored: per table, its number of rows and a digest of their contents. Mail queued by an accepted request
 * is dispatched first, so that delivery going on in the background is not taken for a change.
 */
async function everything(t: TestApp): Promise<Record<string, string>> {
  await t.app.get(OutboxDispatcher).dispatchReady();
  const db = t.app.get(DataSource);
  const tables: { name: string }[] =
    db.options.type === 'postgres'
      ? await db.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`)
      : await db.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  const state: Record<string, string> = {};
  const names = tables.map((table) => table.name).sort();
  if (db.options.type === 'postgres') {
    // One round trip: the probes below take thousands of these.
    const digests: { name: string; n: string; digest: string }[] = await db.query(
      names
        .map(
          (name) =>
            `SELECT '${name}' AS name, COUNT(*) AS n, md5(COALESCE(string_agg(row::text, E'\\n' ORDER BY row::text), '')) AS digest FROM "${name}" row`,
        )
        .join(' UNION ALL '),
    );
    for (const { name, n, digest } of digests) state[name] = `${n} rows, ${digest.slice(0, 16)}`;
    return state;
  }
  for (const name of names) {
    const rows = ((await db.query(`SELECT * FROM "${name}"`)) as object[]).map((row) => JSON.stringify(row)).sort();
    state[name] = `${rows.length} rows, ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return state;
}

function send(
  t: TestApp,
  operation: Operation,
  options: { headers?: Record<string, string>; body?: string | Buffer | object; query?: string } = {},
) {
  const request = t.http[operation.method](`${operation.path}${options.query ?? ''}`).set({
    ...callerOf(operation),
    ...options.headers,
  });
  if (options.body === undefined) return request;
  // A Buffer (a gzip body) goes out as it is; superagent would otherwise write it as JSON.
  if (Buffer.isBuffer(options.body))
    return request
      .set('Content-Type', 'application/json')
      .serialize((raw) => raw)
      .send(options.body);
  if (typeof options.body === 'string') return request.set('Content-Type', 'application/json').send(options.body);
  return request.send(options.body);
}

/** What a refusal looks like from outside: status, problem+json, the rule. */
function answer(response: Response) {
  return {
    status: response.status,
    problem: /^application\/problem\+json/.test(response.headers['content-type'] ?? ''),
    rule: (response.body as { rule?: string }).rule,
  };
}

function nestedObjects(levels: number, leaf: string): string {
  return '{"a":'.repeat(levels - 1) + `{"leaf":${JSON.stringify(leaf)}}` + '}'.repeat(levels - 1);
}

const databases = bin ? ['SQLite', 'PostgreSQL'] : ['SQLite'];

describe.each(databases)('the edge on %s', (database) => {
  let server: TestPostgres | undefined;
  let workspace: string;
  let t: TestApp;
  let world: World;
  let spare: Spare;
  let operations: Operation[];
  let components: Record<string, Schema>;

  beforeAll(async () => {
    workspace = makeWorkspace();
    if (database === 'PostgreSQL') server = await startPostgres(bin!);
    const databaseUrl = server ? await server.createDatabase() : '';
    t = await startApp({ workspace, workflows: [...programmeWorkflows(), sampleDeadlineV1], config: { databaseUrl } });
    const q = new QualificationWorld(t);
    // The Kommune's administrator has signed in once, so the Land may name them in a contract.
    await t.http.get('/auth/me').set(KOMMUNE_ADMIN).expect(200);
    // Signed in once before the probes, so that its first sign-in is not taken for a change a probe made.
    await t.http.get('/auth/me').set(PARTICIPANT).expect(200);
    const contractId = (await q.ok('post', '/contracts', LAND_ADMIN, CONTRACT)).id;
    await q.ok('post', `/contracts/${contractId}/amendments`, LAND_ADMIN, {
      title: 'Zweite Bildungskoordination',
      receivedOn: '2025-09-01',
      reference: 'Änderung 1',
    });
    await q.ok('post', `/contracts/${contractId}/secondments`, LAND_ADMIN, {
      coordinator: 'Jana Voss',
      from: '2025-08-01',
      weeklyHours: 12.5,
      regularWeeklyHours: 25,
      receivedOn: '2025-07-10',
      reference: 'Abordnung',
    });
    const enrolment = await q.registered('koeln');
    const group = await q.group('Gruppe West');
    await q.place(enrolment, group.id);
    const instanceId = (
      await q.ok('post', '/instances', as('district', 'koeln'), {
        definition: 'sample-deadline',
        input: { title: 'Probe', decideBy: '2026-03-20' },
      })
    ).id;
    world = {
      contractId,
      instanceId,
      enrolmentId: enrolment.enrolmentId,
      tandemId: enrolment.id,
      personId: enrolment.lower.id,
      groupId: group.id,
      eventId: group.events[0].id,
      reflectionPhaseId: group.reflectionPhases[0].id,
    };
    const tandem = await q.tandem('koeln');
    const moderators = [
      await q.ok('post', '/persons', INSTITUTE, { name: 'Mona Moderation', email: 'mona@institut.example.org' }),
      await q.ok('post', '/persons', INSTITUTE, { name: 'Max Moderation', email: 'max@institut.example.org' }),
    ];
    const moderatorTandem = await q.ok('post', '/moderator-tandems', as('ministry', 'msb'), {
      firstMemberId: moderators[0].id,
      secondMemberId: moderators[1].id,
    });
    spare = {
      personId: tandem.lower.id,
      otherPersonId: tandem.upper.id,
      moderatorTandemId: moderatorTandem.id,
      networkId: tandem.networkId,
    };
    operations = await operationsOf(t, world);
    components = (await t.http.get('/docs-json')).body.components.schemas;
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    server?.stop();
    removeWorkspace(workspace);
  });

  it('finds the routes to probe in the OpenAPI document, and has a valid body for every write', () => {
    const writes = operations.filter((o) => o.body);
    expect(writes.length).toBeGreaterThanOrEqual(30);
    expect(
      writes.filter((o) => validBody(o, world, spare) === undefined).map((o) => `${o.method} ${o.template}`),
    ).toEqual([]);
    expect(operations.filter((o) => o.queryParameters.length).map((o) => `${o.method} ${o.template}`)).toEqual(
      expect.arrayContaining([
        'get /instances',
        'get /contracts/deadlines',
        'get /notifications',
        'get /contracts/notice-calculator',
        'get /exports/attendance.{format}',
      ]),
    );
  });

  it('refuses an impossible calendar day in every body and query that takes one, naming the field, and stores nothing', async () => {
    const probes: { operation: Operation; path: Segment[]; each: boolean; where: 'body' | 'query' }[] = [];
    for (const operation of operations) {
      for (const field of dateFields(operation.body, components)) probes.push({ operation, ...field, where: 'body' });
      for (const parameter of operation.queryParameters.filter((p) => p.schema.format === 'date'))
        probes.push({ operation, path: [parameter.name], each: false, where: 'query' });
    }
    expect(probes.map((p) => `${p.operation.template} ${p.path.join('.')}`)).toEqual(
      expect.arrayContaining([
        '/contracts startsOn',
        '/contracts signedOn',
        '/contracts/{id}/notices receivedOn',
        '/contracts/{id}/review-decisions decidedOn',
        '/contracts/{id}/secondments from',
        '/contracts/{id}/secondments until',
        '/contracts/deadlines until',
        '/enrolments/{id}/involvements on',
        '/groups/{id}/curriculum events.0.days',
        '/groups/{id}/events days',
        '/events/{id}/changes days',
        '/exchanges on',
        '/evaluation/meetings/{year} on',
        '/contracts/notice-calculator receivedOn',
        '/contracts/notice-calculator effectiveOn',
      ]),
    );

    const before = await everything(t);
    const wrong: object[] = [];
    for (const probe of probes) {
      for (const day of IMPOSSIBLE_DAYS) {
        const value = probe.each ? [day] : day;
        const response =
          probe.where === 'query'
            ? await send(t, probe.operation, { query: `?${probe.path[0]}=${encodeURIComponent(day)}` })
            : await send(t, probe.operation, {
                body: setIn(validBody(probe.operation, world, spare) as Record<string, unknown>, probe.path, value),
              });
        const named = ((response.body as { errors?: string[] }).errors ?? []).some(
          (e) => e.startsWith(`${probe.path.join('.')} `) && e.includes('calendar day'),
        );
        const seen = { ...answer(response), named };
        const expected = { status: 400, problem: true, rule: 'request-schema', named: true };
        if (JSON.stringify(seen) !== JSON.stringify(expected))
          wrong.push({
            route: `${probe.operation.method} ${probe.operation.template}`,
            field: probe.path.join('.'),
            day,
            seen,
          });
      }
    }
    expect(wrong).toEqual([]);
    expect(await everything(t)).toEqual(before);
  });

  it('accepts 29 February in a leap year and refuses it otherwise: a contract starting 2024-02-29 is reviewed on 2027-02-28', async () => {
    const before = await everything(t);
    const refused = await t.http
      .post('/contracts')
      .set(LAND_ADMIN)
      .send({ ...CONTRACT, startsOn: '2025-02-29' });
    expect(answer(refused)).toEqual({ status: 400, problem: true, rule: 'request-schema' });
    expect(refused.body.errors).toEqual([
      'startsOn must be a calendar day YYYY-MM-DD that exists (2024-02-29 does, 2025-02-29 does not)',
    ]);
    const signedLater = await t.http
      .post('/contracts')
      .set(LAND_ADMIN)
      .send({ ...CONTRACT, signedOn: '2025-13-01' });
    expect(answer(signedLater)).toEqual({ status: 400, problem: true, rule: 'request-schema' });
    expect(await everything(t)).toEqual(before);

    const leap = await t.http
      .post('/contracts')
      .set(LAND_ADMIN)
      .send({ ...CONTRACT, startsOn: '2024-02-29', signedOn: '2024-02-29' })
      .expect(201);
    expect(leap.body.review).toMatchObject({ cycle: 1, dueOn: '2027-02-28' });
  });

  it('refuses an exchange on a day that does not exist without blocking that year', async () => {
    const before = await everything(t);
    const refused = await t.http.post('/exchanges').set(INSTITUTE).send({ on: '2027-02-29', place: 'Düsseldorf' });
    expect(answer(refused)).toEqual({ status: 400, problem: true, rule: 'request-schema' });
    expect(await everything(t)).toEqual(before);
    expect(
      (await t.http.post('/exchanges').set(INSTITUTE).send({ on: '2027-03-01', place: 'Düsseldorf' })).status,
    ).toBe(201);
  });

  it('refuses an attendance list that names a person twice, present and absent, before any rule looks at it', async () => {
    const before = await everything(t);
    const entries = [
      { personId: world.personId, present: true },
      { personId: world.personId, present: false },
    ];
    const refused = await t.http.post(`/events/${world.eventId}/attendance`).set(INSTITUTE).send({ entries });
    expect(answer(refused)).toEqual({ status: 400, problem: true, rule: 'request-schema' });
    expect(refused.body.errors).toEqual(['entries must name each person once']);
    expect(await everything(t)).toEqual(before);
  });

  it('refuses hostile bodies and headers on every write with 400 or 413 problem+json naming the rule, and writes nothing', async () => {
    const oversized = JSON.stringify({ name: 'x'.repeat(150_000) });
    const bomb = gzipSync(`{"name":"${' '.repeat(1_000_000)}"}`);
    const cases: {
      name: string;
      body?: string | Buffer;
      headers?: Record<string, string>;
      status: number;
      rule: string;
    }[] = [
      {
        name: 'arrays nested 10,000 deep',
        body: `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        status: 400,
        rule: 'body-nesting-limit',
      },
      { name: 'objects nested 33 deep', body: nestedObjects(33, 'x'), status: 400, rule: 'body-nesting-limit' },
      {
        name: 'a lone high surrogate',
        body: '{"name":"Anna \\ud800 Beispiel"}',
        status: 400,
        rule: 'text-well-formed',
      },
      { name: 'a lone low surrogate in a key', body: '{"\\udc00":"x"}', status: 400, rule: 'text-well-formed' },
      {
        name: 'a surrogate pair the wrong way round, deep down',
        body: '{"a":[{"b":["\\udc3d\\ud83c"]}]}',
        status: 400,
        rule: 'text-well-formed',
      },
      { name: 'a NUL character', body: '{"name":"Anna\\u0000Beispiel"}', status: 400, rule: 'text-without-nul' },
      { name: 'a NUL character in a key', body: '{"a":{"b\\u0000":1}}', status: 400, rule: 'text-without-nul' },
      { name: 'a body over 100 kB', body: oversized, status: 413, rule: 'body-size-limit' },
      {
        name: 'a gzip body that inflates to 1 MB',
        body: bomb,
        headers: { 'Content-Encoding': 'gzip' },
        status: 413,
        rule: 'body-size-limit',
      },
      {
        name: 'an unknown content encoding',
        body: '{}',
        headers: { 'Content-Encoding': 'zstd-9' },
        status: 415,
        rule: 'body-encoding',
      },
      {
        name: 'an Authorization header of 8193 characters',
        body: '{}',
        headers: { Authorization: `Bearer ${'a'.repeat(8186)}` },
        status: 400,
        rule: 'header-length-limit',
      },
      {
        name: 'an Idempotency-Key of 129 characters',
        body: '{}',
        headers: { 'Idempotency-Key': 'k'.repeat(129) },
        status: 400,
        rule: 'header-length-limit',
      },
    ];
    const before = await everything(t);
    const wrong: object[] = [];
    const writes = operations.filter((o) => o.method !== 'get');
    for (const operation of writes) {
      for (const hostile of cases) {
        const seen = answer(await send(t, operation, { body: hostile.body, headers: hostile.headers }));
        const expected = { status: hostile.status, problem: true, rule: hostile.rule };
        if (JSON.stringify(seen) !== JSON.stringify(expected))
          wrong.push({ route: `${operation.method} ${operation.template}`, case: hostile.name, seen });
      }
    }
    expect(wrong).toEqual([]);
    expect(await everything(t)).toEqual(before);
  });

  it('refuses page=1e300, negative and non-numeric paging and unknown paging parameters on every list, and an encoded NUL in any URL', async () => {
    const before = await everything(t);
    const wrong: object[] = [];
    const lists = operations.filter((o) => o.method === 'get' && o.queryParameters.length);
    for (const operation of lists) {
      const numeric = operation.queryParameters
        .filter((p) => ['number', 'integer'].includes(p.schema.type ?? ''))
        .map((p) => p.name);
      const queries = [
        ...numeric.flatMap((name) =>
          ['1e300', '-1', '0', 'abc', '1.5', '', '99999999999999999999', 'Infinity'].map(
            (value) => `${name}=${encodeURIComponent(value)}`,
          ),
        ),
        'limit=-1',
        'offset=abc',
        'page[]=1',
      ];
      for (const query of queries) {
        const seen = answer(await send(t, operation, { query: `?${query}` }));
        if (JSON.stringify(seen) !== JSON.stringify({ status: 400, problem: true, rule: 'request-schema' }))
          wrong.push({ route: operation.template, query, seen });
      }
    }
    for (const operation of operations) {
      const query = `?${operation.queryParameters[0]?.name ?? 'q'}=a%00b`;
      const seen = answer(await send(t, operation, { query }));
      if (JSON.stringify(seen) !== JSON.stringify({ status: 400, problem: true, rule: 'text-without-nul' }))
        wrong.push({ route: operation.template, query, seen });
    }
    expect(wrong).toEqual([]);
    expect(await everything(t)).toEqual(before);
  });

  it('accepts what is just inside every limit, also where the database checks column sizes', async () => {
    const longest = { ...as('district', `koeln/${'a'.repeat(194)}`), 'Idempotency-Key': 'k'.repeat(128) };
    const input = `{"title":"Prüfung 🎓","decideBy":"2026-03-20","extra":${nestedObjects(30, 'leaf')}}`;
    const created = await t.http
      .post('/instances')
      .set(longest)
      .set('Content-Type', 'application/json')
      .send(`{"definition":"sample-deadline","input":${input}}`)
      .expect(201);
    expect(created.body.context.title).toBe('Prüfung 🎓');
    await t.http.post(`/instances/${created.body.id}/events`).set(longest).send({ type: 'NOTE' }).expect(200);
    const journal = await t.http.get(`/instances/${created.body.id}/journal`).expect(200);
    expect(journal.body.map((entry: { actorId: string }) => entry.actorId.length)).toEqual([200, 200]);

    const lastPage = await t.http.get('/instances?page=1000000&pageSize=500&version=2147483647').expect(200);
    expect(lastPage.body).toMatchObject({ page: 1_000_000, pageSize: 500, items: [] });
    await t.http.get('/notifications?page=1000000&pageSize=500').set(INSTITUTE).expect(200);
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.dddd.de`;
    expect(email).toHaveLength(200);
    await t.http.post('/persons').set(INSTITUTE).send({ name: 'Mona Moderation 🎓', email }).expect(201);
  });

  it('answers a valid body with one field missing or of the wrong type with a 4xx that changes nothing, never a 500', async () => {
    const wrong: object[] = [];
    let before = await everything(t);
    for (const operation of operations.filter((o) => o.body)) {
      const valid = validBody(operation, world, spare);
      for (const path of fieldPaths(valid)) {
        for (const replacement of wrongValuesFor(getIn(valid, path))) {
          const response = await send(t, operation, {
            body: setIn(structuredClone(valid) as Record<string, unknown>, path, replacement),
          });
          const after = await everything(t);
          const changed = JSON.stringify(after) !== JSON.stringify(before);
          before = after;
          if (response.status >= 500 || (response.status >= 400 && changed)) {
            wrong.push({
              route: `${operation.method} ${operation.template}`,
              field: path.join('.'),
              replacement: replacement === undefined ? '(missing)' : replacement,
              status: response.status,
              changed,
            });
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
