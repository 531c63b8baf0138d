import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { AlumniService } from './alumni.service.js';
import { CertificatesService } from './certificates.service.js';
import { GroupSchedules } from './group-schedules.js';
import { GroupsService } from './groups.service.js';
import { ParticipantsService } from './participants.service.js';
import { DirectoryController, EnrolmentsController, ExchangesController, GroupsController, ParticipantsController } from './qualification.controllers.js';
import { QualificationRepository } from './qualification.repository.js';
import { RegistrationService } from './registration.service.js';

/** Programme A: the NRW tandem qualification, from registration to the annual exchange. */
@Module({
  imports: [EngineModule],
  controllers: [DirectoryController, EnrolmentsController, GroupsController, ParticipantsController, ExchangesController],
  providers: [QualificationRepository, GroupSchedules, RegistrationService, GroupsService, CertificatesService, AlumniService, ParticipantsService],
  exports: [ParticipantsService],
})
export class QualificationModule {}
