import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class ErasureDto {
  @ApiProperty({
    description: 'The request or decision it answers (file reference), kept in the audit log; no personal data',
    example: 'DS-2026-014',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference!: string;
}
