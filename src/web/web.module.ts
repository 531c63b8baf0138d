import { Module } from '@nestjs/common';
import { CalendarSubscriptionsModule } from '../auth/calendar-subscriptions.module.js';
import { ContractsModule } from '../contracts/contracts.module.js';
import { EngineModule } from '../engine/engine.module.js';
import { QualificationModule } from '../qualification/qualification.module.js';
import { ContractPagesController } from './contract-pages.controller.js';
import { DistrictController } from './district.controller.js';
import { GroupFormingController } from './group-forming.controller.js';
import { InstancePageController } from './instance-page.controller.js';
import { InstituteController } from './institute.controller.js';
import { MinistryPagesController } from './ministry-pages.controller.js';
import { ModeratorController } from './moderator.controller.js';
import { ParticipantController } from './participant.controller.js';
import { SignInController } from './sign-in.controller.js';
import { WebReadsRepository } from './web-reads.repository.js';

/** The German web interface under /app: server-rendered pages on the same services as the API. */
@Module({
  imports: [QualificationModule, CalendarSubscriptionsModule, ContractsModule, EngineModule],
  controllers: [
    SignInController,
    DistrictController,
    InstituteController,
    GroupFormingController,
    ModeratorController,
    ParticipantController,
    ContractPagesController,
    MinistryPagesController,
    InstancePageController,
  ],
  providers: [WebReadsRepository],
})
export class WebModule {}
