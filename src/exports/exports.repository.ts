import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { CertificateRow, DistrictRow, EnrolmentRow, NetworkRow } from '../qualification/entities.js';

/** The reads of the exports that no programme service offers as a list: every certificate with its enrolment. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  certificates(): Promise<CertificateRow[]> {
    return this.dataSource
      .getRepository(CertificateRow)
      .find({ order: { issuedOn: 'ASC', personName: 'ASC', id: 'ASC' } });
  }

  enrolments(ids: string[]): Promise<EnrolmentRow[]> {
    return ids.length ? this.dataSource.getRepository(EnrolmentRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  networks(ids: string[]): Promise<NetworkRow[]> {
    return ids.length ? this.dataSource.getRepository(NetworkRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  districts(): Promise<DistrictRow[]> {
    return this.dataSource.getRepository(DistrictRow).find();
  }
}
