import { Module } from '@nestjs/common';
import { InstancesController } from './instances.controller.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { InstanceStore } from './persistence/instance.store.js';
import { OutboxStore } from './persistence/outbox.store.js';
import { WriteSerializer } from './persistence/write-serializer.js';
import { DefinitionRegistry } from './registry.js';
import { TimerScheduler } from './timer-scheduler.js';
import { WorkflowEngine } from './workflow-engine.js';

/** The generic runtime. Clock, config, definitions and the scheduler switch come from the application module. */
@Module({
  controllers: [InstancesController],
  providers: [WriteSerializer, InstanceStore, OutboxStore, DefinitionRegistry, WorkflowEngine, OutboxDispatcher, TimerScheduler],
  exports: [WorkflowEngine, DefinitionRegistry, OutboxDispatcher, OutboxStore, TimerScheduler, WriteSerializer],
})
export class EngineModule {}
