/**
 * Who may do what, in one place: the roles, the scope each signed-in caller carries, the permission table the
 * `AuthGuard` checks on every route, and per resource the policy that decides about one object (this district's
 * enrolment, that moderator's group, this administrator's contract). Services load the object, then ask here.
 *
 * The actor id keeps the conventions the journal has always used, now filled from the token:
 * - `district`: the Bezirksregierung's code, optionally followed by `/` and the clerk (`koeln`, `koeln/m.schmidt`).
 * - `moderator` and `participant`: the person's id in Lotse.
 * - `contract_admin`: the id under which the contract names its administrator (e.g. `mk-lange`).
 * - `ministry`, `institute`: the user name; they act statewide.
 */
import { PROGRAMME as CONTRACT_PROGRAMME } from '../../workflows/contract-review/reminders.js';
import type { ContractAdmin, PartnerSide } from '../../workflows/contract-review/contract.js';
import { GROUP_WORKFLOW, PROGRAMME as QUALIFICATION_PROGRAMME } from '../../workflows/tandem-qualification/model.js';
import { OutOfScope } from '../common/errors.js';
import type { Actor } from '../common/actor.js';

export const ROLES = ['ministry', 'district', 'institute', 'moderator', 'participant', 'contract_admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The caller of a request, as the AuthGuard established it from the bearer token. */
export interface SignedInActor extends Actor {
  role: Role;
  /** A contract administrator's partner, when the token names it. */
  partner?: PartnerSide;
  /** How the caller signed in: a person's token (local account or the Land's identity provider), or an API token. */
  via: 'person' | 'api-token';
}

export type Scope =
  | { role: 'district'; districtId: string }
  | { role: 'institute' }
  | { role: 'ministry' }
  | { role: 'moderator'; personId: string }
  | { role: 'participant'; personId: string }
  | { role: 'contract_admin'; adminId: string; partner?: PartnerSide };

/** The scope an actor carries. The role was checked by the AuthGuard against the route's permission. */
export function scopeOf(actor: Actor): Scope {
  const role = actor.role;
  switch (role) {
    case 'district':
      return { role, districtId: actor.id.split('/')[0].toLowerCase() };
    case 'moderator':
    case 'participant':
      return { role, personId: actor.id };
    case 'contract_admin':
      return {
        role,
        adminId: actor.id,
        ...((actor as Partial<SignedInActor>).partner ? { partner: (actor as SignedInActor).partner } : {}),
      };
    case 'institute':
    case 'ministry':
      return { role };
    default:
      throw new OutOfScope(`the role ${role} is not a Lotse role`, 'role-may-act', { role });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The permission table: each route names one permission; the AuthGuard refuses (403) a role not listed for it.

const EVERYONE = ROLES;
const QUALIFICATION: readonly Role[] = ['ministry', 'district', 'institute', 'moderator', 'participant'];

interface Permission {
  roles: readonly Role[];
  /** The rule named in a refusal; `role-may-act` unless the resource has its own. */
  rule?: string;
  summary: string;
}

export const PERMISSIONS = {
  // the caller's own sign-in
  self: { roles: EVERYONE, summary: 'who am I; own API tokens' },
  'calendar-subscriptions': {
    roles: ['participant', 'moderator', 'institute'],
    summary: "subscribe a calendar app to own events or a group's",
  },
  // the generic engine API; which instances a role may read is decided per instance (mayReadInstance)
  'definitions:read': { roles: EVERYONE, summary: 'list workflow definitions' },
  'instances:read': { roles: EVERYONE, summary: 'read instances the caller may see' },
  'instances:write': {
    roles: EVERYONE,
    summary: 'start and step instances of definitions without a programme service',
  },
  'instances:migrate': { roles: ['ministry'], summary: 'move instances to a newer definition version' },
  'notifications:read': {
    roles: ['ministry', 'institute', 'contract_admin'],
    rule: 'notifications-role',
    summary: 'delivery status of the mail of instances the caller may see',
  },
  'notifications:resend': {
    roles: ['ministry', 'institute', 'contract_admin'],
    rule: 'notifications-role',
    summary: 're-send a dead letter',
  },
  'notifications:resend-all': {
    roles: ['ministry', 'institute'],
    rule: 'notifications-role',
    summary: 're-send every dead letter matching a filter, statewide',
  },
  // tandem qualification: directory
  'districts:read': { roles: QUALIFICATION, summary: 'the five districts' },
  'districts:plan': { roles: ['institute'], summary: "set a district's need for seats" },
  'directory:write': {
    roles: ['district', 'institute'],
    summary: 'create and correct Schulämter and networks (a district in its own area)',
  },
  'networks:read': { roles: ['ministry', 'district', 'institute'], summary: 'networks (a district its own)' },
  'persons:write': {
    roles: ['ministry', 'district', 'institute'],
    summary: 'create and correct persons (a district in its own area)',
  },
  'tandems:write': { roles: ['district'], summary: 'form tandems, correct them and change members, of the own area' },
  // master data: the directory as it stands, with every correction
  'directory:read': {
    roles: ['ministry', 'district', 'institute'],
    summary: 'list and read persons, tandems, Schulämter and networks with their corrections (a district its own area)',
  },
  'person:read': {
    roles: ['ministry', 'district', 'institute', 'moderator', 'participant'],
    summary: 'read a person and its corrections (a district its own area; a moderator or participant itself)',
  },
  // enrolments
  'enrolments:nominate': {
    roles: ['district'],
    summary:
      "nominate, record the staff council's outcome and the equal-opportunities officer's involvement, submit (own area)",
  },
  'enrolments:read': { roles: ['ministry', 'district', 'institute'], summary: 'enrolments (a district its own)' },
  'enrolments:place': { roles: ['institute'], summary: 'place in a group' },
  'enrolments:withdraw': { roles: ['district', 'institute'], summary: 'withdraw (a district its own)' },
  'certificates:issue': { roles: ['institute'], summary: 'issue certificates' },
  'certificates:read': { roles: ['ministry', 'institute'], summary: 'certificates of an enrolment' },
  // groups and events
  'moderators:appoint': {
    roles: ['ministry'],
    summary: 'appoint a moderator tandem (the ministry selects moderators)',
  },
  'moderators:assign': { roles: ['institute'], summary: 'assign an appointed moderator tandem to a group' },
  'groups:write': { roles: ['institute'], summary: 'form groups, set curricula' },
  'events:change': { roles: ['institute'], summary: 'move, add or cancel an event of a set curriculum, with a reason' },
  'groups:read': { roles: ['ministry', 'institute', 'moderator'], summary: 'groups (a moderator its own)' },
  'group-calendar:read': {
    roles: ['ministry', 'institute', 'moderator', 'participant'],
    summary: "a group's calendar (its moderators and members)",
  },
  'attendance:write': {
    roles: ['institute', 'moderator'],
    summary: 'record attendance (a moderator in its own groups)',
  },
  'attendance:read': { roles: ['ministry', 'institute', 'moderator'], summary: 'attendance lists' },
  'evaluations:write': { roles: ['participant'], summary: 'evaluate an attended event' },
  'evaluations:read': { roles: ['ministry', 'institute', 'moderator'], summary: 'anonymous evaluation results' },
  'reflection-phases:close': { roles: ['institute', 'moderator'], summary: 'close a reflection phase' },
  'deadlines:read': {
    roles: ['ministry', 'institute', 'moderator', 'contract_admin'],
    summary: "upcoming deadlines of both programmes (a moderator its own groups', an administrator its contracts')",
  },
  'overview:read': { roles: ['ministry', 'institute'], summary: 'statewide overview' },
  // a person's own data
  'person-data:read': {
    roles: ['ministry', 'institute', 'participant'],
    summary: 'schedule, tasks, certificates, calendar (a participant its own)',
  },
  // annual exchange
  'exchanges:schedule': { roles: ['institute'], summary: 'schedule the annual exchange' },
  'exchanges:read': { roles: ['ministry', 'institute'], summary: 'exchanges and answers' },
  'exchanges:answer': { roles: ['district', 'participant'], summary: 'answer an invitation (own tandem or area)' },
  'exchange-evaluations:write': { roles: ['participant'], summary: 'evaluate an exchange the own tandem accepted' },
  'exchange-evaluations:read': {
    roles: ['ministry', 'institute'],
    summary: 'anonymous evaluation results of an exchange',
  },
  // quality assurance: the ministry's yearly report and its meeting on it (decree section II.5)
  'evaluation-report:read': { roles: ['ministry'], summary: 'the yearly evaluation report (JSON, CSV, PDF)' },
  'evaluation-meetings:read': {
    roles: ['ministry'],
    summary: 'the meetings on the evaluation findings and their recipients',
  },
  'evaluation-meetings:write': {
    roles: ['ministry'],
    summary: 'record, change or cancel the yearly meeting on the evaluation findings',
  },
  // audit and data protection
  'audit:read': { roles: ['ministry'], rule: 'audit-read-by-ministry', summary: 'read the audit log' },
  'person-data:export': {
    roles: ['ministry', 'moderator', 'participant'],
    summary: 'export everything Lotse holds about a person (DSGVO Art. 15; a moderator or participant itself)',
  },
  'person-data:erase': { roles: ['ministry'], summary: 'erase or pseudonymise a person (DSGVO Art. 17)' },
  // cooperation contracts
  'contracts:read': {
    roles: ['ministry', 'contract_admin'],
    rule: 'role-contract-admin',
    summary: 'contracts (an administrator the ones naming it)',
  },
  'contracts:write': {
    roles: ['contract_admin'],
    rule: 'role-contract-admin',
    summary: 'create and act on contracts (the ones naming it)',
  },
} satisfies Record<string, Permission>;

export type PermissionName = keyof typeof PERMISSIONS;

/** Refuses (403) a role the permission does not list. */
export function requirePermission(actor: Actor, name: PermissionName): void {
  const permission: Permission = PERMISSIONS[name];
  if (!(permission.roles as readonly string[]).includes(actor.role)) {
    throw new OutOfScope(
      `the role ${actor.role} may not ${permission.summary}; allowed: ${permission.roles.join(', ')}`,
      permission.rule ?? 'role-may-act',
      { role: actor.role, allowed: [...permission.roles] },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tandem qualification: areas, persons, groups

/** Refuses (403) a district acting outside its own area. */
export function requireDistrict(scope: Scope, districtId: string, what: string): void {
  if (scope.role === 'district' && scope.districtId !== districtId) {
    throw new OutOfScope(
      `${what} belongs to the area of district ${districtId}; district ${scope.districtId} may act only in its own area`,
      'district-own-area',
      { actorDistrict: scope.districtId, district: districtId },
    );
  }
}

/** Refuses (403) a participant asking for another person's data. */
export function requireSelf(scope: Scope, personId: string): void {
  if (scope.role === 'participant' && scope.personId !== personId) {
    throw new OutOfScope('a participant sees only their own schedule, tasks and certificates', 'own-data', {
      person: personId,
    });
  }
}

/**
 * Refuses (403) a person record outside the caller's scope: a district sees the officials of its own area, a
 * moderator or participant itself; the ministry and the institute see everyone.
 */
export function requirePersonInScope(scope: Scope, person: { id: string; districtId: string | null }): void {
  if (scope.role === 'district') requireDistrict(scope, person.districtId ?? '(none)', 'the person');
  if ((scope.role === 'participant' || scope.role === 'moderator') && scope.personId !== person.id) {
    throw new OutOfScope('a participant or moderator sees only its own person record', 'own-data', {
      person: person.id,
    });
  }
}

/** Refuses (403) a participant asking for another holder's certificate. */
export function requireHolder(scope: Scope, certificate: { id: string; personId: string }): void {
  if (scope.role === 'participant' && scope.personId !== certificate.personId) {
    throw new OutOfScope('a certificate is shown to its holder only', 'own-certificate', {
      certificate: certificate.id,
    });
  }
}

/** Refuses (403) a participant answering for a tandem it is not a member of. */
export function requireTandemMember(scope: Scope, memberIds: string[], invitationId: string): void {
  if (scope.role === 'participant' && !memberIds.includes(scope.personId)) {
    throw new OutOfScope('only a member of the invited tandem answers its invitation', 'own-invitation', {
      invitation: invitationId,
    });
  }
}

/** Refuses (403) a moderator acting for a group its moderator tandem does not run. */
export function requireOwnGroup(
  scope: Scope,
  group: { id: string; name: string },
  moderatorIds: (string | undefined)[],
): void {
  if (scope.role === 'moderator' && !moderatorIds.includes(scope.personId)) {
    throw new OutOfScope(`group ${group.name} is moderated by another moderator tandem`, 'moderator-own-groups', {
      group: group.id,
    });
  }
}

/** Refuses (403) a group's calendar to a moderator or participant who neither moderates the group nor sits in it. */
export function requireGroupMember(
  scope: Scope,
  group: { id: string; name: string },
  moderatorIds: (string | undefined)[],
  memberIds: string[],
): void {
  if (scope.role !== 'moderator' && scope.role !== 'participant') return;
  if (!(scope.role === 'moderator' ? moderatorIds : memberIds).includes(scope.personId)) {
    throw new OutOfScope(`the calendar of group ${group.name} is for its members and moderators`, 'own-group', {
      group: group.id,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cooperation contracts: the administrators each partner named

/** The caller's entry among a contract's administrators, if it is one (and for the partner its token names). */
export function administratorEntry(actor: Actor, admins: ContractAdmin[]): ContractAdmin | undefined {
  if (actor.role !== 'contract_admin') return undefined;
  const partner = (actor as Partial<SignedInActor>).partner;
  return admins.find((admin) => admin.id === actor.id && (!partner || admin.partner === partner));
}

/** Refuses (403) a contract administrator the contract does not name; the ministry reads every contract. */
export function requireContractAccess(
  actor: Actor,
  contract: { id: string; bildungsregion: string; admins: ContractAdmin[] },
  access: 'read' | 'write',
): void {
  if (access === 'read' && actor.role === 'ministry') return;
  if (!administratorEntry(actor, contract.admins)) {
    throw new OutOfScope(
      `${actor.id} is not a contract administrator of ${contract.bildungsregion}`,
      'contract-admin-of-this-contract',
      { contractId: contract.id },
    );
  }
}

/**
 * Only the partners name administrators: whoever creates a contract is one of its administrators (for its own
 * partner, when its token names one), and every other person named must be a known contract administrator of the
 * partner they are named for (someone who signed in to Lotse as such). Returns the refusal, or null.
 */
export function contractAdminsRefusal(
  actor: Actor,
  admins: Pick<ContractAdmin, 'id' | 'partner'>[],
  known: { id: string; partner: PartnerSide | null }[],
): OutOfScope | null {
  const partner = (actor as Partial<SignedInActor>).partner;
  const own = admins.find((admin) => admin.id === actor.id);
  if (!own || (partner && own.partner !== partner)) {
    return new OutOfScope(
      `whoever creates a contract is one of its administrators: name ${actor.id}${partner ? ` for the ${partner}` : ''} among the admins`,
      'contract-creator-is-admin',
      { actorId: actor.id },
    );
  }
  const strangers = admins.filter(
    (admin) => admin.id !== actor.id && !known.some((k) => k.id === admin.id && k.partner === admin.partner),
  );
  if (strangers.length) {
    return new OutOfScope(
      'each partner names its own administrators: every other administrator must be a contract administrator of that partner who has signed in to Lotse',
      'contract-admins-named-by-partner',
      { strangers: strangers.map((s) => ({ id: s.id, partner: s.partner })) },
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow instances through the generic API, and their mail

/** Definitions run by a programme service, and who may read their instances through the generic API. */
const PROGRAMME_READERS: Record<string, (actor: Actor, context: Record<string, unknown>) => boolean> = {
  [QUALIFICATION_PROGRAMME]: (actor) => actor.role === 'institute',
  [GROUP_WORKFLOW]: (actor) => actor.role === 'institute',
  [CONTRACT_PROGRAMME]: (actor, context) =>
    !!administratorEntry(actor, (context.admins as ContractAdmin[] | undefined) ?? []),
};

/**
 * Whether the actor may read an instance (state, context, journal, mail). The ministry reads everything. An
 * instance of a definition without a programme service has no scope of its own: whoever may start one may read it.
 * A programme's instances are for the role that runs it (the institute; a contract's administrators); any other
 * programme's only for the ministry.
 */
export function mayReadInstance(
  actor: Actor,
  instance: { definition: string; context: Record<string, unknown> },
  writtenBy: 'api' | 'programme',
): boolean {
  if (actor.role === 'ministry') return true;
  if (writtenBy === 'api') return true;
  return PROGRAMME_READERS[instance.definition]?.(actor, instance.context) ?? false;
}

/** Programme definitions whose instances the role may read in bulk (lists); a contract administrator may not. */
export function programmeDefinitionsListableBy(actor: Actor): string[] | 'all' {
  if (actor.role === 'ministry') return 'all';
  return actor.role === 'institute' ? [QUALIFICATION_PROGRAMME, GROUP_WORKFLOW] : [];
}

export const CONTRACT_DEFINITION = CONTRACT_PROGRAMME;
