import type { NextFunction, Request, Response } from 'express';
import { BODY_LIMIT, BodyTooLarge } from '../common/request-guard.js';

const LIMIT_BYTES = Number.parseInt(BODY_LIMIT, 10) * 1024;

/** A form's fields: a name sent more than once (checkboxes) keeps every value, in order. */
export type FormFields = Record<string, string | string[]>;

/**
 * Parses `application/x-www-form-urlencoded` bodies of the pages' forms (under /app only: the API takes JSON alone),
 * within the same size limit as JSON. Runs ahead of the request guard, which then checks the fields like any body.
 */
export function formBody(request: Request, _response: Response, next: NextFunction): void {
  if (request.method !== 'POST' || !request.is('application/x-www-form-urlencoded')) return next();
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > LIMIT_BYTES && !refused) {
      refused = true;
      next(new BodyTooLarge(`the request body is larger than ${BODY_LIMIT}`, 'body-size-limit', { limit: BODY_LIMIT }));
    }
    if (!refused) chunks.push(chunk);
  });
  request.on('error', (error) => {
    if (!refused) next(error);
    refused = true;
  });
  request.on('end', () => {
    if (refused) return;
    const fields: FormFields = {};
    for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
      const seen = fields[name];
      fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    request.body = fields;
    next();
  });
}
