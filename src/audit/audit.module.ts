import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { EngineModule } from '../engine/engine.module.js';
import { AuditLog } from './audit-log.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { PersonalDataReads } from './personal-data-reads.interceptor.js';

/** The append-only audit log: written by every plain-data write and by reads of others' personal data. */
@Global()
@Module({
  imports: [EngineModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditLog, { provide: APP_INTERCEPTOR, useClass: PersonalDataReads }],
  exports: [AuditLog],
})
export class AuditModule {}
