import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LotseConfig } from '../config/configuration.js';
import { PROGRAMME_MESSAGES, programmeWorkflows } from '../workflows/index.js';
import type { MessageTemplate } from '../workflows/shared/mail.js';
import { DatabaseModule } from './database/database.module.js';
import { Clock, SystemClock } from './engine/clock.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarSubscriptionsModule } from './auth/calendar-subscriptions.module.js';
import { ContractsModule } from './contracts/contracts.module.js';
import { EngineModule } from './engine/engine.module.js';
import { EvaluationModule } from './evaluation/evaluation.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { WORKFLOW_DEFINITIONS } from './engine/registry.js';
import { SCHEDULER_ENABLED } from './engine/timer-scheduler.js';
import type { WorkflowDefinition } from './engine/workflow.js';
import { HealthModule } from './health/health.module.js';
import { MasterDataModule } from './master-data/master-data.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { QualificationModule } from './qualification/qualification.module.js';
import { WebModule } from './web/web.module.js';

export interface AppOptions {
  config: LotseConfig;
  /** Defaults to the system clock; tests and the demo pass a FakeClock. */
  clock?: Clock;
  /** Defaults to the programmes in workflows/. */
  workflows?: WorkflowDefinition[];
  /** Run the interval tick (default true). Tests tick by hand. */
  scheduler?: boolean;
  /** Message templates in addition to the programmes' (PROGRAMME_MESSAGES); tests bring their own. */
  messages?: Record<string, MessageTemplate>;
}

@Global()
@Module({})
class RuntimeModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: LotseConfig, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        {
          provide: WORKFLOW_DEFINITIONS,
          useValue: options.workflows ?? programmeWorkflows(options.config.reminderOverrides),
        },
        { provide: SCHEDULER_ENABLED, useValue: options.scheduler ?? true },
      ],
      exports: [LotseConfig, Clock, WORKFLOW_DEFINITIONS, SCHEDULER_ENABLED],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(options),
        DatabaseModule.forRoot(options.config),
        ScheduleModule.forRoot(),
        EngineModule,
        AuditModule,
        AuthModule,
        ContractsModule,
        NotificationsModule.forRoot({ messages: { ...PROGRAMME_MESSAGES, ...options.messages } }),
        QualificationModule,
        EvaluationModule,
        CalendarSubscriptionsModule,
        ExportsModule,
        HealthModule,
        MasterDataModule,
        PrivacyModule,
        WebModule,
      ],
    };
  }
}
