/** Queries and corrections of master data, validated at the edge (unknown fields are refused). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

export class DirectoryQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'koeln', description: "Only this district's (a district always sees only its own)" })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  district?: string;
}

export class PersonsQuery extends DirectoryQuery {
  @ApiPropertyOptional({ description: 'Part of the name or address, any case', example: 'schmidt' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;
}

/**
 * A field a correction may leave out. Unlike @IsOptional, null is not "left out": there is no removing a name or an
 * address, so `{"email": null}` is refused like any other value that is not one.
 */
const Omittable = () => ValidateIf((_, value) => value !== undefined);

class Note {
  @ApiPropertyOptional({ description: 'Why, kept with the correction', example: 'Tippfehler in der Adresse' })
  @Omittable()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  note?: string;
}

export class CorrectPersonDto extends Note {
  @ApiPropertyOptional({ example: 'Dr. Anna Beispiel' })
  @Omittable()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: 'anna.beispiel@example.org',
    description: 'The address every message from now on goes to, pending reminders included',
  })
  @Omittable()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @ApiPropertyOptional({ enum: ['de', 'en'] })
  @Omittable()
  @IsIn(['de', 'en'])
  language?: 'de' | 'en';

  @ApiPropertyOptional({
    example: 'Bezirksregierung Köln, Dezernat 41',
    description: 'The office as certificates print it',
  })
  @Omittable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  office?: string;

  @ApiPropertyOptional({ description: 'Another Schulamt of the same district (lower school supervision only)' })
  @Omittable()
  @IsUUID()
  schoolOfficeId?: string;
}

export class CorrectTandemDto extends Note {
  @ApiProperty({ description: 'The network of the same district the tandem was meant to be registered for' })
  @IsUUID()
  networkId!: string;
}

export class CorrectNameDto extends Note {
  @ApiProperty({ example: 'Schulamt für die Stadt Köln' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name!: string;
}
