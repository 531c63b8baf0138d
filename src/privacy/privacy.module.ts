import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { MasterDataModule } from '../master-data/master-data.module.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyRepository } from './privacy.repository.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionJob } from './retention.job.js';

/** DSGVO: export (Art. 15), erasure and pseudonymisation (Art. 17), and the retention job. */
@Module({
  imports: [EngineModule, MasterDataModule],
  controllers: [PrivacyController],
  providers: [PrivacyRepository, PrivacyService, RetentionJob],
})
export class PrivacyModule {}
