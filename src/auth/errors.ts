import { LotseError } from '../engine/errors.js';

/** 401: no valid sign-in came with the request. The message never repeats the token. */
export class Unauthenticated extends LotseError {
  readonly status = 401;
  readonly title = 'Sign-in required';
}

/** 429: too many requests of one kind from one client address. */
export class TooManyRequests extends LotseError {
  readonly status = 429;
  readonly title = 'Too many requests';
}

/** 503: the identity provider could not be asked for its keys. */
export class IdentityProviderUnavailable extends LotseError {
  readonly status = 503;
  readonly title = 'Identity provider unavailable';
}
