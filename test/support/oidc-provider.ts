/**
 * A real OpenID Connect provider (npm `oidc-provider`) on 127.0.0.1, mounted like a Keycloak realm at
 * `/realms/<name>`: it publishes its discovery document and JWKS, and issues RS256-signed JWT access tokens through
 * the client credentials grant with a resource indicator. Each client stands for one person; the provider adds the
 * claims a Land's Keycloak would put into that person's access token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const LOTSE_RESOURCE = 'urn:lotse:api';
export const OTHER_RESOURCE = 'urn:other:api';

export interface TestIdentityProvider {
  issuer: string;
  /** A signed access token for the person behind `clientId`, for Lotse (or another application's audience). */
  token(clientId: string, resource?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The provider's storage for this test: a Map per model (the provider warns about its own in-memory default). */
class MemoryAdapter {
  private static readonly stores = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly store: Map<string, Record<string, unknown>>;

  constructor(name: string) {
    this.store = MemoryAdapter.stores.get(name) ?? new Map();
    MemoryAdapter.stores.set(name, this.store);
  }

  async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
    this.store.set(id, payload);
  }

  async find(id: string) {
    return this.store.get(id);
  }

  async findByUid(uid: string) {
    return [...this.store.values()].find((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string) {
    return [...this.store.values()].find((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id);
  }
}

/**
 * `web`: also a public client (PKCE, no secret) for the web interface's sign-in, as a Keycloak realm would register
 * Lotse: it may send the browser back to /app/anmelden/oidc/rueckkehr on 127.0.0.1 at any port (a loopback redirect,
 * RFC 8252). The provider's own development login page then asks for a login (one of `people`) and any password.
 */
export async function startIdentityProvider(
  realm: string,
  people: Record<string, Record<string, unknown>>,
  audience = 'lotse',
  web?: { clientId: string },
): Promise<TestIdentityProvider> {
  let handle: (req: IncomingMessage, res: Parameters<ReturnType<Provider['callback']>>[1]) => void = (_, res) =>
    res.end();
  const mount = `/realms/${realm}`;
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(mount)) return void res.writeHead(404).end();
    // Mounted below a path, as a framework would: the provider sees the rest and learns the prefix from originalUrl.
    Object.assign(req, { originalUrl: req.url, url: req.url.slice(mount.length) || '/' });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/${realm}`;
  const jwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: `${realm}-1`,
    alg: 'RS256',
    use: 'sig',
  };
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: [jwk as never] },
    clients: [
      ...Object.keys(people).map((clientId) => ({
        client_id: clientId,
        client_secret: `${clientId}-secret`,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      })),
      ...(web
        ? [
            {
              client_id: web.clientId,
              application_type: 'native' as const,
              token_endpoint_auth_method: 'none' as const,
              grant_types: ['authorization_code'],
              response_types: ['code' as const],
              redirect_uris: ['http://127.0.0.1/app/anmelden/oidc/rueckkehr'],
            },
          ]
        : []),
    ],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: {
      devInteractions: { enabled: !!web },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => LOTSE_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'lotse',
          audience: resource === LOTSE_RESOURCE ? audience : 'other-application',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      ClientCredentials: 300,
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    // A copy made here: the provider accepts only plain objects of its own realm (Jest runs modules in a VM context).
    // A person signing in on the web (authorization code) is the account; a client credentials client is the person.
    extraTokenClaims: (_ctx, token) => {
      const { accountId, clientId } = token as { accountId?: string; clientId?: string };
      return JSON.parse(JSON.stringify(people[accountId ?? clientId ?? ''] ?? {}));
    },
  });
  handle = provider.callback();
  return {
    issuer,
    async token(clientId, resource = LOTSE_RESOURCE) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientId}-secret`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'lotse', resource }).toString(),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!body.access_token) throw new Error(`the provider issued no token: ${body.error_description}`);
      return body.access_token;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
