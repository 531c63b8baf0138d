import { Module, type OnModuleInit } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { ProjectionRegistry } from '../engine/projection.js';
import { contractProjection } from './contract.projection.js';
import { ContractsController } from './contracts.controller.js';
import { ContractsRepository } from './contracts.repository.js';
import { ContractsService } from './contracts.service.js';

/** Cooperation contracts of Lower Saxon Bildungsregionen (programme B) on the workflow `contract-review`. */
@Module({
  imports: [EngineModule],
  controllers: [ContractsController],
  providers: [ContractsRepository, ContractsService],
  exports: [ContractsRepository, ContractsService],
})
export class ContractsModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  /** The contract tables are written by the engine in every step of a contract's workflow. */
  onModuleInit(): void {
    this.projections.register(contractProjection);
  }
}
