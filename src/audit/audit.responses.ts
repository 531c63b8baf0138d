import { ApiProperty } from '@nestjs/swagger';

/** What GET /audit answers: rows as AuditLog.list builds them. */

export class AuditActorResponse {
  @ApiProperty({ example: 'koeln/m.schmidt' }) id!: string;
  @ApiProperty({ example: 'district' }) role!: string;
}

export class AuditSubjectResponse {
  @ApiProperty({ example: 'person' }) type!: string;
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
}

export class AuditRowResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActorResponse }) actor!: AuditActorResponse;
  @ApiProperty({ example: 'person.corrected' }) action!: string;
  @ApiProperty({ type: AuditSubjectResponse, nullable: true, description: 'The record written' })
  subject!: AuditSubjectResponse | null;
  @ApiProperty({ type: String, nullable: true, description: 'The person the row is about' }) personId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Ids, field names, routes: never personal data',
    example: { fields: ['email'] },
  })
  details!: Record<string, unknown>;
}

export class AuditPageResponse {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [AuditRowResponse] }) items!: AuditRowResponse[];
}
