/** Every entity and migration of Lotse, in one place so the data source and the CLI agree. */
import { ENGINE_ENTITIES } from '../engine/persistence/entities.js';
import { EngineTables1763800000000 } from './migrations/1763800000000-EngineTables.js';

export const ENTITIES = [...ENGINE_ENTITIES];

export const MIGRATIONS = [EngineTables1763800000000];
