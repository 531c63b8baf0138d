import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { MasterDataController } from './master-data.controller.js';
import { MasterDataRepository } from './master-data.repository.js';
import { MasterDataService } from './master-data.service.js';
import { WorkflowCopies } from './workflow-copies.js';

/** Persons, tandems, Schulämter and networks: read and corrected in scope, with their history. */
@Module({
  imports: [EngineModule],
  controllers: [MasterDataController],
  providers: [MasterDataRepository, WorkflowCopies, MasterDataService],
  exports: [MasterDataRepository, WorkflowCopies],
})
export class MasterDataModule {}
