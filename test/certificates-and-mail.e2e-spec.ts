/**
 * What leaves Lotse for programs people already have: the certificate as a PDF an archive accepts (read back with
 * pdf.js), and mail as a mail client and an out-of-office responder see it (delivered to a real SMTP server and
 * parsed with mailparser). One tandem goes through the whole qualification: a member with Turkish and Polish
 * letters in her name and German mail, a member with English mail.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser, type ParsedMail } from 'mailparser';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { readPdf } from './support/pdf.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { INSTITUTE, QualificationWorld } from './qualification-world.js';

const BASE = 'https://lotse.example.org';
const DISTRICT = 'arnsberg';

describe('certificates and mail, as other programs read them', () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;
  let world: QualificationWorld;
  const tandem = { enrolmentId: '', ayse: '', jonathan: '' };
  let certificates: { id: string; personId: string; code: string }[];

  /** The messages a person received of one template, parsed as a mail client parses them. */
  async function received(email: string, template: string): Promise<ParsedMail[]> {
    const raw = sink.messages.filter(
      (m) => m.recipients.includes(email) && m.headers['x-lotse-template'] === `tandem-qualification/${template}`,
    );
    return Promise.all(raw.map((m) => simpleParser(m.raw)));
  }

  async function download(path: string, personId: string): Promise<Buffer> {
    const response = await t.http
      .get(path)
      .set(as('participant', personId))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return response.body as Buffer;
  }

  beforeAll(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    t = await startApp({
      workspace,
      now: '2026-01-05T09:00:00Z',
      config: {
        smtpUrl: sink.url,
        mailFrom: 'Tandem-Qualifizierung NRW <lotse@qualis.example.org>',
        mailReplyTo: 'Geschäftsstelle Tandem-Qualifizierung <tandem@qualis.example.org>',
        // A trailing slash as people paste it: links must not get a double one.
        publicBaseUrl: `${BASE}/`,
      },
    });
    world = new QualificationWorld(t);
    const district = as('district', DISTRICT);
    const network = await world.ok('post', '/networks', district, {
      name: 'Regionales Bildungsnetzwerk Dortmund',
      districtId: DISTRICT,
    });
    const office = await world.ok('post', '/school-offices', district, {
      name: 'Schulamt für die Stadt Dortmund',
      districtId: DISTRICT,
    });
    const ayse = await world.ok('post', '/persons', district, {
      name: 'Ayşe Yıldız-Łukasiewicz',
      email: 'ayse.yildiz@schulamt-dortmund.example',
      language: 'de',
      supervision: 'lower',
      districtId: DISTRICT,
      schoolOfficeId: office.id,
    });
    const jonathan = await world.ok('post', '/persons', district, {
      name: 'Jonathan Reed',
      email: 'jonathan.reed@bra.example',
      language: 'en',
      supervision: 'upper',
      districtId: DISTRICT,
    });
    const created = await world.ok('post', '/tandems', district, {
      networkId: network.id,
      lowerMemberId: ayse.id,
      upperMemberId: jonathan.id,
    });
    const enrolment = await world.ok('post', '/enrolments', district, { tandemId: created.id });
    await world.ok('post', `/enrolments/${enrolment.id}/involvements`, district, {
      body: 'staff-council',
      on: '2026-01-05',
      outcome: 'consent',
    });
    await world.ok('post', `/enrolments/${enrolment.id}/involvements`, district, {
      body: 'equal-opportunities',
      on: '2026-01-05',
    });
    await world.ok('post', `/enrolments/${enrolment.id}/submission`, district);
    Object.assign(tandem, { enrolmentId: enrolment.id, ayse: ayse.id, jonathan: jonathan.id });

    const group = await world.group('Gruppe Ruhr 2026');
    await world.ok('post', `/enrolments/${enrolment.id}/placement`, INSTITUTE, { groupId: group.id });
    for (const event of group.events) {
      await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T14:00:00Z`);
      await world.attendance(event.id, group.moderators[0], [ayse.id, jonathan.id]);
    }
    await t.scheduler.advanceTo('2026-09-21T10:00:00Z');
    certificates = await world.ok('post', `/enrolments/${enrolment.id}/certificates`, INSTITUTE);
    await t.scheduler.advanceTo('2026-09-21T10:05:00Z');
  }, 120_000);

  afterAll(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  it("sends every message as an automatic one from the sender's domain, with the configured Reply-To and an HTML document in the reader's language", async () => {
    expect(sink.messages.length).toBeGreaterThan(10);
    for (const message of sink.messages) {
      // Headers in 7-bit ASCII, non-ASCII names encoded (RFC 2047), as any relay accepts them.
      expect(message.raw.slice(0, message.raw.indexOf('\r\n\r\n'))).toMatch(/^[\x20-\x7e\r\n\t]*$/);
      const mail = await simpleParser(message.raw);
      // RFC 3834: out-of-office responders do not answer it.
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(mail.replyTo?.value).toEqual([
        { name: 'Geschäftsstelle Tandem-Qualifizierung', address: 'tandem@qualis.example.org' },
      ]);
      expect(mail.messageId).toMatch(/^<[0-9a-f]{64}@qualis\.example\.org>$/);
      const language = message.recipients.includes('jonathan.reed@bra.example') ? 'en' : 'de';
      expect(mail.html).toMatch(new RegExp(`^<!DOCTYPE html>\\s*<html lang="${language}">`));
      expect(mail.headers.get('content-language')).toBe(language);
    }
  });

  it('attaches the certificate to the message that announces it, with the absolute address that verifies it', async () => {
    const [german] = await received('ayse.yildiz@schulamt-dortmund.example', 'certificate-issued');
    const [english] = await received('jonathan.reed@bra.example', 'certificate-issued');
    const own = (personId: string) => certificates.find((c) => c.personId === personId)!;
    const [ayse, jonathan] = [own(tandem.ayse), own(tandem.jonathan)];

    expect(german.subject).toBe('Ihre Teilnahmebescheinigung');
    expect(german.text).toContain(
      `Mit dem Prüfcode ${ayse.code} lässt sie sich unter ${BASE}/certificates/verify/${ayse.code} bestätigen.`,
    );
    expect(german.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`teilnahmebescheinigung-${ayse.code}.pdf`, 'application/pdf'],
    ]);
    expect(english.text).toContain(`${BASE}/certificates/verify/${jonathan.code}`);
    expect(english.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`certificate-${jonathan.code}.pdf`, 'application/pdf'],
    ]);

    // The attachment is the certificate as its holder downloads it, byte for byte.
    expect(german.attachments[0].content.equals(await download(`/certificates/${ayse.id}/pdf`, tandem.ayse))).toBe(
      true,
    );
    // The printed address works without any headers.
    const verified = await t.http.get(new URL(`${BASE}/certificates/verify/${ayse.code}`).pathname).expect(200);
    expect(verified.body).toMatchObject({ valid: true, name: 'Ayşe Yıldız-Łukasiewicz' });
  });

  it('is a PDF/A-2b certificate with its fonts embedded, tagged in German, that prints her name, every module and the verification address', async () => {
    const { code } = certificates.find((c) => c.personId === tandem.ayse)!;
    const [mail] = await received('ayse.yildiz@schulamt-dortmund.example', 'certificate-issued');
    const pdf = await readPdf(mail.attachments[0].content);

    expect([pdf.xmp('pdfaid:part'), pdf.xmp('pdfaid:conformance')]).toEqual(['2', 'B']);
    expect(pdf.info).toMatchObject({
      PDFFormatVersion: '1.7',
      Language: 'de-DE',
      Title: 'Teilnahmebescheinigung – Ayşe Yıldız-Łukasiewicz',
    });
    expect(pdf.tagged).toBe(true);
    expect(pdf.fonts.length).toBeGreaterThan(0);
    for (const font of pdf.fonts)
      expect(font).toMatchObject({ name: expect.stringMatching(/DejaVuSans/), embedded: true });

    const text = pdf.pages.join('\n').replace(/\s+/g, ' ');
    for (const expected of [
      'Teilnahmebescheinigung',
      'Ayşe Yıldız-Łukasiewicz',
      'Schulamt für die Stadt Dortmund',
      'hat als Mitglied des Tandems der Regionalkoordination für das Regionale Bildungsnetzwerk Dortmund vom 2. März 2026 bis zum 15. September 2026 an der Qualifizierung teilgenommen.',
      'Umfang der besuchten Veranstaltungen: 64 Stunden',
      'Das Tandem als Team',
      'Grundlagen des regionalen Bildungsmanagements',
      'Kooperations- und Schnittstellenmanagement',
      'Datengestützte Steuerung',
      'Ausgestellt am 21. September 2026',
      `Prüfcode: ${code}`,
      `${BASE}/certificates/verify/${code}`,
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('data-informed-steering');
    expect(text).not.toContain('Regionales Bildungsnetzwerk');
  });

  it('writes the English certificate in English, the German names in it tagged as German', async () => {
    const { code } = certificates.find((c) => c.personId === tandem.jonathan)!;
    const [mail] = await received('jonathan.reed@bra.example', 'certificate-issued');
    const pdf = await readPdf(mail.attachments[0].content);
    expect(pdf.info).toMatchObject({ Language: 'en-GB' });
    expect(pdf.structureLanguages).toContain('de-DE');
    const text = pdf.pages.join('\n').replace(/\s+/g, ' ');
    for (const expected of [
      'Certificate of participation',
      'took part in the qualification as a member of the regional coordination tandem for the Regionales Bildungsnetzwerk Dortmund from 2 March 2026 to 15 September 2026.',
      'The tandem as a team',
      'Data-informed steering',
      `Verification code: ${code}`,
      `${BASE}/certificates/verify/${code}`,
    ])
      expect(text).toContain(expected);
  });

  it('tells each invited member the exact API call that answers the exchange invitation, and that call answers it', async () => {
    await t.scheduler.advanceTo('2026-11-02T09:00:00Z');
    await world.ok('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' });
    await t.scheduler.advanceTo('2027-04-16T00:00:00Z');

    const [german] = await received('ayse.yildiz@schulamt-dortmund.example', 'exchange-invitation');
    const [english] = await received('jonathan.reed@bra.example', 'exchange-invitation');
    expect(german.text).toContain(
      'Bitte antworten Sie für Ihr Tandem mit diesem Aufruf der Lotse-Schnittstelle, angemeldet mit Ihrem Lotse-Zugangstoken',
    );
    expect(german.html).toContain('<pre><code>curl -X POST');
    const call =
      /curl -X POST (\S+) \\\n\s+-H 'Content-Type: application\/json' -H "Authorization: Bearer \$LOTSE_TOKEN" \\\n\s+-d '(\{.*\})'/;
    const [, url, body] = call.exec(german.text ?? '') ?? [];
    expect(url).toMatch(new RegExp(`^${BASE}/exchange-invitations/[\\w-]+/answer$`));
    expect(body).toBe('{"accept": true}');
    // The English member's message names the same invitation.
    const [, englishUrl] = call.exec(english.text ?? '') ?? [];
    expect(englishUrl).toBe(url);

    // Exactly as written, with her own token, the call accepts the invitation for the tandem.
    const answered = await t.http
      .post(new URL(url).pathname)
      .set('Content-Type', 'application/json')
      .set(as('participant', tandem.ayse))
      .send(body)
      .expect(200);
    expect(answered.body).toMatchObject({ answer: 'accepted' });
    const [exchange] = await world.ok('get', '/exchanges', INSTITUTE);
    expect(exchange).toMatchObject({ invited: 1, accepted: 1, pending: 0 });
  });
});
