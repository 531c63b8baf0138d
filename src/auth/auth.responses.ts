import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARTNER_SIDES, type PartnerSide } from '../../workflows/contract-review/contract.js';
import { ROLES, type Role } from './policy.js';

/** What sign-in, API tokens and calendar subscriptions answer. */

/** OAuth 2.0's token response (RFC 6749 5.1) with who the token stands for. */
export class TokenResponse {
  @ApiProperty({ description: 'Send as Authorization: Bearer <access_token>' }) access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ description: 'Seconds until it expires', example: 3600 }) expires_in!: number;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: 'koeln/schmidt' }) actor_id!: string;
}

/** The objects a caller may act on (src/auth/policy.ts); which members are present depends on the role. */
export class ScopeResponse {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ description: "A district's own area", example: 'koeln' }) districtId?: string;
  @ApiPropertyOptional({ description: 'A moderator or participant: the person it is' }) personId?: string;
  @ApiPropertyOptional({ description: 'A contract administrator: the administrator it is' }) adminId?: string;
  @ApiPropertyOptional({ enum: PARTNER_SIDES, description: 'A contract administrator: the partner it acts for' })
  partner?: PartnerSide;
}

export class CallerResponse {
  @ApiProperty({ description: 'The actor id the journal records', example: 'koeln/schmidt' }) id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({
    enum: ['person', 'api-token'],
    description: "A person's sign-in, or an API token acting for its creator",
  })
  via!: 'person' | 'api-token';
  @ApiProperty({ type: ScopeResponse }) scope!: ScopeResponse;
}

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Schulverwaltungssoftware Köln' }) name!: string;
  @ApiProperty({ enum: ROLES, description: "Its creator's role, which it acts with" }) role!: string;
  @ApiProperty({ description: "Its creator's actor id" }) actorId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: until revoked' }) expiresAt!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

/** A new API token: the only answer that shows its secret. */
export class NewApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The token itself (lotse_api_…), shown only now', example: 'lotse_api_…' })
  token!: string;
}

export class CalendarSubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['person', 'group'], description: "A participant's own events, or a group's" }) kind!:
    'person' | 'group';
  @ApiProperty({ description: 'The person or group whose events it shows' }) subjectId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

/** A new subscription: the only answer that shows its secret URL. */
export class NewCalendarSubscriptionResponse extends CalendarSubscriptionResponse {
  @ApiProperty({
    description: "The secret feed URL's path, shown only now; a calendar app subscribes to it without signing in",
    example: '/calendar/lotse_cal_….ics',
  })
  path!: string;
}
