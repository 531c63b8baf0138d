import { ApiProperty } from '@nestjs/swagger';

/** What the generic instance API answers; the shapes of `WorkflowEngine`'s results (workflow-engine.ts). */

export class DefinitionResponse {
  @ApiProperty({ example: 'contract-review' }) name!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: 'Kooperationsvertrag Bildungsregion' }) title!: string;
}

/** An instance as a list shows it. */
export class ListedInstanceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'sample-deadline' }) definition!: string;
  @ApiProperty({ description: 'The definition version the instance runs on' }) version!: number;
  @ApiProperty({ description: 'The state, sub-states joined by dots', example: 'active.running' }) state!: string;
  @ApiProperty({ description: 'XState status: active or done', example: 'active' }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The machine's context" }) context!: Record<
    string,
    unknown
  >;
  @ApiProperty({ description: 'Raised by every accepted event (optimistic lock)' }) revision!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** An instance after a step: its state and the events it accepts now. */
export class InstanceResponse extends ListedInstanceResponse {
  @ApiProperty({ type: [String], description: 'Events the current state accepts', example: ['APPROVE'] })
  acceptedEvents!: string[];
}

export class PendingTimerResponse {
  @ApiProperty({ example: 'decision' }) key!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The event it raises (an event timer)',
    example: 'due.decision',
  })
  event!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The effect it writes to the outbox (an effect timer, e.g. a reminder)',
    example: 'mail',
  })
  effect!: string | null;
}

export class InstanceDetailsResponse extends InstanceResponse {
  @ApiProperty({ type: [PendingTimerResponse] }) pendingTimers!: PendingTimerResponse[];
}

export class InstancePageResponse {
  @ApiProperty({ description: 'Instances matching the filter, on all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [ListedInstanceResponse] }) items!: ListedInstanceResponse[];
}

/** One accepted event (or the creation, or a migration) of an instance. */
export class JournalEntryResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty({ description: '1 for the creation, then one more per accepted event' }) seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty({ example: 'APPROVE' }) eventType!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the creation' }) stateBefore!: string | null;
  @ApiProperty() stateAfter!: string;
}
