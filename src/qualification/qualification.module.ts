import { Module, type OnModuleInit } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { ProjectionRegistry } from '../engine/projection.js';
import { AlumniService } from './alumni.service.js';
import { AttendanceGatherer } from './attendance.js';
import { CertificatesService } from './certificates.service.js';
import { DirectoryController } from './directory.controller.js';
import { EnrolmentsController } from './enrolments.controller.js';
import { ExchangesController } from './exchanges.controller.js';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsService } from './participants.service.js';
import { enrolmentProjection, groupProjection } from './projections.js';
import { QualificationRepository } from './qualification.repository.js';
import { RegistrationService } from './registration.service.js';
import { QualificationViews } from './views.js';

/**
 * Programme A: the NRW tandem qualification, from registration to the annual exchange.
 *
 * Its HTTP endpoints (one controller per file): decorators and one service call each. The caller is signed in (bearer
 * token); each route names its permission (src/auth/policy.ts), the services check the caller's scope.
 * Operation ids are the method names (app.ts) unless `@ApiOperation` gives one a client reads better or that stays
 * unique across controllers (`listEnrolments`, not `list`).
 */
@Module({
  imports: [EngineModule],
  controllers: [
    DirectoryController,
    EnrolmentsController,
    GroupsController,
    ParticipantsController,
    ExchangesController,
  ],
  providers: [
    QualificationRepository,
    QualificationViews,
    AttendanceGatherer,
    RegistrationService,
    GroupsService,
    CertificatesService,
    AlumniService,
    ParticipantsService,
  ],
  // The web interface's pages call the same services as the API's controllers.
  exports: [
    ParticipantsService,
    RegistrationService,
    GroupsService,
    CertificatesService,
    AlumniService,
    QualificationRepository,
    QualificationViews,
  ],
})
export class QualificationModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  /** Groups and enrolments are written by the engine, in every step of their workflows. */
  onModuleInit(): void {
    this.projections.register(groupProjection);
    this.projections.register(enrolmentProjection);
  }
}
