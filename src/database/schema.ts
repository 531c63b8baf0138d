/** Every entity and migration of Lotse, in one place so the data source and the CLI agree. */
import { AUDIT_ENTITIES } from '../audit/audit.entities.js';
import { AUTH_ENTITIES } from '../auth/entities.js';
import { CONTRACT_ENTITIES } from '../contracts/contract.entities.js';
import { ENGINE_ENTITIES } from '../engine/persistence/entities.js';
import { EVALUATION_ENTITIES } from '../evaluation/entities.js';
import { MASTER_DATA_ENTITIES } from '../master-data/master-data.entities.js';
import { QUALIFICATION_ENTITIES } from '../qualification/entities.js';
import { EngineTables1763800000000 } from './migrations/1763800000000-EngineTables.js';
import { ContractTables1763900000000 } from './migrations/1763900000000-ContractTables.js';
import { QualificationTables1764000000000 } from './migrations/1764000000000-QualificationTables.js';
import { WritePath1764100000000 } from './migrations/1764100000000-WritePath.js';
import { EventRevisionsAndTitles1764300000000 } from './migrations/1764300000000-EventRevisionsAndTitles.js';
import { SchedulerClaims1764400000000 } from './migrations/1764400000000-SchedulerClaims.js';
import { AuthTables1765100000000 } from './migrations/1765100000000-AuthTables.js';
import { EvaluationTables1765380000000 } from './migrations/1765380000000-EvaluationTables.js';
import { QualificationProjections1765200000000 } from './migrations/1765200000000-QualificationProjections.js';
import { AuditLog1765410000000 } from './migrations/1765410000000-AuditLog.js';
import { MasterDataCorrections1765420000000 } from './migrations/1765420000000-MasterDataCorrections.js';
import { RetentionPasses1765430000000 } from './migrations/1765430000000-RetentionPasses.js';
import { JournalChain1765440000000 } from './migrations/1765440000000-JournalChain.js';

export const ENTITIES = [
  ...ENGINE_ENTITIES,
  ...CONTRACT_ENTITIES,
  ...QUALIFICATION_ENTITIES,
  ...AUTH_ENTITIES,
  ...EVALUATION_ENTITIES,
  ...AUDIT_ENTITIES,
  ...MASTER_DATA_ENTITIES,
];

export const MIGRATIONS = [
  EngineTables1763800000000,
  ContractTables1763900000000,
  QualificationTables1764000000000,
  WritePath1764100000000,
  EventRevisionsAndTitles1764300000000,
  SchedulerClaims1764400000000,
  AuthTables1765100000000,
  QualificationProjections1765200000000,
  EvaluationTables1765380000000,
  AuditLog1765410000000,
  MasterDataCorrections1765420000000,
  RetentionPasses1765430000000,
  JournalChain1765440000000,
];
