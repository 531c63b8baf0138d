import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountsService } from '../src/auth/accounts.service.js';
import { signLocalToken } from '../src/auth/local-tokens.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

const PASSWORD = 'Rheinufer-2026-Tandem';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('sign-in with local accounts, Lotse tokens and API tokens', () => {
  let workspace: string;
  let t: TestApp;

  beforeEach(async () => {
    workspace = makeWorkspace();
    // No configured key: the installation's key is generated once and kept in the database.
    t = await startApp({
      workspace,
      config: { authSigningKey: '', authTokenMinutes: 60, signInLimitPerMinute: 5, verifyLimitPerMinute: 3 },
    });
    await t.app.get(AccountsService).create({
      username: 'K.Schmidt',
      password: PASSWORD,
      role: 'district',
      actorId: 'koeln/k.schmidt',
      name: 'Karin Schmidt',
    });
  });

  afterEach(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  const signIn = (username: string, password: string) => t.anonymous.post('/auth/token').send({ username, password });

  it('signs a local account in with its argon2id password and answers with a bearer token carrying role and scope', async () => {
    const signedIn = await signIn('k.schmidt', PASSWORD).expect(200);
    expect(signedIn.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      role: 'district',
      actor_id: 'koeln/k.schmidt',
    });
    const me = await t.anonymous.get('/auth/me').set(bearer(signedIn.body.access_token)).expect(200);
    expect(me.body).toEqual({
      id: 'koeln/k.schmidt',
      role: 'district',
      via: 'person',
      scope: { role: 'district', districtId: 'koeln' },
    });
    // The district acts in its own area with it, and only there.
    await t.anonymous
      .post('/networks')
      .set(bearer(signedIn.body.access_token))
      .send({ name: 'Netzwerk Bonn', districtId: 'koeln' })
      .expect(201);
    const foreign = await t.anonymous
      .post('/networks')
      .set(bearer(signedIn.body.access_token))
      .send({ name: 'Netzwerk Bielefeld', districtId: 'detmold' })
      .expect(403);
    expect(foreign.body.rule).toBe('district-own-area');

    const [account] = await t.app
      .get(DataSource)
      .query(`SELECT password_hash FROM auth_accounts WHERE username = 'k.schmidt'`);
    expect(account.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(account.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a wrong password and an unknown user alike, without echoing either', async () => {
    for (const [username, password] of [
      ['k.schmidt', 'wrong-password-123'],
      ['nobody', PASSWORD],
    ]) {
      const refused = await signIn(username, password).expect(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        status: 401,
        rule: 'sign-in-credentials',
        detail: 'user name or password is wrong',
      });
      expect(JSON.stringify(refused.body)).not.toContain(password);
    }
    await t.anonymous.post('/auth/token').send({ username: 'k.schmidt' }).expect(400);
  });

  it('lets a token expire after authTokenMinutes on the clock', async () => {
    const { access_token: token } = (await signIn('k.schmidt', PASSWORD).expect(200)).body;
    t.clock.set(new Date(t.clock.now().getTime() + 59 * 60_000));
    await t.anonymous.get('/auth/me').set(bearer(token)).expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 2 * 60_000));
    const expired = await t.anonymous.get('/auth/me').set(bearer(token)).expect(401);
    expect(expired.body).toMatchObject({ rule: 'token-valid', detail: 'the token has expired; sign in again' });
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="lotse"');
  });

  it('keeps the generated signing key in the database: a token outlives a restart, a token of another key does not count', async () => {
    const { access_token: token } = (await signIn('k.schmidt', PASSWORD).expect(200)).body;
    await t.close();
    t = await startApp({ workspace, clock: t.clock, config: { authSigningKey: '' } });
    await t.anonymous.get('/auth/me').set(bearer(token)).expect(200);

    const stranger = signLocalToken(generateKeyPairSync('ed25519').privateKey, {
      sub: 'msb',
      role: 'ministry',
      iat: 946_684_800,
      exp: 4_102_444_800,
    });
    expect((await t.anonymous.get('/overview').set(bearer(stranger)).expect(401)).body.rule).toBe('token-valid');
    // The test key of `as()` is not this installation's key either.
    expect((await t.anonymous.get('/overview').set(as('ministry')).expect(401)).body.rule).toBe('token-valid');
    const [, payload] = token.split('.');
    const forged = `${token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'ministry' })).toString('base64url')}.${token.split('.')[2]}`;
    expect((await t.anonymous.get('/overview').set(bearer(forged)).expect(401)).body.rule).toBe('token-valid');
  });

  it('refuses requests without a token, with another scheme, with garbage or from an untrusted issuer', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'signed-in'],
      [{ Authorization: `Basic ${Buffer.from(`k.schmidt:${PASSWORD}`).toString('base64')}` }, 'signed-in'],
      [bearer('not-a-token'), 'token-valid'],
      [
        bearer(
          `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ iss: 'https://idp.example', sub: 'x' })).toString('base64url')}.`,
        ),
        'token-issuer-trusted',
      ],
    ];
    for (const [headers, rule] of cases) {
      const refused = await t.anonymous.get('/enrolments').set(headers).expect(401);
      expect(refused.body).toMatchObject({ status: 401, rule });
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('issues API tokens that act as their creator, are shown once, stored as a digest, and stop working when revoked', async () => {
    const { access_token: token } = (await signIn('k.schmidt', PASSWORD).expect(200)).body;
    const created = await t.anonymous
      .post('/auth/api-tokens')
      .set(bearer(token))
      .send({ name: 'Schulverwaltung Köln' })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'Schulverwaltung Köln',
      role: 'district',
      actorId: 'koeln/k.schmidt',
      revokedAt: null,
    });
    const apiToken: string = created.body.token;
    expect(apiToken).toMatch(/^lotse_api_[A-Za-z0-9_-]{43}$/);

    const me = await t.anonymous.get('/auth/me').set(bearer(apiToken)).expect(200);
    expect(me.body).toMatchObject({ id: 'koeln/k.schmidt', role: 'district', via: 'api-token' });
    await t.anonymous.get('/networks').set(bearer(apiToken)).expect(200);
    expect(
      (await t.anonymous.post('/auth/api-tokens').set(bearer(apiToken)).send({ name: 'chain' }).expect(403)).body.rule,
    ).toBe('api-token-by-person');

    const listed = await t.anonymous.get('/auth/api-tokens').set(bearer(token)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'Schulverwaltung Köln' })]);
    expect(JSON.stringify(listed.body)).not.toContain(apiToken);
    const stored = JSON.stringify(await t.app.get(DataSource).query('SELECT * FROM auth_api_tokens'));
    expect(stored).not.toContain(apiToken);

    // Another person cannot revoke it; its creator can, and then it is refused.
    await t.app.get(AccountsService).create({
      username: 'm.meyer',
      password: PASSWORD,
      role: 'district',
      actorId: 'koeln/m.meyer',
      name: 'Mia Meyer',
    });
    const colleague = (await signIn('m.meyer', PASSWORD).expect(200)).body.access_token;
    await t.anonymous.delete(`/auth/api-tokens/${created.body.id}`).set(bearer(colleague)).expect(404);
    await t.anonymous.delete(`/auth/api-tokens/${created.body.id}`).set(bearer(token)).expect(200);
    expect((await t.anonymous.get('/auth/me').set(bearer(apiToken)).expect(401)).body).toMatchObject({
      rule: 'token-valid',
      detail: 'the API token has been revoked',
    });
  });

  it('limits sign-in attempts per address and minute (429 with Retry-After), counted on the clock', async () => {
    for (let i = 0; i < 5; i++) await signIn('k.schmidt', `guess-${i}-xxxxxxxx`).expect(401);
    const limited = await signIn('k.schmidt', PASSWORD).expect(429);
    expect(limited.body).toMatchObject({ status: 429, rule: 'rate-limit', limit: 5 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.set(new Date(t.clock.now().getTime() + 61_000));
    await signIn('k.schmidt', PASSWORD).expect(200);
  });

  it('limits certificate verification per address and minute, without sign-in', async () => {
    for (let i = 0; i < 3; i++)
      expect((await t.anonymous.get('/certificates/verify/ABCD-EFGH-JKMN').expect(404)).body.rule).toBe(
        'certificate-code-known',
      );
    expect((await t.anonymous.get('/certificates/verify/ABCD-EFGH-JKMN').expect(429)).body.rule).toBe('rate-limit');
  });

  it('sends security headers and no framework banner', async () => {
    for (const path of ['/health', '/docs', '/enrolments']) {
      const response = await t.anonymous.get(path);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });
});
