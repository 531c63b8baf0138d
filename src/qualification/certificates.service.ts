import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { dayOf } from '../../workflows/shared/calendar-day.js';
import { requireHolder, scopeOf } from '../auth/policy.js';
import { NotFound, refuse } from '../common/errors.js';
import { PermanentFailure } from '../engine/outbox-dispatcher.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { MailDocuments } from '../notifications/mail-documents.js';
import { enrolmentEvent } from '../../workflows/tandem-qualification/machine.js';
import {
  CERTIFICATE_DOCUMENT,
  type EnrolmentContext,
  type IssuedCertificate,
  type ScheduledEvent,
} from '../../workflows/tandem-qualification/model.js';
import { checkCertificate, personalRecord } from '../../workflows/tandem-qualification/rules.js';
import { heldEvents } from '../../workflows/tandem-qualification/schedule.js';
import { AttendanceGatherer } from './attendance.js';
import { renderCertificate } from './certificate-pdf.js';
import { contextOf, idempotent } from './commands.js';
import type { CertificateRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { certificateModuleTitle, certificateView, verificationUrl } from './views.js';

/** Unambiguous characters only (no 0/O, 1/I/L), so a code read off paper is typed right. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function verificationCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8, 12).join('')}`;
}

/** The modules' titles as the group's curriculum names them (the first block of a module names it), kept with the certificate. */
function titlesOf(modules: string[], curriculum: ScheduledEvent[]): Record<string, { de: string; en: string }> {
  return Object.fromEntries(
    modules.map((module) => {
      const event = curriculum.find((e) => e.module === module)!;
      return [module, { de: event.title, en: event.titleEn }];
    }),
  );
}

/**
 * Certificates of participation: issued per person when the tandem attended every module, verifiable by code, and
 * attached as PDF to the message that announces them.
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly attendance: AttendanceGatherer,
    private readonly engine: WorkflowEngine,
    private readonly config: LotseConfig,
    private readonly documents: MailDocuments,
  ) {}

  onModuleInit(): void {
    this.documents.register(CERTIFICATE_DOCUMENT, async (id) => {
      const row = await this.repository.certificate(id);
      if (!row) throw new PermanentFailure(`no certificate ${id} to attach`);
      const { filename, content } = await this.document(row);
      return { filename, content, contentType: 'application/pdf' };
    });
  }

  /**
   * Issues a certificate to each member of the tandem, only when both attended every event of every module of their
   * group's curriculum (in their group or, making up, in another group's event of the same module), or the module
   * was credited on a member change. Each certificate states its holder's own hours, days and modules.
   */
  async issue(actor: Actor, enrolmentId: string, key?: string) {
    const enrolment = await this.repository.enrolment(enrolmentId);
    if (!enrolment) throw new NotFound(`no enrolment ${enrolmentId}`, 'enrolment-exists', { enrolment: enrolmentId });
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'issue-certificates', enrolmentId),
      decide: async (command) => {
        const context = contextOf<EnrolmentContext>(await command.instance(enrolment.instanceId));
        const memberIds = context.members.map((m) => m.personId);
        const { group, own, attendance } = context.groupId
          ? await this.attendance.of(command, context.groupId, memberIds)
          : { group: null, own: [], attendance: [] };
        const curriculum = heldEvents(own);
        refuse(checkCertificate(curriculum, memberIds, attendance, context.creditedModules));
        const issuedOn = dayOf(command.now, this.config.timeZone);
        const certificates: IssuedCertificate[] = context.members.map((member) => {
          const record = personalRecord(curriculum, member.personId, memberIds, attendance, context.creditedModules);
          return {
            certificateId: randomUUID(),
            personId: member.personId,
            personName: member.name,
            language: member.language,
            code: verificationCode(),
            hours: record.hours,
            firstDay: record.firstDay ?? issuedOn,
            lastDay: record.lastDay ?? issuedOn,
            modules: record.modules,
            creditedModules: record.creditedModules,
            moduleTitles: titlesOf(record.modules, curriculum),
            issuedOn,
          };
        });
        await command.send(
          enrolment.instanceId,
          enrolmentEvent({ type: 'CERTIFICATES_ISSUED', certificates, issuedOn, groupName: group!.name }),
        );
      },
      answer: async (em) =>
        (await this.repository.certificatesOfEnrolment(enrolmentId, em)).map((row) =>
          certificateView(row, this.config.publicBaseUrl),
        ),
    });
  }

  async forEnrolment(_actor: Actor, enrolmentId: string) {
    return (await this.repository.certificatesOfEnrolment(enrolmentId)).map((row) =>
      certificateView(row, this.config.publicBaseUrl),
    );
  }

  /** The PDF of one certificate, for its holder, the institute or the ministry. */
  async pdf(actor: Actor, certificateId: string): Promise<{ filename: string; content: Buffer }> {
    const row = await this.repository.certificate(certificateId);
    if (!row)
      throw new NotFound(`no certificate ${certificateId}`, 'certificate-exists', { certificate: certificateId });
    requireHolder(scopeOf(actor), row);
    return this.document(row);
  }

  private async document(row: CertificateRow): Promise<{ filename: string; content: Buffer }> {
    const enrolment = await this.repository.enrolment(row.enrolmentId);
    const holder =
      enrolment?.members.find((m) => m.personId === row.personId) ?? (await this.repository.person(row.personId));
    const network = enrolment ? await this.repository.network(enrolment.networkId) : null;
    const credited = new Set(row.creditedModules ?? []);
    const content = await renderCertificate({
      name: row.personName,
      office: holder?.office ?? '',
      networkName: network?.name ?? '',
      language: row.language,
      firstDay: row.firstDay,
      lastDay: row.lastDay,
      hours: row.hours,
      modules: row.modules.map((m) => ({ title: certificateModuleTitle(row, m), credited: credited.has(m) })),
      issuedOn: row.issuedOn,
      code: row.code,
      issuer: this.config.institutionName,
      verificationUrl: verificationUrl(this.config.publicBaseUrl, row.code),
    });
    const filename = `${row.language === 'en' ? 'certificate' : 'teilnahmebescheinigung'}-${row.code}.pdf`;
    return { filename, content };
  }

  /** Public: confirms a certificate by its code, without contact data. */
  async verify(code: string) {
    const row = await this.repository.certificateByCode(code.trim().toUpperCase());
    if (!row) throw new NotFound('no certificate carries this code', 'certificate-code-known', { code });
    return {
      valid: true,
      code: row.code,
      name: row.personName,
      programme: 'Tandem-Qualifizierung NRW (BASS 20-22 Nr. 65)',
      firstDay: row.firstDay,
      lastDay: row.lastDay,
      hours: row.hours,
      issuedOn: row.issuedOn,
      issuer: this.config.institutionName,
    };
  }
}
