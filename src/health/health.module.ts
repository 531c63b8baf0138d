import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { HeartbeatStore } from './heartbeat.store.js';

/** /health for load balancers and operators. */
@Module({
  imports: [EngineModule],
  controllers: [HealthController],
  providers: [HeartbeatStore, HealthService],
})
export class HealthModule {}
