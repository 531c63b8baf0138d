import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module.js';
import { QualificationModule } from '../qualification/qualification.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsRepository } from './exports.repository.js';
import { ExportsService } from './exports.service.js';
import { PrintController } from './print.controller.js';

/** CSV and XLSX files of the lists clerks keep elsewhere, and a group's papers to print, read through the programmes' services in their scope. */
@Module({
  imports: [QualificationModule, ContractsModule],
  controllers: [ExportsController, PrintController],
  providers: [ExportsService, ExportsRepository],
})
export class ExportsModule {}
