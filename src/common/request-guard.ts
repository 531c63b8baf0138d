/**
 * Limits every request meets before routing, in one place rather than per DTO: a body no larger than BODY_LIMIT, JSON
 * nested at most MAX_JSON_DEPTH deep, text that PostgreSQL can store (no NUL character, no lone UTF-16 surrogate:
 * both are refused in `text` and `jsonb`, and SQLite would keep what PostgreSQL refuses), and the caller's headers
 * no longer than their columns. Whatever breaks a limit is refused with problem+json naming it, before anything is
 * read or written, so SQLite and PostgreSQL answer alike.
 */
import type { NextFunction, Request, Response } from 'express';
import { IDEMPOTENCY_KEY_MAX, LotseError, MalformedRequest } from './errors.js';

/** The largest request body; the biggest legitimate one (a curriculum of 20 events) is a few kilobytes. */
export const BODY_LIMIT = '100kb';

/** Objects and arrays inside each other; a DTO is 3 deep, a workflow's free-form input rarely more than 5. */
export const MAX_JSON_DEPTH = 32;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * Header lengths: a bearer token of any identity provider fits in 8 KiB; an idempotency key is stored behind its
 * scope (`<36>:<key>` in 200): the engine's own limit.
 */
export const HEADER_LIMITS: Record<string, number> = {
  authorization: 8192,
  [IDEMPOTENCY_KEY_HEADER]: IDEMPOTENCY_KEY_MAX,
};

/** 413: the body is larger than BODY_LIMIT. */
export class BodyTooLarge extends LotseError {
  readonly status = 413;
  readonly title = 'Request body too large';
}

/** 415: a body in a content encoding or charset the JSON parser does not read. */
export class UnsupportedBodyEncoding extends LotseError {
  readonly status = 415;
  readonly title = 'Unsupported body encoding';
}

/** Express middleware after the JSON parser: headers, URL and parsed body within the limits above. */
export function refuseHostileInput(request: Request, _response: Response, next: NextFunction): void {
  try {
    checkHeaders(request);
    checkUrl(request.originalUrl);
    checkJson(request.body);
    next();
  } catch (error) {
    next(error);
  }
}

/**
 * Express error middleware right after the JSON parser: its refusals become problems with a rule. Syntax errors stay
 * as Nest maps them (400 `request-schema`); anything else passes unchanged.
 */
export function explainBodyParserError(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    next(new BodyTooLarge(`the request body is larger than ${BODY_LIMIT}`, 'body-size-limit', { limit: BODY_LIMIT }));
  } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    next(
      new UnsupportedBodyEncoding(
        `${(error as Error).message}; send JSON in UTF-8, optionally gzip or deflate encoded`,
        'body-encoding',
      ),
    );
  } else {
    next(error);
  }
}

function checkHeaders(request: Request): void {
  for (const [name, limit] of Object.entries(HEADER_LIMITS)) {
    const value = request.headers[name];
    const length = Array.isArray(value) ? value.join(', ').length : (value?.length ?? 0);
    if (length > limit) {
      throw new MalformedRequest(
        `header ${name} is ${length} characters long; at most ${limit} are allowed`,
        'header-length-limit',
        { header: name, limit },
      );
    }
  }
}

/** A decoded path or query value could carry a NUL; percent-decoding can never produce a lone surrogate. */
function checkUrl(url: string): void {
  if (/%00/.test(url))
    throw new MalformedRequest('the URL contains an encoded NUL character (%00)', 'text-without-nul');
}

/** Where a value sits in the body; spelt out (`$.admins[1].name`) only for a refusal. */
interface Place {
  parent: Place | null;
  key: string | number;
}

function pathOf(place: Place | null): string {
  let path = '';
  for (let at = place; at; at = at.parent) path = (typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`) + path;
  return `$${path}`;
}

/** A NUL, or half of a surrogate pair without its other half (in a `u` expression a whole pair is one code point). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point: neither database stores it in text.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/**
 * Walks the parsed body once, without recursion (a stack overflow would be a 500): keys and strings are checked as
 * they are met, containers deeper than MAX_JSON_DEPTH are refused.
 */
function checkJson(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const values: unknown[] = [body];
  const depths: number[] = [1];
  const places: (Place | null)[] = [null];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop()!;
    const place = places.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) refuseText(value, pathOf(place));
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new MalformedRequest(
        `the request body is nested deeper than ${MAX_JSON_DEPTH} levels (at ${pathOf(place)})`,
        'body-nesting-limit',
        { limit: MAX_JSON_DEPTH },
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        values.push(value[index]);
        depths.push(depth + 1);
        places.push({ parent: place, key: index });
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      if (UNSTORABLE.test(key)) refuseText(key, `${pathOf(place)} (a key)`);
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
      places.push({ parent: place, key });
    }
  }
}

function refuseText(text: string, path: string): never {
  if (text.includes('\u0000')) {
    throw new MalformedRequest(
      `${path} contains a NUL character (\\u0000), which cannot be stored`,
      'text-without-nul',
      { path },
    );
  }
  throw new MalformedRequest(
    `${path} contains a lone UTF-16 surrogate (such as \\ud800), which is not text`,
    'text-well-formed',
    { path },
  );
}
