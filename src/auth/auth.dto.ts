import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'koeln.schmidt' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class CreateApiTokenDto {
  @ApiProperty({ description: 'What the token is for', example: 'Schulverwaltungssoftware Köln' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    description: 'When it stops working (ISO instant); without, until revoked',
    example: '2027-06-30T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class CreateCalendarSubscriptionDto {
  @ApiPropertyOptional({
    description:
      "A group's feed (institute, or the group's moderators); without it, the caller's own events (participant)",
  })
  @IsOptional()
  @IsUUID()
  groupId?: string;
}
