import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In } from 'typeorm';
import { ContractDeadlineRow, ContractRow } from './contract.entities.js';

export interface DeadlineFilter {
  /** Notice windows before this day have passed and are left out; other open deadlines stay, as overdue. */
  today: string;
  kind?: string;
  until?: string;
}

/** Reads the contract tables; the engine writes them, through the contract projection, in every step. */
@Injectable()
export class ContractsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<ContractRow | null> {
    return this.dataSource.getRepository(ContractRow).findOneBy({ id });
  }

  /** Open deadlines of all contracts, soonest first; on one day by Bildungsregion, then kind. */
  async deadlines(filter: DeadlineFilter): Promise<{ deadline: ContractDeadlineRow; contract: ContractRow }[]> {
    const query = this.dataSource.getRepository(ContractDeadlineRow).createQueryBuilder('d')
      .where(new Brackets((q) => q.where("d.kind <> 'notice-window'").orWhere('d.due_on >= :today', { today: filter.today })));
    if (filter.kind) query.andWhere('d.kind = :kind', { kind: filter.kind });
    if (filter.until) query.andWhere('d.due_on <= :until', { until: filter.until });
    const deadlines = await query.orderBy('d.due_on', 'ASC').getMany();
    const ids = [...new Set(deadlines.map((d) => d.contractId))];
    const contracts = new Map((ids.length ? await this.dataSource.getRepository(ContractRow).findBy({ id: In(ids) }) : []).map((c) => [c.id, c]));
    return deadlines
      .map((deadline) => ({ deadline, contract: contracts.get(deadline.contractId)! }))
      .sort((a, b) => a.deadline.on.localeCompare(b.deadline.on) || a.contract.bildungsregion.localeCompare(b.contract.bildungsregion)
        || a.deadline.kind.localeCompare(b.deadline.kind));
  }
}
