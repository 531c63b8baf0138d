/**
 * Who may act, and for what. Until authentication lands (a later issue), the caller's role and id come from the
 * X-Actor-Role and X-Actor-Id headers; every service method takes that actor and derives the scope here, so a guard
 * can later supply the same values.
 *
 * - `district`: the actor id names the Bezirksregierung by its code, optionally followed by `/` and the clerk:
 *   `koeln` or `koeln/m.schmidt`. A district acts only for networks (and their tandems) in its own area.
 * - `moderator` and `participant`: the actor id is the person's id.
 * - `institute` and `ministry`: statewide.
 */
import { OutOfScope } from '../engine/errors.js';
import type { Actor } from '../engine/workflow-engine.js';

export type Role = 'district' | 'institute' | 'ministry' | 'moderator' | 'participant';

export type Scope =
  | { role: 'district'; districtId: string }
  | { role: 'institute' }
  | { role: 'ministry' }
  | { role: 'moderator'; personId: string }
  | { role: 'participant'; personId: string };

const ROLES: Role[] = ['district', 'institute', 'ministry', 'moderator', 'participant'];

/** The scope of an actor acting in one of `allowed` roles; 403 naming the roles otherwise. */
export function scopeOf(actor: Actor, allowed: Role[]): Scope {
  const role = actor.role as Role;
  if (!ROLES.includes(role) || !allowed.includes(role)) {
    throw new OutOfScope(`the role ${actor.role} may not do this; allowed: ${allowed.join(', ')}`, 'role-may-act', { role: actor.role, allowed });
  }
  switch (role) {
    case 'district':
      return { role, districtId: actor.id.split('/')[0].toLowerCase() };
    case 'moderator':
    case 'participant':
      return { role, personId: actor.id };
    default:
      return { role } as Scope;
  }
}

/** Refuses (403) a district acting outside its own area. */
export function requireDistrict(scope: Scope, districtId: string, what: string): void {
  if (scope.role === 'district' && scope.districtId !== districtId) {
    throw new OutOfScope(`${what} belongs to the area of district ${districtId}; district ${scope.districtId} may act only in its own area`,
      'district-own-area', { actorDistrict: scope.districtId, district: districtId });
  }
}
