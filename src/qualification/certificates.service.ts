import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { NotFound } from '../engine/errors.js';
import { PermanentFailure } from '../engine/outbox-dispatcher.js';
import { WorkflowEngine, type Actor } from '../engine/workflow-engine.js';
import { MailDocuments } from '../notifications/mail-documents.js';
import { checkCertificate, eventsCountedForTandem } from '../../workflows/tandem-qualification/rules.js';
import { CERTIFICATE_DOCUMENT, moduleTitle } from '../../workflows/tandem-qualification/model.js';
import { renderCertificate } from './certificate-pdf.js';
import { CertificateRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { refuse } from './registration.service.js';
import { requireHolder, scopeOf } from '../auth/policy.js';
import { enrolmentEvent } from './workflow-events.js';

/** Unambiguous characters only (no 0/O, 1/I/L), so a code read off paper is typed right. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function verificationCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8, 12).join('')}`;
}

/**
 * Certificates of participation: issued per person when the tandem attended every module, verifiable by code, and
 * attached as PDF to the message that announces them.
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
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
   * Issues a certificate to each member of the tandem, only when both attended an event of every module of their
   * group's curriculum (in their group or, making up, in another group's event of the same module).
   */
  async issue(actor: Actor, enrolmentId: string) {
    const enrolment = await this.repository.enrolment(enrolmentId);
    if (!enrolment) throw new NotFound(`no enrolment ${enrolmentId}`, 'enrolment-exists', { enrolment: enrolmentId });
    const tandem = (await this.repository.tandem(enrolment.tandemId))!;
    const members: [string, string] = [tandem.lowerMemberId, tandem.upperMemberId];
    const required = enrolment.groupId ? [...new Set((await this.repository.events(enrolment.groupId)).map((e) => e.module))] : [];
    const attendance = await this.repository.attendanceOf(members);
    refuse(checkCertificate(required, members, attendance, enrolment.creditedModules));
    // One counted event per module: the tandem's own group's event when it counts, else the make-up.
    const counted = new Set(eventsCountedForTandem(members, attendance));
    const byModule = new Map<string, { hours: number; days: string[] }>();
    for (const a of attendance.filter((x) => counted.has(x.eventId) && required.includes(x.module))) {
      if (!byModule.has(a.module)) byModule.set(a.module, { hours: a.hours, days: a.days });
    }
    const days = [...byModule.values()].flatMap((m) => m.days).sort();
    const hours = [...byModule.values()].reduce((sum, m) => sum + m.hours, 0);
    const issuedOn = this.clock.today(this.config.timeZone);
    const persons = await this.repository.persons(members);
    // The titles as the group's curriculum names them, kept with the certificate as issued.
    const events = enrolment.groupId ? await this.repository.events(enrolment.groupId) : [];
    const moduleTitles = Object.fromEntries(required.map((module) => {
      const event = events.find((e) => e.module === module);
      return [module, { de: moduleTitle(module, 'de', event), en: moduleTitle(module, 'en', event) }];
    }));
    const rows = persons.map((p) => Object.assign(new CertificateRow(), {
      id: randomUUID(), enrolmentId, personId: p.id, code: verificationCode(), personName: p.name, language: p.language,
      firstDay: days[0] ?? issuedOn, lastDay: days[days.length - 1] ?? issuedOn, hours, modules: required, moduleTitles, issuedOn,
    }));
    await this.engine.send(enrolment.instanceId, enrolmentEvent({
      type: 'CERTIFICATES_ISSUED', issuedOn,
      certificates: rows.map((r) => ({ personId: r.personId, certificateId: r.id, code: r.code, hours: r.hours })),
    }), actor, undefined, (em) => this.repository.insert(em, CertificateRow, rows));
    return rows.map((r) => this.describe(r));
  }

  /** A module's title on the certificate: as kept when it was issued (older certificates: the decree's, or the key). */
  private titleOf(row: CertificateRow, module: string, language = row.language): string {
    return row.moduleTitles?.[module]?.[language] ?? moduleTitle(module, language);
  }

  private verificationUrl(code: string): string {
    return `${this.config.publicBaseUrl}/certificates/verify/${encodeURIComponent(code)}`;
  }

  private describe(row: CertificateRow) {
    return {
      id: row.id, personId: row.personId, name: row.personName, code: row.code, firstDay: row.firstDay, lastDay: row.lastDay,
      hours: row.hours, modules: row.modules.map((m) => this.titleOf(row, m)), issuedOn: row.issuedOn, language: row.language,
      verificationUrl: this.verificationUrl(row.code),
    };
  }

  async forEnrolment(_actor: Actor, enrolmentId: string) {
    return (await this.repository.certificatesOfEnrolment(enrolmentId)).map((r) => this.describe(r));
  }

  /** The PDF of one certificate, for its holder, the institute or the ministry. */
  async pdf(actor: Actor, certificateId: string): Promise<{ filename: string; content: Buffer }> {
    const scope = scopeOf(actor);
    const row = await this.repository.certificate(certificateId);
    if (!row) throw new NotFound(`no certificate ${certificateId}`, 'certificate-exists', { certificate: certificateId });
    requireHolder(scope, row);
    return this.document(row);
  }

  private async document(row: CertificateRow): Promise<{ filename: string; content: Buffer }> {
    const person = await this.repository.person(row.personId);
    const enrolment = await this.repository.enrolment(row.enrolmentId);
    const network = enrolment ? await this.repository.network(enrolment.networkId) : null;
    // Credited for this person: counted from before a member change, and not attended by them in person.
    const attended = new Set((await this.repository.attendanceOf([row.personId])).filter((a) => a.present).map((a) => a.module));
    const credited = new Set((enrolment?.creditedModules ?? []).filter((m) => !attended.has(m)));
    const content = await renderCertificate({
      name: row.personName, office: person?.office ?? '', networkName: network?.name ?? '', language: row.language, firstDay: row.firstDay,
      lastDay: row.lastDay, hours: row.hours, modules: row.modules.map((m) => ({ title: this.titleOf(row, m), credited: credited.has(m) })),
      issuedOn: row.issuedOn, code: row.code, issuer: this.config.institutionName, verificationUrl: this.verificationUrl(row.code),
    });
    const filename = `${row.language === 'en' ? 'certificate' : 'teilnahmebescheinigung'}-${row.code}.pdf`;
    return { filename, content };
  }

  /** Public: confirms a certificate by its code, without contact data. */
  async verify(code: string) {
    const row = await this.repository.certificateByCode(code.trim().toUpperCase());
    if (!row) throw new NotFound('no certificate carries this code', 'certificate-code-known', { code });
    return {
      valid: true, code: row.code, name: row.personName, programme: 'Tandem-Qualifizierung NRW (BASS 20-22 Nr. 65)',
      firstDay: row.firstDay, lastDay: row.lastDay, hours: row.hours, issuedOn: row.issuedOn, issuer: this.config.institutionName,
    };
  }
}
