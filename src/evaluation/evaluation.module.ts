import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { EvaluationController } from './evaluation.controller.js';
import { ExchangeEvaluationsController } from './exchange-evaluations.controller.js';
import { EvaluationReportService } from './evaluation-report.service.js';
import { EvaluationRepository } from './evaluation.repository.js';
import { ExchangeEvaluationsService } from './exchange-evaluations.service.js';
import { MeetingsService } from './meetings.service.js';

/**
 * Quality assurance of the tandem qualification (decree section II.5): the annual exchange's evaluation, the yearly
 * evaluation report for the ministry, and the ministry's yearly meeting on it (workflow `evaluation-meeting`).
 */
@Module({
  imports: [EngineModule],
  controllers: [EvaluationController, ExchangeEvaluationsController],
  providers: [EvaluationRepository, EvaluationReportService, MeetingsService, ExchangeEvaluationsService],
})
export class EvaluationModule {}
