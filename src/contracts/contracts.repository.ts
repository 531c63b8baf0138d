import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In } from 'typeorm';
import { ContractAdminRow, ContractDeadlineRow, ContractRow } from './contract.entities.js';

export interface DeadlineFilter {
  /** Notice windows before this day have passed and are left out; other open deadlines stay, as overdue. */
  today: string;
  kind?: string;
  until?: string;
  /** Only the contracts naming this actor id among their administrators. */
  administeredBy?: string;
}

/** Reads the contract tables; the engine writes them, through the contract projection, in every step. */
@Injectable()
export class ContractsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<ContractRow | null> {
    return this.dataSource.getRepository(ContractRow).findOneBy({ id });
  }

  /** Every contract, or those naming this actor id among their administrators; by Bildungsregion. */
  contracts(administeredBy?: string): Promise<ContractRow[]> {
    const query = this.dataSource.getRepository(ContractRow).createQueryBuilder('c');
    if (administeredBy !== undefined)
      query.where('c.id IN (SELECT a.contract_id FROM contract_admins a WHERE a.actor_id = :admin)', {
        admin: administeredBy,
      });
    return query.orderBy('c.bildungsregion', 'ASC').addOrderBy('c.id', 'ASC').getMany();
  }

  /** The workflow instances of the contracts that name this actor id among their administrators. */
  async instancesAdministeredBy(actorId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ContractRow)
      .createQueryBuilder('c')
      .select('c.instance_id', 'instanceId')
      .innerJoin(ContractAdminRow, 'a', 'a.contract_id = c.id')
      .where('a.actor_id = :actorId', { actorId })
      .getRawMany<{ instanceId: string }>();
    return rows.map((row) => row.instanceId);
  }

  /** Open deadlines of all contracts, soonest first; on one day by Bildungsregion, then kind. */
  async deadlines(filter: DeadlineFilter): Promise<{ deadline: ContractDeadlineRow; contract: ContractRow }[]> {
    const query = this.dataSource
      .getRepository(ContractDeadlineRow)
      .createQueryBuilder('d')
      .where(
        new Brackets((q) =>
          q.where("d.kind <> 'notice-window'").orWhere('d.due_on >= :today', { today: filter.today }),
        ),
      );
    if (filter.kind) query.andWhere('d.kind = :kind', { kind: filter.kind });
    if (filter.until) query.andWhere('d.due_on <= :until', { until: filter.until });
    if (filter.administeredBy !== undefined) {
      query.andWhere('d.contract_id IN (SELECT a.contract_id FROM contract_admins a WHERE a.actor_id = :admin)', {
        admin: filter.administeredBy,
      });
    }
    const deadlines = await query.orderBy('d.due_on', 'ASC').getMany();
    const ids = [...new Set(deadlines.map((d) => d.contractId))];
    const contracts = new Map(
      (ids.length ? await this.dataSource.getRepository(ContractRow).findBy({ id: In(ids) }) : []).map((c) => [
        c.id,
        c,
      ]),
    );
    return deadlines
      .map((deadline) => ({ deadline, contract: contracts.get(deadline.contractId)! }))
      .sort(
        (a, b) =>
          a.deadline.on.localeCompare(b.deadline.on) ||
          a.contract.bildungsregion.localeCompare(b.contract.bildungsregion) ||
          a.deadline.kind.localeCompare(b.deadline.kind),
      );
  }
}
