import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '../src/engine/clock.js';
import { makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { OTHER_RESOURCE, startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider.js';

/** Claims as a Land's Keycloak realm would put them into access tokens: realm roles with a `lotse-` prefix. */
const PEOPLE = {
  'koeln-schmidt': {
    preferred_username: 'm.schmidt',
    realm_access: { roles: ['default-roles-nrw', 'lotse-district'] },
    district: 'koeln',
  },
  teilnehmerin: {
    preferred_username: 'a.albers',
    realm_access: { roles: ['lotse-participant'] },
    person_id: '6f1c2d0e-3b5a-4c1e-9a7d-2e4b8c6d0f11',
  },
  'mk-lange': { preferred_username: 'mk-lange', realm_access: { roles: ['lotse-contract_admin'] }, partner: 'land' },
  'no-lotse-role': { preferred_username: 'gast', realm_access: { roles: ['default-roles-nrw'] } },
  'two-roles': { preferred_username: 'doppelt', realm_access: { roles: ['lotse-ministry', 'lotse-institute'] } },
  'district-without-code': { preferred_username: 'k.weber', realm_access: { roles: ['lotse-district'] } },
};

describe("sign-in with the Land's OpenID Connect provider", () => {
  let workspace: string;
  let idp: TestIdentityProvider;
  let other: TestIdentityProvider;
  let t: TestApp;
  let clock: FakeClock;

  beforeAll(async () => {
    workspace = makeWorkspace();
    idp = await startIdentityProvider('nrw', PEOPLE);
    other = await startIdentityProvider('elsewhere', PEOPLE);
    // The provider stamps tokens with the real time; Lotse checks them against its clock, starting now.
    clock = new FakeClock(new Date());
    t = await startApp({
      workspace,
      clock,
      config: {
        oidcIssuer: idp.issuer,
        oidcAudience: 'lotse',
        oidcClaims: { ...startAppDefaults(), rolePrefix: 'lotse-' },
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await idp.stop();
    await other.stop();
    removeWorkspace(workspace);
  });

  const me = async (token: string) => t.anonymous.get('/auth/me').set({ Authorization: `Bearer ${token}` });

  it("verifies the provider's signed access tokens with its published keys and maps role and scope from the claims", async () => {
    const district = await idp.token('koeln-schmidt');
    expect(district.split('.')).toHaveLength(3);
    expect((await me(district)).body).toEqual({
      id: 'koeln/m.schmidt',
      role: 'district',
      via: 'person',
      scope: { role: 'district', districtId: 'koeln' },
    });
    expect((await me(await idp.token('teilnehmerin'))).body).toMatchObject({
      id: PEOPLE.teilnehmerin.person_id,
      role: 'participant',
    });
    expect((await me(await idp.token('mk-lange'))).body).toMatchObject({
      id: 'mk-lange',
      role: 'contract_admin',
      scope: { role: 'contract_admin', adminId: 'mk-lange', partner: 'land' },
    });

    // The district acts in its own area, and only there.
    const auth = { Authorization: `Bearer ${district}` };
    await t.anonymous
      .post('/networks')
      .set(auth)
      .send({ name: 'Regionales Bildungsnetzwerk Bonn', districtId: 'koeln' })
      .expect(201);
    expect(
      (
        await t.anonymous
          .post('/networks')
          .set(auth)
          .send({ name: 'Netzwerk Münster', districtId: 'muenster' })
          .expect(403)
      ).body.rule,
    ).toBe('district-own-area');
    expect((await t.anonymous.get('/overview').set(auth).expect(403)).body.rule).toBe('role-may-act');
  });

  it('refuses a token without exactly one Lotse role, or without the claim its scope needs (403)', async () => {
    expect((await me(await idp.token('no-lotse-role'))).body).toMatchObject({
      status: 403,
      rule: 'lotse-role-assigned',
    });
    expect((await me(await idp.token('two-roles'))).body).toMatchObject({
      status: 403,
      rule: 'lotse-role-assigned',
      roles: ['ministry', 'institute'],
    });
    expect((await me(await idp.token('district-without-code'))).body).toMatchObject({
      status: 403,
      rule: 'token-scope-claims',
      claim: 'district',
    });
  });

  it('refuses a token for another audience, from another issuer, altered, or expired (401)', async () => {
    const otherAudience = await me(await idp.token('koeln-schmidt', OTHER_RESOURCE));
    expect(otherAudience.body).toMatchObject({
      status: 401,
      rule: 'token-valid',
      detail: 'the token was not issued for Lotse (aud)',
    });
    expect((await me(await other.token('koeln-schmidt'))).body).toMatchObject({
      status: 401,
      rule: 'token-issuer-trusted',
    });

    const [header, payload, signature] = (await idp.token('koeln-schmidt')).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, district: 'muenster' })).toString('base64url')}.${signature}`;
    expect((await me(altered)).body).toMatchObject({ status: 401, rule: 'token-valid' });

    const token = await idp.token('koeln-schmidt');
    await me(token).then((r) => expect(r.status).toBe(200));
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
    clock.set(new Date((exp - 1) * 1000));
    await me(token).then((r) => expect(r.status).toBe(200));
    clock.set(new Date((exp + 1) * 1000));
    expect((await me(token)).body).toMatchObject({ status: 401, detail: 'the token has expired; sign in again' });
  });
});

/** The default claim mapping of config/default.json. */
function startAppDefaults() {
  return {
    roles: 'realm_access.roles',
    rolePrefix: '',
    username: 'preferred_username',
    district: 'district',
    person: 'person_id',
    partner: 'partner',
  };
}
