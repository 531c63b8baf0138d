import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LotseConfig } from '../../config/configuration.js';
import { addYears, dayOf } from '../../workflows/shared/calendar-day.js';
import { OPEN_STATES, PROGRAMME } from '../../workflows/tandem-qualification/model.js';
import { AuditLog } from '../audit/audit-log.js';
import { requireSelf, scopeOf } from '../auth/policy.js';
import { Clock } from '../engine/clock.js';
import { NotFound, OutOfScope, RuleViolation } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { CorrectionRow, PseudonymisedPersonRow } from '../master-data/master-data.entities.js';
import { MasterDataRepository } from '../master-data/master-data.repository.js';
import {
  mentionsPerson,
  standsFor,
  withoutOthersAddresses,
  type PersonMatch,
} from '../master-data/person-references.js';
import { WorkflowCopies } from '../master-data/workflow-copies.js';
import { holdsPerson } from '../../workflows/tandem-qualification/corrections.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { PersonRow } from '../qualification/entities.js';
import { isPseudonymAddress, pseudonymOf } from './pseudonym.js';
import { PrivacyRepository } from './privacy.repository.js';

/** Final states of an enrolment: its qualification is over for good. */
const ENDED_STATES = ['withdrawn', 'reformed'];
/** Why a message to a pseudonymised person that had not gone out is not sent. */
const STOPPED = 'not sent: the recipient was pseudonymised (DSGVO Art. 17)';
/** The retention job acts as the system. */
export const RETENTION_ACTOR: Actor = { id: 'retention-job', role: 'system' };

export interface ErasureOutcome {
  personId: string;
  outcome: 'erased' | 'pseudonymised';
  /** What stays, and why. */
  kept: string[];
  copies: { workflows: number; reminders: number; mails: number; stoppedMails: number; history: number };
}

/** Why a person cannot be erased now: the qualification of others depends on them. */
interface Participation {
  kind: 'enrolment' | 'moderated-group';
  id: string;
  state?: string;
}

/** What a pseudonymisation reached beyond the person's row. */
export interface CopyReport {
  /** Workflows that held a copy (each corrected through the engine, with a journal row). */
  workflows: number;
  reminders: number;
  /** Messages in the outbox rewritten, and of those the ones stopped before they went out. */
  mails: number;
  stoppedMails: number;
  /** Journal payloads, fired reminders and stored answers rewritten. */
  history: number;
  replacedKeys: string[];
}

function counts(report: CopyReport | null): ErasureOutcome['copies'] {
  return {
    workflows: report?.workflows ?? 0,
    reminders: report?.reminders ?? 0,
    mails: report?.mails ?? 0,
    stoppedMails: report?.stoppedMails ?? 0,
    history: report?.history ?? 0,
  };
}

/** Replaces every occurrence of the person's names and addresses in free text (a correction's note). */
function scrub(text: string, match: PersonMatch, pseudonym: { name: string; email: string }): string {
  let result = text;
  for (const name of match.names) result = result.split(name).join(pseudonym.name);
  for (const email of match.emails)
    result = result.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), pseudonym.email);
  return result;
}

/**
 * Data protection (DSGVO): everything about one person as JSON (Art. 15), erasure where no record of others needs the
 * person and pseudonymisation where one does (Art. 17), and the retention rule the scheduled job applies.
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    private readonly repository: PrivacyRepository,
    private readonly masterData: MasterDataRepository,
    private readonly copies: WorkflowCopies,
    private readonly audit: AuditLog,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  private async load(id: string): Promise<PersonRow> {
    const person = await this.repository.person(id);
    if (!person) throw new NotFound(`no person ${id}`, 'person-exists', { person: id });
    return person;
  }

  /** The person's id and every name and address it was known by (corrections included), lower-case addresses. */
  private identity(person: PersonRow, corrections: CorrectionRow[]): PersonMatch {
    const names = new Set([person.name]);
    const emails = new Set([person.email.toLowerCase()]);
    for (const { changes } of corrections) {
      for (const value of [changes.name?.from, changes.name?.to]) if (typeof value === 'string') names.add(value);
      for (const value of [changes.email?.from, changes.email?.to])
        if (typeof value === 'string') emails.add(value.toLowerCase());
    }
    return { id: person.id, names: [...names], emails: [...emails].filter((e) => !isPseudonymAddress(e)) };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Art. 15: access

  /** Everything Lotse holds about the person; for the ministry, or the person itself. */
  async export(actor: Actor, id: string) {
    const scope = scopeOf(actor);
    requireSelf(scope, id);
    if (scope.role === 'moderator' && scope.personId !== id) {
      throw new OutOfScope('a moderator exports only its own data', 'own-data', { person: id });
    }
    const person = await this.load(id);
    const corrections = await this.repository.corrections(id);
    const match = this.identity(person, corrections);
    const needles = [id, ...match.emails];
    const pseudonymised = await this.repository.isPseudonymised(id);
    const shown = (value: unknown) => withoutOthersAddresses(value, match);

    const tandems = await this.repository.tandemsOf(id);
    const enrolments = await this.repository.enrolmentsOf(tandems.map((t) => t.id));
    const states = await this.engine.statesOf(enrolments.map((e) => e.instanceId));
    const partners = new Map(
      (
        await this.masterData.personsByIds(
          tandems.map((t) => (t.lowerMemberId === id ? t.upperMemberId : t.lowerMemberId)),
        )
      ).map((p) => [p.id, p]),
    );
    const networks = new Map(
      (await this.masterData.networksByIds([...new Set(tandems.map((t) => t.networkId))])).map((n) => [n.id, n]),
    );
    const moderatorTandems = await this.repository.moderatorTandemsOf(id);
    const groups = await this.repository.groupsOf(moderatorTandems.map((m) => m.id));
    const attendance = await this.repository.attendanceOf(id);
    const events = new Map((await this.repository.eventsByIds(attendance.map((a) => a.eventId))).map((e) => [e.id, e]));
    const instances = (await this.copies.instancesHolding(needles)).filter((i) => mentionsPerson(i.context, match));
    // The whole journal of each workflow about the person (their enrolment's history), and any other entry naming them.
    const journal = await this.repository.journalHolding(
      id,
      needles,
      instances.map((i) => i.id),
    );
    const mails = (await this.repository.outboxHolding(needles)).filter(
      (row) => typeof row.payload.to === 'object' && standsFor(row.payload.to, match),
    );

    return {
      exportedAt: this.clock.now().toISOString(),
      basis: 'DSGVO Art. 15',
      person: {
        id: person.id,
        name: person.name,
        email: pseudonymised ? null : person.email,
        language: person.language,
        supervision: person.supervision,
        districtId: person.districtId,
        schoolOfficeId: person.schoolOfficeId,
        office: person.office,
        pseudonymised,
      },
      corrections: corrections.map((c) => ({
        at: c.at,
        actor: { id: c.actorId, role: c.actorRole },
        changes: c.changes,
        note: c.note,
      })),
      tandems: tandems.map((t) => {
        const partnerId = t.lowerMemberId === id ? t.upperMemberId : t.lowerMemberId;
        return {
          id: t.id,
          role: t.lowerMemberId === id ? 'lower' : 'upper',
          network: networks.get(t.networkId)?.name ?? null,
          partner: { id: partnerId, name: partners.get(partnerId)?.name ?? null },
          formedAt: t.formedAt,
          successorId: t.successorId,
        };
      }),
      enrolments: enrolments.map((e) => ({
        id: e.id,
        tandemId: e.tandemId,
        state: states.get(e.instanceId) ?? null,
        districtId: e.districtId,
        networkId: e.networkId,
        groupId: e.groupId,
        staffCouncilOn: e.staffCouncilOn,
        equalOpportunitiesOn: e.equalOpportunitiesOn,
        creditedModules: e.creditedModules,
        createdAt: e.createdAt,
      })),
      exchangeInvitations: (await this.repository.invitationsOf(enrolments.map((e) => e.id))).map((i) => ({
        id: i.id,
        exchangeId: i.exchangeId,
        enrolmentId: i.enrolmentId,
        answer: i.answer,
        answeredAt: i.answeredAt,
      })),
      moderatedGroups: groups.map((g) => ({ id: g.id, name: g.name, moderatorTandemId: g.moderatorTandemId })),
      attendance: attendance.map((a) => {
        const event = events.get(a.eventId);
        return {
          eventId: a.eventId,
          groupId: event?.groupId ?? null,
          module: event?.module ?? null,
          days: event?.days ?? [],
          present: a.present,
          recordedAt: a.recordedAt,
          recordedBy: a.recordedBy,
        };
      }),
      evaluations: (await this.repository.evaluationsOf(id)).map((e) => ({
        eventId: e.eventId,
        rating: e.rating,
        comment: e.comment,
        submittedAt: e.submittedAt,
      })),
      certificates: (await this.repository.certificatesOf(id)).map((c) => ({
        id: c.id,
        code: c.code,
        name: c.personName,
        language: c.language,
        firstDay: c.firstDay,
        lastDay: c.lastDay,
        hours: c.hours,
        modules: c.modules,
        issuedOn: c.issuedOn,
      })),
      workflows: instances.map((i) => ({
        id: i.id,
        definition: i.definition,
        state: i.state,
        context: shown(i.context),
      })),
      journal: journal.map((j) => ({
        instanceId: j.instanceId,
        seq: j.seq,
        at: j.at,
        actor: { id: j.actorId, role: j.actorRole },
        event: j.eventType,
        payload: shown(j.payload),
      })),
      mails: mails.map((m) => ({
        id: m.id,
        template: m.payload.template ?? null,
        status: m.status,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        to: m.payload.to,
        data: shown(m.payload.data ?? {}),
      })),
      audit: await this.audit.about(id),
      signIn: {
        accounts: (await this.repository.accountsOf(id)).map((a) => ({
          username: a.username,
          role: a.role,
          name: a.name,
          createdAt: a.createdAt,
          disabledAt: a.disabledAt,
        })),
        apiTokens: (await this.repository.apiTokensOf(id)).map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: t.createdAt,
          expiresAt: t.expiresAt,
          revokedAt: t.revokedAt,
        })),
        calendarSubscriptions: (await this.repository.subscriptionsOf(id)).map((s) => ({
          id: s.id,
          kind: s.kind,
          subjectId: s.subjectId,
          createdAt: s.createdAt,
          revokedAt: s.revokedAt,
        })),
      },
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Art. 17: erasure

  /**
   * Erases the person when nothing else refers to them; otherwise pseudonymises them (their tandem, attendance and
   * certificates stay as records, of them and of others, without their name or address). Refused while the person
   * still takes part: a running enrolment of their tandem, or a group of theirs with events ahead.
   */
  async erase(actor: Actor, id: string, reference: string): Promise<ErasureOutcome> {
    const person = await this.load(id);
    if (await this.repository.isPseudonymised(id))
      return {
        personId: id,
        outcome: 'pseudonymised',
        kept: this.kept(await this.repository.certificatesOf(id)),
        copies: counts(null),
      };
    const participations = await this.participations(id);
    if (participations.length) {
      throw new RuleViolation(
        'erasure-after-participation',
        `${person.name} still takes part: a running enrolment of their tandem or a group they moderate with events ahead; record the member change or the withdrawal first, or wait until the group's last event`,
        { participations },
      );
    }
    const certificates = await this.repository.certificatesOf(id);
    const match = this.identity(person, await this.repository.corrections(id));
    if (!(await this.hasRecords(id, match))) {
      await this.masterData.transaction(async (em) => {
        await this.repository.closeSignIn(em, id, pseudonymOf(id).name, this.clock.now().toISOString());
        await this.repository.deletePerson(em, id);
        await this.audit.record(em, actor, {
          action: 'person.erased',
          subject: { type: 'person', id },
          personId: id,
          details: { reference },
        });
      });
      return { personId: id, outcome: 'erased', kept: [], copies: counts(null) };
    }
    const report = await this.pseudonymise(actor, id, { reference });
    return { personId: id, outcome: 'pseudonymised', kept: this.kept(certificates), copies: counts(report) };
  }

  private kept(certificates: unknown[]): string[] {
    return [
      'the person id, to which tandems, attendance and enrolments of others refer',
      ...(certificates.length
        ? [
            'each certificate with the name it was issued to, its days, hours and modules, so that its code still verifies',
          ]
        : []),
      'the audit log (ids only)',
    ];
  }

  /** Whether anything but the person row and its history refers to the person. */
  private async hasRecords(id: string, match: PersonMatch): Promise<boolean> {
    const needles = [id, ...match.emails];
    const [tandems, moderated, attendance, evaluations, certificates, journal, mails] = await Promise.all([
      this.repository.tandemsOf(id),
      this.repository.moderatorTandemsOf(id),
      this.repository.attendanceOf(id),
      this.repository.evaluationsOf(id),
      this.repository.certificatesOf(id),
      this.repository.journalHolding(id, needles),
      this.repository.outboxHolding(needles),
    ]);
    return [tandems, moderated, attendance, evaluations, certificates, journal, mails].some((rows) => rows.length > 0);
  }

  /** Running enrolments the person is a member of, and groups they moderate that have events ahead (or none yet). */
  private async participations(id: string): Promise<Participation[]> {
    const found: Participation[] = [];
    const instances = await this.copies.instancesHolding([id]);
    for (const instance of instances.filter((i) => i.definition === PROGRAMME && OPEN_STATES.includes(i.state))) {
      const members = (instance.context.members as { personId: string }[] | undefined) ?? [];
      if (members.some((m) => m.personId === id))
        found.push({
          kind: 'enrolment',
          id: String(instance.context.enrolmentId ?? instance.id),
          state: instance.state,
        });
    }
    const today = this.clock.today(this.config.timeZone);
    const groups = await this.repository.groupsOf((await this.repository.moderatorTandemsOf(id)).map((m) => m.id));
    const events = await this.repository.eventsOf(groups.map((g) => g.id));
    for (const group of groups) {
      const days = events.filter((e) => e.groupId === group.id).flatMap((e) => e.days);
      if (!days.length || days.some((day) => day >= today)) found.push({ kind: 'moderated-group', id: group.id });
    }
    return found;
  }

  /**
   * Replaces the person's name and address everywhere (person row, correction history, the workflows holding them
   * through the engine's PERSON_PSEUDONYMISED, journal payloads, reminders, mail, stored answers) and closes their
   * sign-in, in one command; mail to them that had not gone out is stopped. The id, the records of others and the
   * certificates stay. Returns null when already done (by this process or another).
   */
  async pseudonymise(actor: Actor, id: string, details: Record<string, unknown>): Promise<CopyReport | null> {
    const person = await this.repository.person(id);
    if (!person || (await this.repository.isPseudonymised(id))) return null;
    const pseudonym = pseudonymOf(id);
    let report: CopyReport | null;
    try {
      report = await this.engine.execute<CopyReport | null>({
        actor,
        decide: async (command) => {
          // Decided again after a concurrent change: another process may have pseudonymised the person meanwhile.
          if (await this.repository.isPseudonymised(id)) return null;
          const corrections = await this.repository.corrections(id);
          const match = this.identity(person, corrections);
          const copies: CopyReport = {
            workflows: 0,
            reminders: 0,
            mails: 0,
            stoppedMails: 0,
            history: 0,
            replacedKeys: [],
          };
          for (const held of await this.copies.instancesHolding([id, ...match.emails])) {
            if (!holdsPerson(held.context, id)) continue;
            await command.correct(held.id, { type: 'PERSON_PSEUDONYMISED', personId: id, ...pseudonym });
            copies.workflows++;
          }
          command.write(async (em) => {
            // The claim: a second process pseudonymising the same person fails here on the key and changes nothing.
            await this.repository.markPseudonymised(
              em,
              Object.assign(new PseudonymisedPersonRow(), {
                personId: id,
                at: command.now.toISOString(),
                actorId: actor.id,
                actorRole: actor.role,
              }),
            );
            await this.repository.replacePerson(em, id, pseudonym);
            for (const row of corrections) {
              const changes = Object.fromEntries(
                Object.entries(row.changes).map(([field, change]) => [
                  field,
                  field === 'name' || field === 'email' ? { from: pseudonym[field], to: pseudonym[field] } : change,
                ]),
              );
              await this.repository.rewriteCorrection(
                em,
                Object.assign(row, { changes, note: row.note === null ? null : scrub(row.note, match, pseudonym) }),
              );
            }
            const mail = await this.copies.rewriteMail(em, {
              person: match,
              fields: pseudonym,
              scope: 'all',
              stopReason: STOPPED,
            });
            Object.assign(copies, {
              mails: mail.mails,
              stoppedMails: mail.stoppedMails,
              replacedKeys: mail.replacedKeys,
            });
            copies.history = await this.copies.rewriteHistory(em, match, pseudonym);
            const signIn = await this.repository.closeSignIn(em, id, pseudonym.name, command.now.toISOString());
            await this.audit.record(em, actor, {
              action: 'person.pseudonymised',
              subject: { type: 'person', id },
              personId: id,
              details: { ...details, ...counts(copies), signInClosed: signIn },
            });
          });
          return copies;
        },
        answer: async (em, copies) =>
          copies ? { ...copies, reminders: await this.masterData.pendingRemindersTo(em, pseudonym.email) } : copies,
      });
    } catch (error) {
      if (isUniqueViolation(error) && (await this.repository.isPseudonymised(id))) return null;
      throw error;
    }
    if (report) await this.removeMailCopies(report.replacedKeys);
    return report;
  }

  /** .eml files written for messages to the person (file transport): named after the message's former key. */
  private async removeMailCopies(keys: string[]): Promise<void> {
    for (const key of keys) {
      const file = join(this.config.outboxDir, `${createHash('sha256').update(key).digest('hex')}.eml`);
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') this.logger.warn(`could not remove ${file}: ${error.message}`);
      });
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // retention

  /** Claims today's retention pass (Europe/Berlin day of the engine's clock); false when a process already did. */
  async claimTodaysPass(): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.masterData.transaction((em) =>
        this.repository.claimPass(em, dayOf(now, this.config.timeZone), now.toISOString()),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * Persons due for pseudonymisation today: every enrolment naming them ended (withdrawn or re-formed) more than
   * `pseudonymiseAfterYears` years ago, and they take part in nothing now. Completed tandems stay alumni, invited
   * to the annual exchange, until a member change ends their enrolment (see README, Data protection).
   */
  async due(): Promise<{ personId: string; lastEndedOn: string }[]> {
    const today = this.clock.today(this.config.timeZone);
    const lastEnded = new Map<string, string>();
    for (const state of ENDED_STATES) {
      for (let offset = 0; ; offset += 500) {
        const { items } = await this.engine.list({ definition: PROGRAMME, state, offset, limit: 500 });
        for (const instance of items) {
          const entered = (await this.engine.journal(instance.id)).find(
            (row) => row.stateAfter === state && row.stateBefore !== state,
          );
          const endedOn = dayOf(new Date(entered?.at ?? instance.updatedAt), this.config.timeZone);
          for (const personId of personsNamedIn(instance.context)) {
            if ((lastEnded.get(personId) ?? '') < endedOn) lastEnded.set(personId, endedOn);
          }
        }
        if (items.length < 500) break;
      }
    }
    const due: { personId: string; lastEndedOn: string }[] = [];
    for (const [personId, lastEndedOn] of lastEnded) {
      if (addYears(lastEndedOn, this.config.pseudonymiseAfterYears) >= today) continue;
      if (!(await this.repository.person(personId)) || (await this.repository.isPseudonymised(personId))) continue;
      const instances = await this.copies.instancesHolding([personId]);
      const match = { id: personId, names: [], emails: [] };
      if (
        instances.some(
          (i) => i.definition === PROGRAMME && !ENDED_STATES.includes(i.state) && mentionsPerson(i.context, match),
        )
      )
        continue;
      if ((await this.participations(personId)).length) continue;
      due.push({ personId, lastEndedOn });
    }
    return due;
  }
}

/** Members and replaced members an enrolment's context names. */
function personsNamedIn(context: Record<string, unknown>): string[] {
  const members = ((context.members as { personId?: string }[] | undefined) ?? []).map((m) => m.personId);
  const exemptions = ((context.exemptions as { replaced?: string; by?: string }[] | undefined) ?? []).flatMap((e) => [
    e.replaced,
    e.by,
  ]);
  return [...new Set([...members, ...exemptions].filter((id): id is string => typeof id === 'string'))];
}
