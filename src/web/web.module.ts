import { Module } from '@nestjs/common';
import { CalendarSubscriptionsModule } from '../auth/calendar-subscriptions.module.js';
import { QualificationModule } from '../qualification/qualification.module.js';
import { DistrictController } from './district.controller.js';
import { InstituteController } from './institute.controller.js';
import { ModeratorController } from './moderator.controller.js';
import { ParticipantController } from './participant.controller.js';
import { SignInController } from './sign-in.controller.js';

/** The German web interface under /app: server-rendered pages on the same services as the API. */
@Module({
  imports: [QualificationModule, CalendarSubscriptionsModule],
  controllers: [SignInController, DistrictController, InstituteController, ModeratorController, ParticipantController],
})
export class WebModule {}
