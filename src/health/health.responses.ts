import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ description: 'The database type', enum: ['better-sqlite3', 'postgres'] }) database!: string;
  @ApiProperty({ format: 'date-time', description: 'The service clock' }) now!: string;
}
