/**
 * The Lower Saxon half of `npm run demo`: four Bildungsregion contracts, one in each state of the cycle, made
 * through the contract service on the demo's fake clock, so that their journals, deadlines and reminders are what
 * the service would have produced:
 * - running: Heidekreis, with its coordinator seconded, the Kommune's resources and its annual reports;
 * - review due: Celle, whose three years ran out some months ago; its evaluation is in, the decision is not;
 * - notice given: Goslar, the Kommune's notice received a month ago, effective on the next possible day;
 * - terminated: Emsland, the Land's notice took effect at the end of last year.
 */
import type { INestApplication } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { SignedInActor } from './auth/policy.js';
import type { CreateContractDto } from './contracts/contracts.dto.js';
import { ContractsService } from './contracts/contracts.service.js';

export const LAND_ADMIN: SignedInActor = { id: 'mk-vertrag', role: 'contract_admin', partner: 'land', via: 'person' };
export const KOMMUNE_ADMIN: SignedInActor = {
  id: 'lk-vertrag',
  role: 'contract_admin',
  partner: 'kommune',
  via: 'person',
};

const ADMINS = [
  {
    id: LAND_ADMIN.id,
    name: 'Petra Lange',
    email: 'petra.lange@mk.niedersachsen.example',
    language: 'de' as const,
    partner: 'land' as const,
  },
  {
    id: KOMMUNE_ADMIN.id,
    name: 'Sam Okafor',
    email: 'sam.okafor@landkreis.example',
    language: 'de' as const,
    partner: 'kommune' as const,
  },
];

export interface DemoStep {
  when: DateTime;
  run: () => Promise<unknown>;
}

const day = (when: DateTime) => when.toISODate()!;

/**
 * Creates the contracts now (the clock stands at `from`) and returns the later acts as steps for the demo to run
 * in time order. `present` is the day the demo plays up to.
 */
export async function demoContracts(app: INestApplication, from: DateTime, present: DateTime): Promise<DemoStep[]> {
  const contracts = app.get(ContractsService);
  const create = (name: string, kommune: CreateContractDto['kommune'], startsOn: DateTime) =>
    contracts.create(LAND_ADMIN, {
      bildungsregion: `Bildungsregion ${name}`,
      kommune,
      steeringCommittee: `Lenkungsgruppe Bildungsregion ${name}`,
      regionalOffice: `Bildungsbüro ${name}`,
      startsOn: day(startsOn),
      signedOn: day(startsOn.minus({ weeks: 6 })),
      reference: `MK 31-81 403/${startsOn.year}-${name.slice(0, 3).toUpperCase()}`,
      admins: ADMINS,
    });
  const steps: DemoStep[] = [];

  // Running: started a year before the demo's first day, so its first review lies ahead.
  const heideStart = from.minus({ years: 1 }).startOf('month');
  const heide = await create('Heidekreis', { name: 'Landkreis Heidekreis', kind: 'landkreis' }, heideStart);
  await contracts.secondCoordinator(LAND_ADMIN, heide.id, {
    coordinator: 'Jana Voss',
    from: day(heideStart),
    weeklyHours: 12.5,
    regularWeeklyHours: 25.5,
    receivedOn: day(heideStart.minus({ weeks: 4 })),
    reference: 'Abordnung 2024/17',
    kommuneConsent: { receivedOn: day(heideStart.minus({ weeks: 5 })), reference: 'Einvernehmen LK Heidekreis' },
  });
  await contracts.recordKommuneResources(KOMMUNE_ADMIN, heide.id, {
    officeStaffFte: 2.5,
    officeMaterialEuroPerYear: 18000,
    receivedOn: day(heideStart.minus({ weeks: 3 })),
    reference: 'Kreistagsbeschluss 2024/112',
  });
  /** Each year's report of the regional office, two weeks after the anniversary, up to `until`. */
  const reports = (contractId: string, startsOn: DateTime, until: DateTime) => {
    for (let n = 1; startsOn.plus({ years: n, weeks: 2 }) < until; n++) {
      // A report the demo's first day has already passed is recorded on that day.
      const on = DateTime.max(startsOn.plus({ years: n, weeks: 2 }), from.plus({ hours: 1 }));
      steps.push({
        when: on.set({ hour: 10 }),
        run: () =>
          contracts.recordAnnualReport(KOMMUNE_ADMIN, contractId, {
            receivedOn: day(on),
            reference: `Jahresbericht ${n}`,
          }),
      });
    }
  };
  reports(heide.id, heideStart, present);

  // Review due: its three years ran out some months ago; the evaluation came in before, the decision has not.
  const celleStart = present.minus({ years: 3, months: 3 }).startOf('month');
  const celle = await create('Celle', { name: 'Landkreis Celle', kind: 'landkreis' }, celleStart);
  reports(celle.id, celleStart, present);
  const evaluated = present.minus({ months: 5 });
  steps.push({
    when: evaluated.set({ hour: 11 }),
    run: () =>
      contracts.recordEvaluation(LAND_ADMIN, celle.id, {
        receivedOn: day(evaluated),
        reference: 'Evaluationsbericht Bildungsregion Celle',
        summary: 'Wirkungsüberprüfung mit Empfehlung zur Fortführung',
      }),
  });

  // Notice given: the Kommune's letter came a month ago; it takes effect on the next 30 June or 31 December it can.
  const goslarStart = from.minus({ years: 2 }).startOf('month');
  const goslar = await create('Goslar', { name: 'Landkreis Goslar', kind: 'landkreis' }, goslarStart);
  reports(goslar.id, goslarStart, present);
  const noticed = present.minus({ months: 1 });
  steps.push({
    when: noticed.set({ hour: 9 }),
    run: () =>
      contracts.giveNotice(KOMMUNE_ADMIN, goslar.id, { receivedOn: day(noticed), reference: 'Kreisausschuss 2026/41' }),
  });

  // Terminated: the Land's notice, received in the demo's first month, took effect at the end of that half-year.
  const emslandStart = from.minus({ years: 4 }).startOf('month');
  const emsland = await create('Emsland', { name: 'Landkreis Emsland', kind: 'landkreis' }, emslandStart);
  const terminated = from.plus({ weeks: 3 });
  reports(emsland.id, emslandStart, terminated);
  steps.push({
    when: terminated.set({ hour: 9 }),
    run: () =>
      contracts.giveNotice(LAND_ADMIN, emsland.id, {
        receivedOn: day(terminated),
        reference: 'MK 31-81 Kündigung Emsland',
      }),
  });
  return steps;
}
