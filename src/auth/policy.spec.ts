import { describe, expect, it } from '@jest/globals';
import { OutOfScope } from '../common/errors.js';
import { actorFromOidcClaims } from './oidc-tokens.js';
import { contractAdminsRefusal, mayReadInstance, requirePermission, requirePersonInScope, scopeOf } from './policy.js';

const CLAIMS = {
  roles: 'realm_access.roles',
  rolePrefix: 'lotse-',
  username: 'preferred_username',
  district: 'district',
  person: 'person_id',
  partner: 'partner',
};

describe('the policy', () => {
  it('reads the scope from the actor id conventions', () => {
    expect(scopeOf({ id: 'Koeln/m.schmidt', role: 'district' })).toEqual({ role: 'district', districtId: 'koeln' });
    expect(scopeOf({ id: 'p-1', role: 'participant' })).toEqual({ role: 'participant', personId: 'p-1' });
    expect(scopeOf({ id: 'mk-lange', role: 'contract_admin', partner: 'land', via: 'person' } as never)).toEqual({
      role: 'contract_admin',
      adminId: 'mk-lange',
      partner: 'land',
    });
    expect(() => scopeOf({ id: 'x', role: 'operator' })).toThrow(OutOfScope);
  });

  it("refuses a role its permission does not list, naming the resource's rule", () => {
    expect(() => requirePermission({ id: 'koeln', role: 'district' }, 'overview:read')).toThrow(
      expect.objectContaining({ rule: 'role-may-act' }),
    );
    expect(() => requirePermission({ id: 'msb', role: 'ministry' }, 'contracts:write')).toThrow(
      expect.objectContaining({ rule: 'role-contract-admin' }),
    );
    expect(() => requirePermission({ id: 'msb', role: 'ministry' }, 'contracts:read')).not.toThrow();
  });

  it('shows a person record to its district, to itself, and statewide to the institute and the ministry', () => {
    const lena = { id: 'p-lena', districtId: 'koeln' };
    const moderator = { id: 'p-mona', districtId: null };
    for (const actor of [
      { id: 'koeln/m.schmidt', role: 'district' },
      { id: 'p-lena', role: 'participant' },
      { id: 'institut', role: 'institute' },
      { id: 'msb', role: 'ministry' },
    ]) {
      expect(() => requirePersonInScope(scopeOf(actor), lena)).not.toThrow();
    }
    expect(() => requirePersonInScope(scopeOf({ id: 'muenster', role: 'district' }), lena)).toThrow(
      expect.objectContaining({ rule: 'district-own-area' }),
    );
    expect(() => requirePersonInScope(scopeOf({ id: 'koeln', role: 'district' }), moderator)).toThrow(
      expect.objectContaining({ rule: 'district-own-area' }),
    );
    expect(() => requirePersonInScope(scopeOf({ id: 'p-otto', role: 'participant' }), lena)).toThrow(
      expect.objectContaining({ rule: 'own-data' }),
    );
    expect(() => requirePersonInScope(scopeOf({ id: 'p-mona', role: 'moderator' }), moderator)).not.toThrow();
    expect(() => requirePermission({ id: 'institut', role: 'institute' }, 'audit:read')).toThrow(
      expect.objectContaining({ rule: 'audit-read-by-ministry' }),
    );
  });

  it('lets only the partners name contract administrators', () => {
    const land = { id: 'mk-lange', role: 'contract_admin', partner: 'land' as const };
    const known = [{ id: 'lk-okafor', partner: 'kommune' as const }];
    expect(
      contractAdminsRefusal(
        land,
        [
          { id: 'mk-lange', partner: 'land' },
          { id: 'lk-okafor', partner: 'kommune' },
        ],
        known,
      ),
    ).toBeNull();
    expect(
      contractAdminsRefusal(
        land,
        [
          { id: 'a', partner: 'land' },
          { id: 'lk-okafor', partner: 'kommune' },
        ],
        known,
      )?.rule,
    ).toBe('contract-creator-is-admin');
    expect(
      contractAdminsRefusal(
        land,
        [
          { id: 'mk-lange', partner: 'kommune' },
          { id: 'x', partner: 'land' },
        ],
        known,
      )?.rule,
    ).toBe('contract-creator-is-admin');
    expect(
      contractAdminsRefusal(
        land,
        [
          { id: 'mk-lange', partner: 'land' },
          { id: 'lk-okafor', partner: 'land' },
        ],
        known,
      )?.rule,
    ).toBe('contract-admins-named-by-partner');
    expect(
      contractAdminsRefusal(
        land,
        [
          { id: 'mk-lange', partner: 'land' },
          { id: 'stranger', partner: 'kommune' },
        ],
        known,
      )?.details,
    ).toEqual({ strangers: [{ id: 'stranger', partner: 'kommune' }] });
  });

  it("shows a programme's instances to whom runs it, the ministry everything, other definitions to anyone signed in", () => {
    const contract = { definition: 'contract-review', context: { admins: [{ id: 'mk-lange', partner: 'land' }] } };
    expect(mayReadInstance({ id: 'mk-lange', role: 'contract_admin' }, contract, 'programme')).toBe(true);
    expect(mayReadInstance({ id: 'lk-celle', role: 'contract_admin' }, contract, 'programme')).toBe(false);
    expect(mayReadInstance({ id: 'institut', role: 'institute' }, contract, 'programme')).toBe(false);
    expect(mayReadInstance({ id: 'msb', role: 'ministry' }, contract, 'programme')).toBe(true);
    expect(
      mayReadInstance(
        { id: 'institut', role: 'institute' },
        { definition: 'tandem-qualification', context: {} },
        'programme',
      ),
    ).toBe(true);
    expect(
      mayReadInstance(
        { id: 'koeln', role: 'district' },
        { definition: 'tandem-qualification', context: {} },
        'programme',
      ),
    ).toBe(false);
    expect(
      mayReadInstance({ id: 'p', role: 'participant' }, { definition: 'sample-deadline', context: {} }, 'api'),
    ).toBe(true);
    expect(
      mayReadInstance(
        { id: 'institut', role: 'institute' },
        { definition: 'another-programme', context: {} },
        'programme',
      ),
    ).toBe(false);
  });
});

describe('the OpenID Connect claim mapping', () => {
  it('maps a Keycloak-style token onto actor ids by role', () => {
    expect(
      actorFromOidcClaims(
        {
          sub: 'u1',
          preferred_username: 'm.schmidt',
          district: 'Koeln',
          realm_access: { roles: ['offline_access', 'lotse-district'] },
        },
        CLAIMS,
      ),
    ).toEqual({ id: 'koeln/m.schmidt', role: 'district', via: 'person' });
    expect(
      actorFromOidcClaims({ sub: 'u2', person_id: 'p-9', realm_access: { roles: ['lotse-moderator'] } }, CLAIMS),
    ).toMatchObject({ id: 'p-9', role: 'moderator' });
    expect(actorFromOidcClaims({ sub: 'u3', realm_access: { roles: ['lotse-ministry'] } }, CLAIMS)).toMatchObject({
      id: 'u3',
      role: 'ministry',
    });
    expect(
      actorFromOidcClaims(
        {
          sub: 'u4',
          preferred_username: 'mk-lange',
          partner: 'land',
          realm_access: { roles: ['lotse-contract_admin'] },
        },
        CLAIMS,
      ),
    ).toEqual({ id: 'mk-lange', role: 'contract_admin', partner: 'land', via: 'person' });
    // A plain space-separated claim (e.g. `scope`-style) works too, and roles without the prefix do not count.
    expect(
      actorFromOidcClaims({ sub: 'u5', groups: 'institute lotse-institute' }, { ...CLAIMS, roles: 'groups' }),
    ).toMatchObject({ role: 'institute' });
  });

  it('refuses a token naming no Lotse role, several, or lacking its scope claim', () => {
    expect(() => actorFromOidcClaims({ sub: 'u', realm_access: { roles: ['district'] } }, CLAIMS)).toThrow(
      expect.objectContaining({ rule: 'lotse-role-assigned' }),
    );
    expect(() =>
      actorFromOidcClaims({ sub: 'u', realm_access: { roles: ['lotse-district', 'lotse-ministry'] } }, CLAIMS),
    ).toThrow(expect.objectContaining({ rule: 'lotse-role-assigned' }));
    expect(() => actorFromOidcClaims({ sub: 'u', realm_access: { roles: ['lotse-participant'] } }, CLAIMS)).toThrow(
      expect.objectContaining({ rule: 'token-scope-claims' }),
    );
    expect(() =>
      actorFromOidcClaims({ sub: 'u', realm_access: { roles: ['lotse-contract_admin'] }, partner: 'bund' }, CLAIMS),
    ).toThrow(
      expect.objectContaining({ rule: 'token-scope-claims', details: { role: 'contract_admin', claim: 'partner' } }),
    );
  });
});
