import { Module } from '@nestjs/common';
import { InstancesController } from './instances.controller.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { InstanceStore } from './persistence/instance.store.js';
import { OutboxStore } from './persistence/outbox.store.js';
import { StorageProbe } from './persistence/storage-probe.js';
import { WriteSerializer } from './persistence/write-serializer.js';
import { ProjectionRegistry } from './projection.js';
import { DefinitionRegistry } from './registry.js';
import { TimerScheduler } from './timer-scheduler.js';
import { WorkflowEngine } from './workflow-engine.js';

/**
 * The generic runtime. Clock, config, definitions, the database connections and the scheduler switch come from the
 * application module; programme modules register their projections with the ProjectionRegistry.
 */
@Module({
  controllers: [InstancesController],
  providers: [
    WriteSerializer,
    InstanceStore,
    OutboxStore,
    DefinitionRegistry,
    ProjectionRegistry,
    WorkflowEngine,
    OutboxDispatcher,
    TimerScheduler,
    StorageProbe,
  ],
  exports: [
    WorkflowEngine,
    DefinitionRegistry,
    ProjectionRegistry,
    OutboxDispatcher,
    OutboxStore,
    TimerScheduler,
    WriteSerializer,
    StorageProbe,
  ],
})
export class EngineModule {}
