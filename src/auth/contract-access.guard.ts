import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { ContractAdmin, PartnerSide } from '../../workflows/contract-review/contract.js';
import { ContractsRepository } from '../contracts/contracts.repository.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { AuthRepository } from './auth.repository.js';
import type { SignedInRequest } from './auth.guard.js';
import { contractAdminsRefusal, requireContractAccess } from './policy.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The contracts' policy (after the AuthGuard): a contract is read and changed by the administrators it names (the
 * ministry reads every one), and a new contract names its creator and administrators the partners brought in.
 * The administrators come from the contract's workflow instance, the record of truth.
 */
@Injectable()
export class ContractAccessGuard implements CanActivate {
  constructor(
    private readonly contracts: ContractsRepository,
    private readonly engine: WorkflowEngine,
    private readonly auth: AuthRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const actor = request.actor!;
    const id = request.params.id;
    if (typeof id === 'string') {
      const contract = UUID.test(id) ? await this.contracts.find(id) : null;
      if (!contract) return true; // the route answers 400 or 404
      const admins = ((await this.engine.get(contract.instanceId)).context.admins ?? []) as ContractAdmin[];
      requireContractAccess(
        actor,
        { id, bildungsregion: contract.bildungsregion, admins },
        request.method === 'GET' ? 'read' : 'write',
      );
      return true;
    }
    if (request.method === 'POST') {
      const admins = namedAdmins((request.body as { admins?: unknown } | undefined)?.admins);
      // A body without a list of administrators is refused by validation (400) after this.
      if (!admins) return true;
      const refusal = contractAdminsRefusal(actor, admins, await this.auth.contractAdmins(admins.map((a) => a.id)));
      if (refusal) throw refusal;
    }
    return true;
  }
}

function namedAdmins(value: unknown): { id: string; partner: PartnerSide }[] | null {
  if (!Array.isArray(value)) return null;
  return value
    .filter(
      (a): a is { id: string; partner: PartnerSide } =>
        typeof a === 'object' && a !== null && typeof a.id === 'string' && typeof a.partner === 'string',
    )
    .map((a) => ({ id: a.id, partner: a.partner }));
}
