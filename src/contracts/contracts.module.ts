import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { ContractsController } from './contracts.controller.js';
import { ContractsRepository } from './contracts.repository.js';
import { ContractsService } from './contracts.service.js';

/** Cooperation contracts of Lower Saxon Bildungsregionen (programme B) on the workflow `contract-review`. */
@Module({
  imports: [EngineModule],
  controllers: [ContractsController],
  providers: [ContractsRepository, ContractsService],
  exports: [ContractsRepository],
})
export class ContractsModule {}
