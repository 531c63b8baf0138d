import { Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { LotseConfig, type OidcClaims } from '../../config/configuration.js';
import { PARTNER_SIDES, type PartnerSide } from '../../workflows/contract-review/contract.js';
import { Clock } from '../engine/clock.js';
import { IdentityProviderUnavailable, OutOfScope } from '../common/errors.js';
import { invalidToken } from './local-tokens.js';
import { isRole, type Role, type SignedInActor } from './policy.js';

/** Asymmetric algorithms only: a provider's token is never checked with a shared secret. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function claimAt(payload: JWTPayload, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
      payload,
    );
}

function text(payload: JWTPayload, path: string): string | undefined {
  const value = claimAt(payload, path);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The Lotse actor an identity provider's access token stands for, by the configured claim mapping (pure, so the
 * mapping is tested on its own). 403 when the token names no Lotse role, several, or lacks the claim its role's
 * scope needs.
 */
export function actorFromOidcClaims(payload: JWTPayload, claims: OidcClaims): SignedInActor {
  const listed = claimAt(payload, claims.roles);
  const names = Array.isArray(listed) ? listed : typeof listed === 'string' ? listed.split(/\s+/) : [];
  const roles = [
    ...new Set(
      names
        .filter((name): name is string => typeof name === 'string' && name.startsWith(claims.rolePrefix))
        .map((name) => name.slice(claims.rolePrefix.length))
        .filter(isRole),
    ),
  ];
  if (roles.length !== 1) {
    throw new OutOfScope(
      roles.length
        ? `the token names several Lotse roles (${roles.join(', ')}); an account acts in one`
        : `the token names no Lotse role in the claim ${claims.roles}`,
      'lotse-role-assigned',
      { roles },
    );
  }
  const role: Role = roles[0];
  const username = text(payload, claims.username) ?? payload.sub;
  const required = (claim: string, what: string): string => {
    const value = text(payload, claim);
    if (!value)
      throw new OutOfScope(`a token of the role ${role} carries ${what} in the claim ${claim}`, 'token-scope-claims', {
        role,
        claim,
      });
    return value;
  };
  if (!username)
    throw new OutOfScope(
      `the token carries no user name in the claim ${claims.username} nor a subject`,
      'token-scope-claims',
      { role, claim: claims.username },
    );
  let id: string;
  let partner: PartnerSide | undefined;
  switch (role) {
    case 'district':
      id = `${required(claims.district, 'the district code').toLowerCase()}/${username}`;
      break;
    case 'moderator':
    case 'participant':
      id = required(claims.person, 'the Lotse person id');
      break;
    case 'contract_admin':
      id = username;
      partner = PARTNER_SIDES.find(
        (side) => side === required(claims.partner, 'the partner it acts for (land or kommune)'),
      );
      if (!partner)
        throw new OutOfScope(`the claim ${claims.partner} names land or kommune`, 'token-scope-claims', {
          role,
          claim: claims.partner,
        });
      break;
    default:
      id = username;
  }
  return { id: id.slice(0, 200), role, ...(role === 'contract_admin' && partner ? { partner } : {}), via: 'person' };
}

/** What Lotse reads of a provider's discovery document. */
export interface OidcDiscovery {
  jwks_uri: string;
  /** The web interface's sign-in (authorization code flow with PKCE). */
  authorization_endpoint?: string;
  token_endpoint?: string;
}

/**
 * Access tokens of the Land's OpenID Connect provider (e.g. a Keycloak realm): the issuer's keys come from its
 * discovery document's `jwks_uri` and are cached (and refreshed on an unknown key id) by `jose`.
 */
@Injectable()
export class OidcTokens {
  private readonly logger = new Logger(OidcTokens.name);
  private keys?: Promise<ReturnType<typeof createRemoteJWKSet>>;
  private document?: Promise<OidcDiscovery>;

  constructor(
    private readonly config: LotseConfig,
    private readonly clock: Clock,
  ) {}

  get issuer(): string | null {
    return this.config.oidcIssuer ? this.config.oidcIssuer.replace(/\/$/, '') : null;
  }

  async verify(token: string): Promise<SignedInActor> {
    const keys = await this.jwks();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.issuer!,
        audience: this.config.oidcAudience,
        algorithms: ALGORITHMS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWKSTimeout || error instanceof TypeError) {
        this.logger.warn(`keys of ${this.issuer} could not be fetched: ${(error as Error).message}`);
        throw new IdentityProviderUnavailable(
          'the identity provider did not answer; try again shortly',
          'identity-provider-reachable',
        );
      }
      throw invalidToken(error);
    }
    return actorFromOidcClaims(payload, this.config.oidcClaims);
  }

  private jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= this.discovery().then((document) =>
      createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 5000 }),
    );
    return this.keys;
  }

  /** The provider's discovery document (fetched once; a failure is tried again on the next call). */
  discovery(): Promise<OidcDiscovery> {
    this.document ??= this.discover().catch((error) => {
      this.document = undefined;
      this.keys = undefined;
      this.logger.warn(`discovery of ${this.issuer} failed: ${(error as Error).message}`);
      throw new IdentityProviderUnavailable(
        'the identity provider did not answer; try again shortly',
        'identity-provider-reachable',
      );
    });
    return this.document;
  }

  private async discover(): Promise<OidcDiscovery> {
    const response = await fetch(`${this.issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const document = (await response.json()) as Partial<OidcDiscovery> & { issuer?: string };
    if (document.issuer?.replace(/\/$/, '') !== this.issuer || !document.jwks_uri) {
      throw new Error(`discovery names issuer ${document.issuer} and jwks_uri ${document.jwks_uri}`);
    }
    return document as OidcDiscovery;
  }
}
