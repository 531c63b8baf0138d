/**
 * The web interface's session: an HttpOnly, SameSite=Strict cookie carrying the same bearer token the API takes in
 * `Authorization` (a local token, or the identity provider's access token), Secure when Lotse is reached over https.
 * Only routes that declare `@SessionCookie()` accept it (the pages under /app and downloads a page links to), and a
 * write authenticated by the cookie must come from a Lotse page itself (same-origin check against CSRF).
 */
import type { Request, Response } from 'express';
import { OutOfScope } from '../common/errors.js';

export const SESSION_COOKIE = 'lotse_session';

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** The session token the request's Cookie header carries, if any. */
export function sessionToken(request: Request): string | undefined {
  return cookieValue(request, SESSION_COOKIE);
}

function secure(request: Request, publicBaseUrl: string): boolean {
  return request.secure || publicBaseUrl.startsWith('https://');
}

export function setSessionCookie(
  request: Request,
  response: Response,
  token: string,
  maxAgeSeconds: number,
  publicBaseUrl: string,
): void {
  response.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(request, publicBaseUrl),
    path: '/',
    maxAge: maxAgeSeconds * 1000,
    encode: String,
  });
}

export function clearSessionCookie(request: Request, response: Response, publicBaseUrl: string): void {
  response.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(request, publicBaseUrl),
    path: '/',
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write that a cookie authenticates must come from a page of this origin: the browser says so in Sec-Fetch-Site
 * (`same-origin`) or, where it does not send that header, in Origin. A request with neither is refused as well: a
 * browser sends at least Origin with every form POST, so only a forged or non-browser request lacks both, and such a
 * client uses the Authorization header instead.
 */
export function requireSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.header('sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw new OutOfScope(
      `a form of another site (Sec-Fetch-Site: ${site}) may not act with the Lotse session`,
      'csrf-same-origin',
      { secFetchSite: site },
    );
  }
  const origin = request.header('origin');
  const host = request.header('host');
  let originHost: string | undefined;
  try {
    originHost = origin ? new URL(origin).host : undefined;
  } catch {
    originHost = undefined;
  }
  if (originHost && host && originHost === host) return;
  throw new OutOfScope(
    'a write with the Lotse session must come from a Lotse page (Origin or Sec-Fetch-Site of the same origin)',
    'csrf-same-origin',
    { origin: origin ?? null },
  );
}

/**
 * The web sign-in through the Land's identity provider keeps its state and PKCE verifier in a short-lived cookie
 * between leaving for the provider and coming back. SameSite=Lax: the way back is a top-level navigation from the
 * provider's site, on which a Strict cookie would not be sent.
 */
export const OIDC_STATE_COOKIE = 'lotse_oidc';

export function setOidcStateCookie(request: Request, response: Response, value: string, publicBaseUrl: string): void {
  response.cookie(OIDC_STATE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request, publicBaseUrl),
    path: '/app/anmelden/oidc',
    maxAge: 10 * 60 * 1000,
    encode: String,
  });
}

export function oidcState(request: Request): string | undefined {
  return cookieValue(request, OIDC_STATE_COOKIE);
}

export function clearOidcStateCookie(request: Request, response: Response, publicBaseUrl: string): void {
  response.clearCookie(OIDC_STATE_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request, publicBaseUrl),
    path: '/app/anmelden/oidc',
  });
}
