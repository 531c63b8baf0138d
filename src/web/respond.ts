import type { Response } from 'express';
import { assertShownRecorded } from '../audit/handler-reads.js';
import type { Html } from './html.js';

/**
 * Sends a page; pages are personal, so no cache keeps them. A page listed in PERSONAL_DATA_ROUTES is not sent
 * unless its handler recorded whom it shows (`recordShown`).
 */
export function sendPage(response: Response, page: Html, status = 200): void {
  assertShownRecorded(status);
  response.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
  response.send(page.value);
}

/** After a form's action: 303 to the page to show next (post/redirect/get, so a reload does not post again). */
export function seeOther(response: Response, location: string): void {
  response.redirect(303, location);
}

/** A path inside the web interface to return to after sign-in; anything else (another host, `//x`) is ignored. */
export function localPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/app(\/[A-Za-z0-9/_.%?=&-]*)?$/.test(value) && !value.startsWith('//')
    ? value
    : undefined;
}
