/**
 * The OpenAPI document as a client generator reads it. Every answer of a scenario through both programmes and the
 * generic instance API is checked against the schema the document declares for its operation and status; then
 * openapi-typescript turns the running service's /docs-json into types, a small openapi-fetch client is compiled
 * with them (strict) and run against the service.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import request from 'supertest';
import ts from 'typescript';
import { AccountsService } from '../src/auth/accounts.service.js';
import { programmeWorkflows } from '../workflows/index.js';
import { sampleDeadlineV1, sampleDeadlineV2 } from './support/sample-deadline.js';
import { QualificationWorld, INSTITUTE, type Enrolment } from './qualification-world.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: Json[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  security?: unknown[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** The routes that answer without a token: monitoring, certificate verification, secret calendar feeds, sign-in. */
const PUBLIC = ['getHealth', 'verifyCertificate', 'getCalendarFeed', 'signIn'];
/**
 * The only error answers that are not problem+json. GET /health answers 503 with its health report (JSON), as with
 * 200: a load balancer takes the process out of rotation on the status, and the operator reads why in the same body.
 */
const NOT_A_PROBLEM: Record<string, { status: string; schema: string }> = {
  getHealth: { status: '503', schema: 'HealthResponse' },
};
/**
 * The only operation with two success statuses: a PUT that records the year's meeting answers 201, one that changes
 * it (or finds it as asked) 200, as RFC 9110 § 9.3.4 has it; both with the same body.
 */
const CREATED_OR_CHANGED = ['setEvaluationMeeting'];

function operationsOf(document: Document): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/**
 * The document's schemas as JSON Schema for Ajv, and stricter than OpenAPI's default: an object lists every member
 * it has (no undeclared ones), so a DTO that misses a field the service returns fails.
 */
function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, example: _example, ...schema } = node as Json;
  const out: Json = { ...schema };
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/components/schemas/', 'lotse#/components/schemas/');
  if (out.properties)
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Json).map(([name, property]) => [name, strictSchema(property)]),
    );
  for (const key of ['items', 'allOf', 'anyOf', 'oneOf']) if (out[key]) out[key] = strictSchema(out[key]);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strictSchema(out.additionalProperties);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

/** Checks each answer against the document: its status is declared, its content type too, its body fits the schema. */
class Conformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: { method: string; pattern: RegExp; params: number; operation: Operation }[];
  private readonly validators = new Map<string, ValidateFunction>();
  readonly violations: string[] = [];
  /** `operationId status` of every answer seen. */
  readonly answered = new Set<string>();

  constructor(document: Document) {
    // ajv-formats is CommonJS: its plugin is the module's `default` member as ESM imports it.
    addFormats.default(this.ajv);
    this.ajv.addFormat('binary', true);
    const schemas = Object.fromEntries(
      Object.entries(document.components.schemas).map(([name, schema]) => [name, strictSchema(schema)]),
    );
    this.ajv.addSchema({ $id: 'lotse', components: { schemas } });
    this.routes = operationsOf(document)
      .map(({ method, path, operation }) => ({
        method: method.toUpperCase(),
        operation,
        params: (path.match(/\{/g) ?? []).length,
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      }))
      .sort((a, b) => a.params - b.params);
  }

  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): void {
    const path = new URL(url, 'http://localhost').pathname;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return void this.violations.push(`${method} ${path}: no operation in the document`);
    const { operationId, responses } = route.operation;
    this.answered.add(`${operationId} ${status}`);
    const declared = responses[String(status)];
    if (!declared) return void this.violations.push(`${operationId} answered ${status}, which it does not declare`);
    if (!declared.content) {
      if (body !== undefined && body !== '' && !(typeof body === 'object' && body && !Object.keys(body).length))
        this.violations.push(`${operationId} ${status}: a body where none is declared`);
      return;
    }
    const mediaType = (contentType ?? '').split(';')[0].trim();
    const media = declared.content[mediaType];
    if (!media)
      return void this.violations.push(
        `${operationId} ${status}: content type ${mediaType}, declared ${Object.keys(declared.content).join(', ')}`,
      );
    if (!mediaType.endsWith('json') && mediaType !== 'text/calendar') return;
    const key = `${operationId} ${status} ${mediaType}`;
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(strictSchema(media.schema) as Json));
    const validate = this.validators.get(key)!;
    if (!validate(body)) {
      this.violations.push(`${key}: ${this.ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'body' })}`);
    }
  }
}

/** An HTTP client signed in as the ministry (like the harness's) whose every answer goes through `conformance`. */
function checkedAgent(t: TestApp, conformance: Conformance) {
  return request
    .agent(t.app.getHttpServer())
    .set(as('ministry', 'msb-test'))
    .use((req: request.Test) => {
      req.on('response', (res: request.Response) =>
        conformance.check(
          req.method,
          req.url,
          res.status,
          res.headers['content-type'],
          res.type === 'text/calendar' ? res.text : res.body,
        ),
      );
    });
}

/** A local port nobody listens on: mail sent there fails at once, so the outbox has dead letters to list and re-send. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const LAND_ADMIN = {
  id: 'mk-brandt',
  name: 'Eva Brandt',
  email: 'eva.brandt@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
};
const KOMMUNE_ADMIN = {
  id: 'lk-yildiz',
  name: 'Ayşe Yıldız',
  email: 'ayse.yildiz@emsland.example',
  language: 'en',
  partner: 'kommune',
};
const land = as('contract_admin', LAND_ADMIN.id, { partner: 'land' });
const kommune = as('contract_admin', KOMMUNE_ADMIN.id, { partner: 'kommune' });
const contractOf = (bildungsregion: string) => ({
  bildungsregion,
  kommune: { name: `Landkreis ${bildungsregion}`, kind: 'landkreis' },
  steeringCommittee: `Lenkungsgruppe ${bildungsregion}`,
  regionalOffice: `Bildungsbüro ${bildungsregion}`,
  startsOn: '2025-08-01',
  signedOn: '2025-07-10',
  reference: 'MK 31-81 400/2025',
  admins: [LAND_ADMIN, KOMMUNE_ADMIN],
});
const letter = (reference: string) => ({ receivedOn: '2026-01-05', reference });

/** The three core modules on three single days, so a tandem finishes within two months. */
const CURRICULUM = [
  { module: 'tandem-team', days: ['2026-02-02'], hours: 8, place: 'Soest' },
  { module: 'regional-education-management', days: ['2026-02-16'], hours: 8, place: 'Soest' },
  { module: 'cooperation-interfaces', days: ['2026-03-02'], hours: 8, place: 'Dortmund' },
];

describe('the OpenAPI document drives a typed client', () => {
  let workspace: string;
  let t: TestApp;
  let document: Document;
  let conformance: Conformance;
  let baseUrl: string;
  /** What the scenario made, for the typed client to read and write. */
  const made: { contractId?: string; instanceId?: string; enrolment?: Enrolment; eventId?: string } = {};

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({
      workspace,
      now: '2026-01-05T09:00:00Z',
      workflows: [...programmeWorkflows(), sampleDeadlineV1, sampleDeadlineV2],
      config: { smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, outboxRetryForHours: 0 },
    });
    await new Promise<void>((done) => t.app.getHttpServer().listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as Document;
    conformance = new Conformance(document);
  });

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  it('declares a success schema for every operation and the one Problem schema on every error status', () => {
    const missing: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => /^2\d\d$/.test(s));
      const twoSuccesses =
        CREATED_OR_CHANGED.includes(operation.operationId) &&
        JSON.stringify(success) === JSON.stringify(['200', '201']) &&
        JSON.stringify(operation.responses['200'].content) === JSON.stringify(operation.responses['201'].content);
      if (success.length !== 1 && !twoSuccesses) missing.push(`${where}: ${success.length} success statuses`);
      for (const status of success) {
        const content = operation.responses[status].content ?? {};
        if (!Object.values(content).some((media) => media.schema && (media.schema.$ref || media.schema.type)))
          missing.push(`${where} ${status}: no schema`);
      }
      if (!statuses.includes('400')) missing.push(`${where}: no 400`);
      for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
        const content = operation.responses[status].content;
        const exception = NOT_A_PROBLEM[operation.operationId];
        const expected =
          exception?.status === status
            ? { 'application/json': { schema: { $ref: `#/components/schemas/${exception.schema}` } } }
            : { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
        if (JSON.stringify(content) !== JSON.stringify(expected)) {
          missing.push(`${where} ${status}: ${JSON.stringify(content)}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(document.components.schemas.Problem).toMatchObject({
      additionalProperties: true,
      required: ['type', 'title', 'status', 'detail', 'instance', 'correlationId'],
      properties: { rule: { type: 'string' }, errors: { type: 'array' }, correlationId: { type: 'string' } },
    });
  });

  it('names every operation readably and once, and asks for the bearer token on all but the public ones', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(74);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z]+$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids).toEqual(
      expect.arrayContaining([
        'getContract',
        'recordAttendance',
        'sendEvent',
        'getInstance',
        'nominateTandem',
        'giveNotice',
      ]),
    );

    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const unguarded = operations
      .filter(({ operation }) => JSON.stringify(operation.security) !== JSON.stringify([{ bearer: [] }]))
      .map(({ operation }) => operation.operationId);
    expect(unguarded.sort()).toEqual([...PUBLIC].sort());
    for (const { operation } of operations) {
      const signedIn = !PUBLIC.includes(operation.operationId);
      expect({
        id: operation.operationId,
        401: '401' in operation.responses,
        403: '403' in operation.responses,
      }).toEqual({ id: operation.operationId, 401: signedIn || operation.operationId === 'signIn', 403: signedIn });
    }
  });

  it('declares each parameter once; Idempotency-Key is optional where writes take it', () => {
    const duplicates: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const names = (operation.parameters ?? []).map((p) => `${p.in}:${String(p.name).toLowerCase()}`);
      for (const name of names.filter((n, i) => names.indexOf(n) !== i))
        duplicates.push(`${method.toUpperCase()} ${path} ${name}`);
    }
    expect(duplicates).toEqual([]);
    for (const [path, method] of [
      ['/instances', 'post'],
      ['/instances/{id}/events', 'post'],
    ]) {
      expect(
        document.paths[path][method].parameters?.filter((p) => String(p.name).toLowerCase() === 'idempotency-key'),
      ).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]);
    }
  });

  it('answers every operation, in both programmes and the generic API, with what its schema declares', async () => {
    const http = checkedAgent(t, conformance);
    const world = new QualificationWorld({ ...t, http });
    const ok = async (call: request.Test, status = 200) => {
      const response = await call;
      if (response.status !== status)
        throw new Error(`${response.status} instead of ${status}: ${JSON.stringify(response.body)}`);
      return response.body;
    };

    // Public and sign-in.
    await ok(http.get('/health'));
    await t.app.get(AccountsService).create({
      username: 'institut.openapi',
      password: 'a long test password',
      role: 'institute',
      actorId: 'institut',
      name: 'Institut',
    });
    const signedIn = await ok(
      http.post('/auth/token').send({ username: 'institut.openapi', password: 'a long test password' }),
    );
    await http.post('/auth/token').send({ username: 'institut.openapi', password: 'wrong password!' }).expect(401);
    await ok(http.get('/auth/me').set({ Authorization: `Bearer ${signedIn.access_token}` }));
    const token = await ok(http.post('/auth/api-tokens').send({ name: 'Schulverwaltungssoftware' }), 201);
    await ok(http.get('/auth/api-tokens'));
    await ok(http.delete(`/auth/api-tokens/${token.id}`));
    await http
      .get('/auth/me')
      .set({ Authorization: `Bearer ${token.token}` })
      .expect(401);

    // Generic instances of a definition without a programme service.
    await ok(http.get('/definitions'));
    const instance = await ok(
      http
        .post('/instances')
        .set(as('district', 'koeln'))
        .set('Idempotency-Key', 'openapi-start')
        .send({ definition: 'sample-deadline', version: 1, input: { title: 'Antrag', decideBy: '2026-03-20' } }),
      201,
    );
    await ok(
      http
        .post(`/instances/${instance.id}/events`)
        .set(as('district', 'koeln'))
        .set('Idempotency-Key', 'openapi-submit')
        .send({ type: 'SUBMIT' }),
    );
    await http
      .post(`/instances/${instance.id}/events`)
      .set(as('district', 'koeln'))
      .send({ type: 'SUBMIT' })
      .expect(409);
    await ok(http.get(`/instances/${instance.id}`));
    await ok(http.get('/instances').query({ definition: 'sample-deadline' }));
    await ok(http.get(`/instances/${instance.id}/journal`));
    await http
      .get(`/instances/${instance.id}/diagram.svg`)
      .expect(200)
      .expect('Content-Type', /^image\/svg\+xml/);
    await ok(http.post(`/instances/${instance.id}/migrate`).send({ toVersion: 2 }));
    await http.get('/instances/00000000-0000-4000-8000-000000000000').expect(404);
    made.instanceId = instance.id;

    // Contracts: the Kommune's administrator has signed in once, so the Land may name them.
    await ok(http.get('/auth/me').set(kommune));
    const contract = await ok(http.post('/contracts').set(land).send(contractOf('Emsland')), 201);
    const act = (path: string, headers: Record<string, string>, body: object) =>
      ok(http.post(`/contracts/${contract.id}${path}`).set(headers).send(body), 201);
    await act('/evaluations', kommune, { ...letter('Evaluationsbericht 2026'), summary: 'Netzwerk trägt' });
    await act('/review-decisions', land, {
      decision: 'continue',
      decidedOn: '2026-01-05',
      reference: 'Lenkungsgruppe 2026/1',
    });
    const seconded = await act('/secondments', land, {
      ...letter('Abordnung 2026/1'),
      coordinator: 'Jana Voss',
      from: '2026-02-01',
      weeklyHours: 20,
      regularWeeklyHours: 25,
      hoursReason: 'Aufbau des Bildungsbüros',
    });
    expect(seconded.warnings.map((w: { rule: string }) => w.rule)).toContain('secondment-over-half-regular-hours');
    await act('/secondments/S1/decisions', land, {
      ...letter('Abordnung 2026/2'),
      decision: 'extend',
      until: '2030-01-31',
    });
    await act('/secondments/S1/kommune-consents', kommune, letter('LK 2026/4'));
    await act('/secondments/S1/qualifications', land, {
      ...letter('MK 2026/5'),
      course: 'Qualifizierung Bildungskoordination',
    });
    await act('/school-authority-representatives', land, { ...letter('NLSchB 2026/1'), name: 'Jonas Wiese' });
    await act('/kommune-resources', kommune, {
      ...letter('KT 2026/2'),
      officeStaffFte: 2.5,
      officeMaterialEuroPerYear: 18000,
      coordinatorExpensesEuroPerYear: null,
      note: 'Haushalt 2026',
    });
    await act('/amendments', kommune, { ...letter('LK 2026/6'), title: 'Zweite Bildungskoordination' });
    await act('/amendments/A1/confirmations', land, letter('MK 2026/7'));
    await act('/annual-reports', kommune, letter('Rechenschaftsbericht 2026'));
    await act('/notices', kommune, letter('LK 2026/8'));
    await http.post(`/contracts/${contract.id}/notices`).set(land).send(letter('MK 2026/9')).expect(409);
    await http
      .post(`/contracts/${contract.id}/annual-reports`)
      .set(kommune)
      .send({ receivedOn: '2026-01-05' })
      .expect(422);
    await http
      .post(`/contracts/${contract.id}/annual-reports`)
      .set(kommune)
      .send({ receivedOn: '2026-02-30', reference: 'x' })
      .expect(400);
    const other = await ok(http.post('/contracts').set(land).send(contractOf('Heidekreis')), 201);
    await ok(
      http
        .post(`/contracts/${other.id}/extraordinary-terminations`)
        .set(land)
        .send({ ...letter('MK 2026/10'), reason: 'Mittel gesperrt' }),
      201,
    );
    await ok(http.get(`/contracts/${contract.id}`).set(kommune));
    await ok(http.get('/contracts/deadlines').set(land));
    const calculated = await ok(
      http.get('/contracts/notice-calculator').set(land).query({ receivedOn: '2026-07-01', effectiveOn: '2027-06-30' }),
    );
    expect(calculated).toMatchObject({
      received: { takesEffectOn: '2027-06-30' },
      effective: { lastDayToGiveNotice: '2026-12-31' },
    });
    await http.get('/contracts/notice-calculator').set(land).query({ effectiveOn: '2027-05-31' }).expect(422);
    made.contractId = contract.id;

    // Tandem qualification: directory, enrolments, a group's three events, certificates, next year's exchange.
    await ok(http.get('/districts'));
    await ok(http.put('/districts/koeln/need').set(INSTITUTE).send({ need: 3 }));
    const tandem = await world.registered('koeln', ['de', 'en']);
    const leaving = await world.registered('detmold');
    await ok(http.get('/networks').set(as('district', 'koeln')));
    const group = await world.group('Gruppe OpenAPI', CURRICULUM);
    await world.place(tandem, group.id);
    await world.place(leaving, group.id);
    const newcomer = await world.person('detmold', 'upper');
    const changed = await ok(
      http
        .post(`/tandems/${leaving.id}/member-change`)
        .set(as('district', 'detmold'))
        .send({ leavingPersonId: leaving.upper.id, joiningPersonId: newcomer.id }),
      201,
    );
    expect(changed.reformed.status).toBe('reformed');
    await ok(
      http
        .post(`/enrolments/${changed.enrolment.id}/withdrawal`)
        .set(as('district', 'detmold'))
        .send({ reason: 'Wechsel in eine andere Funktion' }),
    );
    await ok(http.get('/enrolments').set(as('district', 'koeln')));
    await ok(http.get(`/enrolments/${tandem.enrolmentId}`).set(as('district', 'koeln')));
    await ok(http.get('/groups').set(as('moderator', group.moderators[0])));
    await ok(http.get(`/groups/${group.id}`).set(INSTITUTE));
    // A second group's schedule changes before it begins: an event added, then cancelled, one moved, another moderator tandem.
    // Next year's group, so this year's evaluation report below counts only the first group's events.
    const rescheduled = await world.group(
      'Gruppe Änderungen',
      CURRICULUM.map((e) => ({ ...e, days: e.days.map((d) => d.replace('2026', '2027')) })),
    );
    const added = await ok(
      http
        .post(`/groups/${rescheduled.id}/events`)
        .set(INSTITUTE)
        .send({
          module: 'data-informed-steering',
          title: 'Datengestützte Steuerung',
          titleEn: 'Data-informed steering',
          days: ['2027-10-11'],
          startTime: '09:00',
          hours: 8,
          place: 'Köln',
          reason: 'Zusätzlicher Block',
        }),
      201,
    );
    const further = added.events.find((e: { module: string }) => e.module === 'data-informed-steering');
    await ok(http.post(`/events/${further.id}/cancellation`).set(INSTITUTE).send({ reason: 'Referentin erkrankt' }));
    await ok(
      http
        .post(`/events/${rescheduled.events[0].id}/changes`)
        .set(INSTITUTE)
        .send({ days: ['2027-02-02'], startTime: '10:00', place: 'Bonn', reason: 'Tagungshaus belegt' }),
    );
    const { moderatorTandemId } = await ok(http.get(`/groups/${group.id}`).set(INSTITUTE));
    await ok(http.put(`/groups/${rescheduled.id}/moderator-tandem`).set(INSTITUTE).send({ moderatorTandemId }));

    const [moderator] = group.moderators;
    const members = [tandem.lower.id, tandem.upper.id];
    for (const [index, event] of group.events.entries()) {
      await t.scheduler.advanceTo(`${event.days[0]}T14:00:00Z`);
      await world.attendance(event.id, moderator, members);
      if (group.reflectionPhases[index])
        await ok(
          http.post(`/reflection-phases/${group.reflectionPhases[index].id}/closure`).set(as('moderator', moderator)),
        );
    }
    const [first] = group.events;
    await ok(
      http
        .post(`/events/${first.id}/evaluations`)
        .set(as('participant', tandem.lower.id))
        .send({ rating: 5, comment: 'Hilfreich' }),
      201,
    );
    await ok(http.get(`/events/${first.id}/evaluations`).set(INSTITUTE));
    await ok(http.get(`/events/${first.id}/attendance`).set(as('moderator', moderator)));
    const issued = await ok(http.post(`/enrolments/${tandem.enrolmentId}/certificates`).set(INSTITUTE), 201);
    await ok(http.get(`/enrolments/${tandem.enrolmentId}/certificates`).set(INSTITUTE));
    const own = await ok(http.get(`/persons/${tandem.upper.id}/certificates`).set(as('participant', tandem.upper.id)));
    await http.get(own[0].pdf).set(as('participant', tandem.upper.id)).expect(200);
    await ok(http.get(`/certificates/verify/${issued[0].code}`));
    await http.get('/certificates/verify/AAAA-BBBB-CCCC').expect(404);
    // The day after the last event: the scenario's clock reaches it below, so the exchange can be evaluated.
    const exchange = await ok(
      http.post('/exchanges').set(INSTITUTE).send({ on: '2026-03-03', place: 'Düsseldorf' }),
      201,
    );
    await ok(http.get('/exchanges').set(INSTITUTE));
    const tasks = await ok(http.get(`/persons/${tandem.lower.id}/tasks`).set(as('participant', tandem.lower.id)));
    await ok(
      http
        .post(`/exchange-invitations/${tasks[0].id}/answer`)
        .set(as('participant', tandem.lower.id))
        .send({ accept: true }),
    );
    await ok(http.get(`/persons/${tandem.lower.id}/schedule`).set(as('participant', tandem.lower.id)));
    await ok(http.get('/overview'));
    made.enrolment = tandem;
    made.eventId = first.id;

    // Calendars: feeds with their ETag, 304 when unchanged, and a secret subscription URL.
    const feed = await http.get(`/groups/${group.id}/calendar.ics`).set(INSTITUTE).expect(200);
    await http
      .get(`/groups/${group.id}/calendar.ics`)
      .set(INSTITUTE)
      .set('If-None-Match', feed.headers.etag)
      .expect(304);
    await http.get(`/persons/${tandem.lower.id}/calendar.ics`).set(as('participant', tandem.lower.id)).expect(200);
    const subscription = await ok(
      http.post('/calendar-subscriptions').set(as('participant', tandem.lower.id)).send({}),
      201,
    );
    await ok(http.get('/calendar-subscriptions').set(as('participant', tandem.lower.id)));
    await http.get(subscription.path).expect(200);
    await ok(http.delete(`/calendar-subscriptions/${subscription.id}`).set(as('participant', tandem.lower.id)));
    await http.get(subscription.path).expect(404);

    // Notifications: the SMTP server is down and no retry period is allowed, so every mail is a dead letter.
    await t.scheduler.advanceTo('2026-03-03T09:00:00Z');
    const failed = await ok(http.get('/notifications').query({ status: 'failed', pageSize: 5 }));
    expect(failed.items.length).toBeGreaterThan(0);
    await ok(http.get(`/notifications/${failed.items[0].id}`));
    await ok(http.post(`/notifications/${failed.items[0].id}/resend`));
    await http.post(`/notifications/${failed.items[1].id}/resend`).set(as('district', 'koeln')).expect(403);
    await ok(
      http.post('/notifications/resend').send({ kind: 'mail', queuedFrom: '2026-01-01', queuedBefore: '2027-01-01' }),
    );

    // Evaluation: the exchange is held today; a member of the tandem that accepted evaluates it; the ministry reads
    // the results and the year's report in its three forms, and records, changes and cancels its meeting.
    await ok(
      http
        .post(`/exchanges/${exchange.id}/evaluations`)
        .set(as('participant', tandem.upper.id))
        .send({ rating: 4, comment: 'Guter Austausch' }),
      201,
    );
    await ok(http.get(`/exchanges/${exchange.id}/evaluations`));
    const report = await ok(http.get('/evaluation/reports/2026'));
    expect(report.total).toMatchObject({ events: 3, exchanges: 1, responses: 2 });
    await http
      .get('/evaluation/reports/2026.csv')
      .query({ lang: 'en' })
      .expect(200)
      .expect('Content-Type', /^text\/csv/);
    await http.get('/evaluation/reports/2026.pdf').expect(200).expect('Content-Type', 'application/pdf');
    const meeting = {
      on: '2026-11-19',
      place: 'Düsseldorf',
      recipients: [{ name: 'Dr. Jana Küpper', email: 'jana.kuepper@msb.nrw.example' }],
    };
    await ok(http.put('/evaluation/meetings/2026').send(meeting), 201);
    await ok(http.put('/evaluation/meetings/2026').send({ ...meeting, on: '2027-01-14' }));
    await ok(http.get('/evaluation/meetings'));
    await ok(http.get('/evaluation/meetings/2026'));
    await ok(http.delete('/evaluation/meetings/2026'));
    await http.get('/evaluation/meetings/2025').expect(404);

    // Master data: lists, records and their history in scope, a correction of each kind; the audit log; data
    // protection: an export and the erasure of a person nothing refers to.
    const koeln = as('district', 'koeln');
    await ok(http.get('/persons').query({ search: 'Unter' }));
    const person = await ok(http.get(`/persons/${tandem.lower.id}`));
    const corrected = await ok(
      http
        .patch(`/persons/${tandem.lower.id}`)
        .set(koeln)
        .set('Idempotency-Key', 'openapi-person')
        .send({ language: 'en', note: 'Sprache korrigiert' }),
    );
    expect(corrected.corrected).toEqual(['language']);
    await ok(http.get(`/persons/${tandem.lower.id}/history`));
    await ok(http.get('/tandems').query({ district: 'koeln' }));
    await ok(http.get(`/tandems/${tandem.id}`));
    const unnominated = await world.tandem('koeln');
    await ok(
      http
        .patch(`/tandems/${unnominated.id}`)
        .set(koeln)
        .send({ networkId: await world.network('koeln'), note: 'anderes Netzwerk' }),
    );
    await ok(http.get(`/tandems/${unnominated.id}/history`));
    await ok(http.get('/school-offices').set(koeln));
    await ok(http.get(`/school-offices/${person.schoolOfficeId}`));
    await ok(
      http.patch(`/school-offices/${person.schoolOfficeId}`).set(koeln).send({ name: 'Schulamt für die Stadt Köln' }),
    );
    await ok(http.get(`/school-offices/${person.schoolOfficeId}/history`));
    await ok(http.get(`/networks/${tandem.networkId}`));
    await ok(http.patch(`/networks/${tandem.networkId}`).set(koeln).send({ name: 'Regionales Bildungsnetzwerk Köln' }));
    await ok(http.get(`/networks/${tandem.networkId}/history`));
    await http.patch(`/persons/${tandem.lower.id}`).set(koeln).send({}).expect(422);
    await ok(http.get('/audit').query({ person: tandem.lower.id, from: '2026-01-01' }));
    await http.get('/audit').query({ from: '2026-03-02', to: '2026-03-01' }).expect(422);
    await ok(http.get(`/persons/${tandem.lower.id}/export`));
    const stray = await world.person('koeln', 'upper');
    expect((await ok(http.post(`/persons/${stray.id}/erasure`).send({ reference: 'DS-OPENAPI-1' }))).outcome).toBe(
      'erased',
    );
    // Exports and the papers to print.
    for (const list of ['enrolments', 'attendance', 'deadlines', 'certificates']) {
      await http
        .get(`/exports/${list}.csv`)
        .set(INSTITUTE)
        .expect(200)
        .expect('Content-Type', /^text\/csv/);
      await http
        .get(`/exports/${list}.xlsx`)
        .set(INSTITUTE)
        .expect(200)
        .expect('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }
    await http.get('/exports/enrolments.pdf').set(INSTITUTE).expect(400);
    await http
      .get(`/groups/${group.id}/roster.pdf`)
      .set(INSTITUTE)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    await http
      .get(`/events/${first.id}/sign-in-sheet.pdf`)
      .set(INSTITUTE)
      .expect(200)
      .expect('Content-Type', 'application/pdf');

    expect(conformance.violations).toEqual([]);
    const answeredWithSuccess = new Set(
      [...conformance.answered].filter((a) => /\s2\d\d$/.test(a)).map((a) => a.split(' ')[0]),
    );
    const uncalled = operationsOf(document)
      .map(({ operation }) => operation.operationId)
      .filter((id) => !answeredWithSuccess.has(id));
    // A new operation belongs in the scenario above, so that its answers are checked too.
    expect(uncalled).toEqual([]);
  });

  it('generates types from /docs-json that a strict openapi-fetch client compiles against, and the client runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotse-client-'));
    try {
      symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const served = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenAPI3;
      writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(served)));
      writeFileSync(
        join(dir, 'every-operation.ts'),
        everyOperationTyped(operationsOf(document).map(({ operation }) => operation.operationId)),
      );
      writeFileSync(join(dir, 'client.ts'), CLIENT);

      const program = ts.createProgram([join(dir, 'client.ts'), join(dir, 'every-operation.ts')], {
        strict: true,
        noEmitOnError: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2023,
        lib: ['lib.es2023.d.ts'],
        types: ['node'],
        skipLibCheck: true,
        outDir: join(dir, 'out'),
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
        const at =
          d.file && d.start !== undefined
            ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
            : '';
        return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
      expect(diagnostics).toEqual([]);
      expect(program.emit().emitSkipped).toBe(false);

      const input = {
        baseUrl,
        land: land.Authorization,
        kommune: kommune.Authorization,
        district: as('district', 'koeln').Authorization,
        participant: as('participant', made.enrolment!.upper.id).Authorization,
        contractId: made.contractId,
        instanceId: made.instanceId,
        enrolmentId: made.enrolment!.enrolmentId,
        eventId: made.eventId,
      };
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'out', 'client.js')], {
        env: { ...process.env, LOTSE_CLIENT_INPUT: JSON.stringify(input) },
      });
      expect(JSON.parse(stdout)).toEqual({
        contract: { status: 'notice-given', annualReports: 2 },
        noticeRefused: { status: 409, rule: 'notice-pending' },
        enrolment: { status: 'alumni', evaluated: 4 },
        instance: { state: 'submitted', notes: 1, repeatedRevision: true },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * For every operation: its success body and its error body are real types (not never, unknown or any), so a client
 * calling any operation gets typed answers.
 */
function everyOperationTyped(operationIds: string[]): string {
  return `import type { operations } from './api.js';
type Real<T> = 0 extends 1 & T ? false : [T] extends [never] ? false : unknown extends T ? false : true;
type Bodies<Op, Status> = Op extends { responses: infer R }
  ? { [S in keyof R & Status]: R[S] extends { content: infer C } ? C[keyof C] : never }[keyof R & Status] : never;
type Success<Op> = Bodies<Op, 200 | 201>;
type Failure<Op> = Bodies<Op, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503>;
${operationIds.map((id) => `export const ${id}: [Real<Success<operations['${id}']>>, Real<Failure<operations['${id}']>>] = [true, true];`).join('\n')}
`;
}

/** The client a programmer would write: a read and a write of each programme and of the generic instance API. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

/** Compiles only for a real type: not never, unknown or any. */
type Real<T> = 0 extends 1 & T ? false : [T] extends [never] ? false : unknown extends T ? false : true;
function typed<T>(value: T | undefined, real: Real<T>): T {
  if (value === undefined || !real) throw new Error('no answer');
  return value;
}

const input = JSON.parse(process.env.LOTSE_CLIENT_INPUT ?? '{}') as {
  baseUrl: string; land: string; kommune: string; district: string; participant: string;
  contractId: string; instanceId: string; enrolmentId: string; eventId: string;
};
const lotse = createClient<paths>({ baseUrl: input.baseUrl });
const signedIn = (authorization: string) => ({ Authorization: authorization });

// Cooperation contracts: a write, the read after it, and a refusal typed as Problem.
const reported = await lotse.POST('/contracts/{id}/annual-reports', {
  params: { path: { id: input.contractId } }, headers: signedIn(input.kommune), body: { receivedOn: '2026-03-03', reference: 'Rechenschaftsbericht 2026-2' },
});
const warnings: { rule: string }[] | undefined = typed(reported.data, true).warnings;
const contract = typed((await lotse.GET('/contracts/{id}', { params: { path: { id: input.contractId } }, headers: signedIn(input.land) })).data, true);
const status: 'active' | 'review-due' | 'notice-given' | 'terminated' = contract.status;
const effectiveOn: string | undefined = contract.notice?.effectiveOn;
const refused = await lotse.POST('/contracts/{id}/notices', { params: { path: { id: input.contractId } }, headers: signedIn(input.land), body: { receivedOn: '2026-03-03', reference: 'MK 2026/11' } });
const problem = typed(refused.error, true);
const rule: string | undefined = problem.rule;

// Tandem qualification: a participant evaluates an event, the district reads the enrolment.
const evaluation = await lotse.POST('/events/{id}/evaluations', { params: { path: { id: input.eventId } }, headers: signedIn(input.participant), body: { rating: 4 } });
const rating: number = typed(evaluation.data, true).rating;
const enrolment = typed((await lotse.GET('/enrolments/{id}', { params: { path: { id: input.enrolmentId } }, headers: signedIn(input.district) })).data, true);
const waitlistPosition: number | null = enrolment.waitlistPosition;

// Generic instances: an event with an idempotency key, sent twice, and the instance read back.
const note = { params: { path: { id: input.instanceId }, header: { 'Idempotency-Key': 'client-note-1' } }, headers: signedIn(input.district), body: { type: 'NOTE' } };
const sent = typed((await lotse.POST('/instances/{id}/events', note)).data, true);
const repeated = typed((await lotse.POST('/instances/{id}/events', note)).data, true);
const accepted: string[] = sent.acceptedEvents;
const instance = typed((await lotse.GET('/instances/{id}', { params: { path: { id: input.instanceId } }, headers: signedIn(input.district) })).data, true);
const dueAt: string | undefined = instance.pendingTimers[0]?.dueAt;

process.stdout.write(JSON.stringify({
  contract: { status, annualReports: contract.annualReports.length },
  noticeRefused: { status: refused.response.status, rule },
  enrolment: { status: enrolment.status, evaluated: rating },
  instance: { state: instance.state, notes: instance.context.notes, repeatedRevision: repeated.revision === sent.revision },
}));
void [warnings, effectiveOn, waitlistPosition, accepted, dueAt];
`;
