/** Events sent to the programme's workflows, checked against the machines' event types at compile time. */
import type { EventObject } from 'xstate';
import type { EnrolmentEvent, GroupEvent } from '../../workflows/tandem-qualification/machine.js';

export function enrolmentEvent(event: Exclude<EnrolmentEvent, { type: `due.${string}` }>): EventObject {
  return event;
}

export function groupEvent(event: GroupEvent): EventObject {
  return event;
}
