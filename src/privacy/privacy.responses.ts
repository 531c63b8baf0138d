import { ApiProperty } from '@nestjs/swagger';
import { MasterPersonResponse } from '../master-data/master-data.responses.js';

/** What the data-protection endpoints answer: the shapes PrivacyService builds. */

const records = (description: string) =>
  ({ type: 'array', items: { type: 'object', additionalProperties: true }, description }) as const;

export class PersonExportResponse {
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ example: 'DSGVO Art. 15' }) basis!: string;
  @ApiProperty({ type: MasterPersonResponse }) person!: MasterPersonResponse;
  @ApiProperty(records('Corrections of the record: when, by whom, each field before and after')) corrections!: object[];
  @ApiProperty(records("Tandems of the person, with the partner's name")) tandems!: object[];
  @ApiProperty(records('Enrolments of those tandems and their states')) enrolments!: object[];
  @ApiProperty(records('Invitations to the annual exchange and the answers')) exchangeInvitations!: object[];
  @ApiProperty(records('Groups the person moderates')) moderatedGroups!: object[];
  @ApiProperty(records('Attendance recorded for the person')) attendance!: object[];
  @ApiProperty(records("The person's evaluations of events")) evaluations!: object[];
  @ApiProperty(records('Certificates issued to the person')) certificates!: object[];
  @ApiProperty(records("Workflows holding the person, with their context (others' addresses left out)"))
  workflows!: object[];
  @ApiProperty(records('The journal of those workflows and any entry naming the person')) journal!: object[];
  @ApiProperty(records('Every message addressed to the person, with its status')) mails!: object[];
  @ApiProperty(records('Audit rows about the person or done by them')) audit!: object[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Accounts (no password hashes), API tokens and calendar subscriptions (no secrets)',
  })
  signIn!: Record<string, unknown>;
}

export class ErasureCopiesResponse {
  @ApiProperty() workflows!: number;
  @ApiProperty() reminders!: number;
  @ApiProperty() mails!: number;
  @ApiProperty({ description: 'Messages to the person that had not gone out, now stopped' }) stoppedMails!: number;
  @ApiProperty({ description: 'Journal payloads, fired reminders and stored answers rewritten' }) history!: number;
}

export class ErasureResponse {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: ['erased', 'pseudonymised'] }) outcome!: 'erased' | 'pseudonymised';
  @ApiProperty({ type: [String], description: 'What stays, and why' }) kept!: string[];
  @ApiProperty({ type: ErasureCopiesResponse }) copies!: ErasureCopiesResponse;
}
