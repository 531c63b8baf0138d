/**
 * Corrections of master data the qualification's workflows copied when they started: a tandem's members in its
 * enrolment, the seated and waiting tandems' members and the moderators in a group. A person's name, address or
 * language, a network's name. Each is a pure function of the context; the engine journals it under its event type
 * and replays it, and the reminders the instance declares follow the corrected context.
 */
import type { Language } from '../shared/mail.js';
import type { EnrolmentContext, GroupContext, IssuedCertificate, Person, Seat } from './model.js';

/** A person's record was corrected: the fields given replace the copies. */
export interface PersonCorrected {
  type: 'PERSON_CORRECTED';
  personId: string;
  name?: string;
  email?: string;
  language?: Language;
}

/**
 * A person was pseudonymised (DSGVO Art. 17): name and address become the pseudonym everywhere but on the
 * certificates issued to them, which keep the name they were issued to so that their codes still verify.
 */
export interface PersonPseudonymised {
  type: 'PERSON_PSEUDONYMISED';
  personId: string;
  name: string;
  email: string;
}

/** A network was renamed: an enrolment carries its network's name into its messages. */
export interface NetworkRenamed {
  type: 'NETWORK_RENAMED';
  networkId: string;
  networkName: string;
}

type Fields = Partial<Pick<Person, 'name' | 'email' | 'language'>>;

function fieldsOf(event: PersonCorrected | PersonPseudonymised): Fields {
  const fields: Fields = {};
  if (event.name !== undefined) fields.name = event.name;
  if (event.email !== undefined) fields.email = event.email;
  if ('language' in event && event.language !== undefined) fields.language = event.language;
  return fields;
}

function corrected<T extends Person>(people: T[], personId: string, fields: Fields): T[] {
  return people.some((p) => p.personId === personId)
    ? people.map((p) => (p.personId === personId ? { ...p, ...fields } : p))
    : people;
}

function seats(list: Seat[], personId: string, fields: Fields): Seat[] {
  return list.map((seat) => ({ ...seat, members: corrected(seat.members, personId, fields) }));
}

function certificates(list: IssuedCertificate[], personId: string, name: string | undefined): IssuedCertificate[] {
  if (name === undefined) return list;
  return list.map((certificate) =>
    certificate.personId === personId ? { ...certificate, personName: name } : certificate,
  );
}

/** Whether a context (enrolment or group) holds a copy of the person. */
export function holdsPerson(context: Partial<EnrolmentContext & GroupContext>, personId: string): boolean {
  const people = [
    ...(context.members ?? []),
    ...(context.moderators ?? []),
    ...[...(context.roster ?? []), ...(context.waitingList ?? [])].flatMap((s) => s.members),
  ];
  return people.some((p) => p.personId === personId);
}

export function correctEnrolment(
  context: EnrolmentContext,
  event: PersonCorrected | PersonPseudonymised,
): EnrolmentContext {
  const fields = fieldsOf(event);
  return {
    ...context,
    members: corrected(context.members, event.personId, fields),
    certificates:
      event.type === 'PERSON_CORRECTED'
        ? certificates(context.certificates, event.personId, event.name)
        : context.certificates,
  };
}

export function correctGroup(context: GroupContext, event: PersonCorrected | PersonPseudonymised): GroupContext {
  const fields = fieldsOf(event);
  return {
    ...context,
    moderators: corrected(context.moderators, event.personId, fields),
    roster: seats(context.roster, event.personId, fields),
    waitingList: seats(context.waitingList, event.personId, fields),
  };
}

export function renameEnrolmentNetwork(context: EnrolmentContext, event: NetworkRenamed): EnrolmentContext {
  return context.networkId === event.networkId ? { ...context, networkName: event.networkName } : context;
}

/** The corrections of the enrolment workflow, as the engine takes them. */
export const ENROLMENT_CORRECTIONS = {
  PERSON_CORRECTED: (context: EnrolmentContext, event: PersonCorrected) => correctEnrolment(context, event),
  PERSON_PSEUDONYMISED: (context: EnrolmentContext, event: PersonPseudonymised) => correctEnrolment(context, event),
  NETWORK_RENAMED: (context: EnrolmentContext, event: NetworkRenamed) => renameEnrolmentNetwork(context, event),
};

/** The corrections of the group workflow. */
export const GROUP_CORRECTIONS = {
  PERSON_CORRECTED: (context: GroupContext, event: PersonCorrected) => correctGroup(context, event),
  PERSON_PSEUDONYMISED: (context: GroupContext, event: PersonPseudonymised) => correctGroup(context, event),
};
