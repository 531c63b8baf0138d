/**
 * Builders for the tandem qualification's end-to-end tests: every object is made through the HTTP API, as the
 * district, institute or moderator would make it. `count` reads the SQLite file, to show that a refusal stored
 * nothing.
 */
import { expect } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dayOf } from '../workflows/shared/calendar-day.js';
import { as, type TestApp } from './support/harness.js';

export interface Person {
  id: string;
  name: string;
  email: string;
}
export interface Tandem {
  id: string;
  lower: Person;
  upper: Person;
  networkId: string;
  district: string;
}
export interface Enrolment extends Tandem {
  enrolmentId: string;
}

export const CURRICULUM = [
  { module: 'tandem-team', days: ['2026-03-02', '2026-03-03'], hours: 16, place: 'Soest' },
  { module: 'regional-education-management', days: ['2026-04-20', '2026-04-21'], hours: 16, place: 'Soest' },
  { module: 'cooperation-interfaces', days: ['2026-06-08', '2026-06-09'], hours: 16, place: 'Dortmund' },
  {
    module: 'data-informed-steering',
    title: 'Datengestützte Steuerung',
    titleEn: 'Data-informed steering',
    days: ['2026-09-14', '2026-09-15'],
    hours: 16,
    place: 'Soest',
  },
];

export const INSTITUTE = as('institute', 'institut');

export class QualificationWorld {
  private seq = 0;

  constructor(private readonly t: TestApp) {}

  private next(): number {
    return ++this.seq;
  }

  async ok(
    method: 'post' | 'get' | 'put',
    path: string,
    headers: Record<string, string>,
    body?: object,
    status?: number,
  ) {
    const request = this.t.http[method](path).set(headers);
    const response = await (body ? request.send(body) : request);
    if (status ? response.status !== status : response.status >= 300) {
      throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  async count(table: string): Promise<number> {
    const rows = await this.t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0].n);
  }

  async person(district: string, supervision: 'lower' | 'upper', language: 'de' | 'en' = 'de'): Promise<Person> {
    const n = this.next();
    const office =
      supervision === 'lower'
        ? {
            schoolOfficeId: (
              await this.ok('post', '/school-offices', as('district', district), {
                name: `Schulamt ${n}`,
                districtId: district,
              })
            ).id,
          }
        : {};
    const name = `${supervision === 'lower' ? 'Lena Unter' : 'Otto Ober'} ${n}`;
    const email = `${supervision}${n}@${district}.example.org`;
    const body = await this.ok('post', '/persons', as('district', district), {
      name,
      email,
      language,
      supervision,
      districtId: district,
      ...office,
    });
    return { id: body.id, name, email };
  }

  async network(district: string): Promise<string> {
    return (
      await this.ok('post', '/networks', as('district', district), {
        name: `Bildungsnetzwerk ${this.next()}`,
        districtId: district,
      })
    ).id;
  }

  async tandem(district: string, languages: ['de' | 'en', 'de' | 'en'] = ['de', 'de']): Promise<Tandem> {
    const networkId = await this.network(district);
    const lower = await this.person(district, 'lower', languages[0]);
    const upper = await this.person(district, 'upper', languages[1]);
    const body = await this.ok('post', '/tandems', as('district', district), {
      networkId,
      lowerMemberId: lower.id,
      upperMemberId: upper.id,
    });
    return { id: body.id, lower, upper, networkId, district };
  }

  async nominate(tandem: Tandem): Promise<Enrolment> {
    const body = await this.ok('post', '/enrolments', as('district', tandem.district), { tandemId: tandem.id });
    expect(body.status).toBe('nominated');
    return { ...tandem, enrolmentId: body.id };
  }

  async registered(district: string, languages?: ['de' | 'en', 'de' | 'en']): Promise<Enrolment> {
    const enrolment = await this.nominate(await this.tandem(district, languages));
    const headers = as('district', district);
    // Both bodies were involved today, whatever day the test's clock shows.
    const today = dayOf(this.t.clock.now(), this.t.config.timeZone);
    await this.ok('post', `/enrolments/${enrolment.enrolmentId}/involvements`, headers, {
      body: 'staff-council',
      on: today,
      outcome: 'consent',
    });
    await this.ok('post', `/enrolments/${enrolment.enrolmentId}/involvements`, headers, {
      body: 'equal-opportunities',
      on: today,
    });
    const submitted = await this.ok('post', `/enrolments/${enrolment.enrolmentId}/submission`, headers);
    expect(submitted.status).toBe('registered');
    return enrolment;
  }

  /** A group with its own moderator tandem; returns the group and the moderators' ids. */
  async group(name: string, curriculum = CURRICULUM, capacity?: number) {
    const first = await this.ok('post', '/persons', INSTITUTE, {
      name: `Mona Moderation ${this.next()}`,
      email: `mod${this.seq}@institut.example.org`,
    });
    const second = await this.ok('post', '/persons', INSTITUTE, {
      name: `Max Moderation ${this.next()}`,
      email: `mod${this.seq}@institut.example.org`,
    });
    const moderatorTandem = await this.ok('post', '/moderator-tandems', as('ministry', 'msb'), {
      firstMemberId: first.id,
      secondMemberId: second.id,
    });
    const group = await this.ok('post', '/groups', INSTITUTE, {
      name,
      moderatorTandemId: moderatorTandem.id,
      ...(capacity ? { capacity } : {}),
    });
    const scheduled = curriculum.length
      ? await this.ok('post', `/groups/${group.id}/curriculum`, INSTITUTE, { events: curriculum })
      : group;
    return {
      id: group.id as string,
      events: scheduled.events as { id: string; module: string; days: string[] }[],
      reflectionPhases: scheduled.reflectionPhases as { id: string; dueOn: string }[],
      moderators: [first.id as string, second.id as string],
    };
  }

  async place(enrolment: Enrolment, groupId: string): Promise<{ status: string; waitlistPosition: number | null }> {
    return this.ok('post', `/enrolments/${enrolment.enrolmentId}/placement`, INSTITUTE, { groupId });
  }

  async attendance(eventId: string, moderatorId: string, present: string[], absent: string[] = []) {
    return this.ok('post', `/events/${eventId}/attendance`, as('moderator', moderatorId), {
      entries: [
        ...present.map((personId) => ({ personId, present: true })),
        ...absent.map((personId) => ({ personId, present: false })),
      ],
    });
  }

  async status(enrolment: Enrolment): Promise<string> {
    return (await this.ok('get', `/enrolments/${enrolment.enrolmentId}`, INSTITUTE)).status;
  }
}
