import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { REPORT_DOCUMENT } from '../../workflows/evaluation/meeting.js';
import { evaluationReport, isReportYear, type EvaluationReport } from '../../workflows/evaluation/report.js';
import type { Language } from '../../workflows/shared/mail.js';
import { Clock } from '../engine/clock.js';
import { PermanentFailure } from '../engine/outbox-dispatcher.js';
import { MailDocuments } from '../notifications/mail-documents.js';
import { EvaluationRepository } from './evaluation.repository.js';
import { reportCsv } from './report-csv.js';
import { renderReportPdf, reportFilename } from './report-pdf.js';

export interface ReportFile {
  filename: string;
  content: Buffer;
  contentType: string;
}

/**
 * The yearly evaluation report for the ministry, as JSON, CSV and PDF, always computed from the evaluations as they
 * are: the PDF attached to a meeting reminder is the report of the day the reminder goes out.
 */
@Injectable()
export class EvaluationReportService implements OnModuleInit {
  constructor(
    private readonly repository: EvaluationRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
    private readonly documents: MailDocuments,
  ) {}

  onModuleInit(): void {
    // Meeting reminders attach the German PDF: the ministry's working language; `?lang=en` gives the English one.
    this.documents.register(REPORT_DOCUMENT, async (year) => {
      if (!isReportYear(year)) throw new PermanentFailure(`no evaluation report for year ${JSON.stringify(year)}`);
      return this.pdf(Number(year), 'de');
    });
  }

  async report(year: number): Promise<EvaluationReport & { asOf: string }> {
    const [events, exchanges] = await Promise.all([
      this.repository.eventsOfYear(year),
      this.repository.exchangesOfYear(year),
    ]);
    return { ...evaluationReport(year, events, exchanges), asOf: this.clock.today(this.config.timeZone) };
  }

  async csv(year: number, language: Language): Promise<ReportFile> {
    const report = await this.report(year);
    return {
      filename: reportFilename(year, language, 'csv'),
      content: Buffer.from(reportCsv(report, language), 'utf8'),
      contentType: 'text/csv; charset=utf-8',
    };
  }

  async pdf(year: number, language: Language): Promise<ReportFile> {
    const generatedAt = this.clock.now();
    const report = await this.report(year);
    const content = await renderReportPdf({ report, language, asOf: report.asOf, generatedAt });
    return { filename: reportFilename(year, language, 'pdf'), content, contentType: 'application/pdf' };
  }
}
