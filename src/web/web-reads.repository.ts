import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ModeratorTandemRow, PersonRow } from '../qualification/entities.js';

/** What the ministry's pages list that no API list offers: the appointed moderator tandems, and who may be appointed. */
@Injectable()
export class WebReadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  moderatorTandems(): Promise<ModeratorTandemRow[]> {
    return this.dataSource.getRepository(ModeratorTandemRow).find({ order: { appointedOn: 'ASC', id: 'ASC' } });
  }

  /** Persons outside school supervision (the institute's staff): moderators come from there, not from the tandems. */
  personsOutsideSupervision(): Promise<PersonRow[]> {
    return this.dataSource.getRepository(PersonRow).find({ where: { supervision: IsNull() }, order: { name: 'ASC' } });
  }

  persons(): Promise<PersonRow[]> {
    return this.dataSource.getRepository(PersonRow).find();
  }
}
