import { ApiProperty } from '@nestjs/swagger';
import { SUPERVISIONS, type Supervision } from '../../workflows/tandem-qualification/model.js';

/** What the master-data endpoints answer: the shapes MasterDataService builds. */

export class MasterPersonResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null once the person is pseudonymised' }) email!:
    string | null;
  @ApiProperty({ enum: ['de', 'en'] }) language!: string;
  @ApiProperty({ enum: SUPERVISIONS, nullable: true }) supervision!: Supervision | null;
  @ApiProperty({ type: String, nullable: true, example: 'koeln' }) districtId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) schoolOfficeId!: string | null;
  @ApiProperty({ description: 'The office as a certificate names it' }) office!: string;
  @ApiProperty({ description: 'Pseudonymised (DSGVO Art. 17): the name is a pseudonym, the address gone' })
  pseudonymised!: boolean;
}

export class MasterPersonPageResponse {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [MasterPersonResponse] }) items!: MasterPersonResponse[];
}

export class CopiesReachedResponse {
  @ApiProperty({ description: 'Workflows holding a copy, each corrected through the engine (a journal row)' })
  workflows!: number;
  @ApiProperty({ description: 'Reminders now waiting to go to the corrected address' }) reminders!: number;
  @ApiProperty({ description: 'Queued or bounced messages rewritten' }) mails!: number;
}

export class CorrectedPersonResponse extends MasterPersonResponse {
  @ApiProperty({
    type: [String],
    example: ['email'],
    description: 'The fields that changed; empty when the correction changed nothing',
  })
  corrected!: string[];
  @ApiProperty({ type: CopiesReachedResponse }) copies!: CopiesReachedResponse;
}

export class CorrectionActorResponse {
  @ApiProperty() id!: string;
  @ApiProperty() role!: string;
}

export class CorrectionResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: CorrectionActorResponse }) actor!: CorrectionActorResponse;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { from: {}, to: {} }, required: ['from', 'to'] },
    example: { email: { from: 'lena@koeln.example', to: 'lena.unter@koeln.example' } },
    description: 'Each field corrected, before and after',
  })
  changes!: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class NamedRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class TandemMemberResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: SUPERVISIONS, nullable: true }) supervision!: Supervision | null;
}

export class MasterTandemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: NamedRefResponse, nullable: true }) network!: NamedRefResponse | null;
  @ApiProperty({ type: String, nullable: true }) districtId!: string | null;
  @ApiProperty({ type: [TandemMemberResponse], description: 'The lower, then the upper school supervision member' })
  members!: TandemMemberResponse[];
  @ApiProperty({ format: 'date-time' }) formedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The tandem it was re-formed into' })
  successorId!: string | null;
}

export class MasterTandemPageResponse {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [MasterTandemResponse] }) items!: MasterTandemResponse[];
}

export class MasterSchoolOfficeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'koeln' }) districtId!: string;
}

export class MasterSchoolOfficePageResponse {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [MasterSchoolOfficeResponse] }) items!: MasterSchoolOfficeResponse[];
}

export class MasterNetworkResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'koeln' }) districtId!: string;
}

export class CorrectedNetworkResponse extends MasterNetworkResponse {
  @ApiProperty({ type: CopiesReachedResponse }) copies!: CopiesReachedResponse;
}
