import { Module } from '@nestjs/common';
import { QualificationModule } from '../qualification/qualification.module.js';
import { CalendarSubscriptionsController } from './calendar-subscriptions.controller.js';
import { CalendarSubscriptionsService } from './calendar-subscriptions.service.js';

/** Secret calendar feed URLs of the tandem qualification's schedules. */
@Module({
  imports: [QualificationModule],
  controllers: [CalendarSubscriptionsController],
  providers: [CalendarSubscriptionsService],
  // The participant's page of the web interface creates subscriptions too.
  exports: [CalendarSubscriptionsService],
})
export class CalendarSubscriptionsModule {}
