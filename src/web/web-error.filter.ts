import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SignedInRequest } from '../auth/auth.guard.js';
import { Unauthenticated } from '../common/errors.js';
import { LotseConfig } from '../../config/configuration.js';
import { clearSessionCookie, sessionToken } from '../auth/session-cookie.js';
import { requestIdOf } from '../common/logging.js';
import { LotseError } from '../common/errors.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { sendPage, seeOther } from './respond.js';
import { ruleText } from './rule-texts.js';

const TITLES: Record<number, string> = {
  400: 'Ungültige Anfrage',
  403: 'Kein Zugriff',
  404: 'Nicht gefunden',
  409: 'Nicht möglich',
  413: 'Zu groß',
  422: 'Nicht möglich',
  429: 'Zu viele Versuche',
  503: 'Vorübergehend nicht verfügbar',
};

/**
 * The pages' answer to what the API answers with problem+json: without a valid session, the sign-in page (and the
 * page to come back to); a refusal, a page saying in German which rule refused; anything else, a bare error page with
 * the correlation id the log has.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(WebErrorFilter.name);

  constructor(private readonly config: LotseConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<SignedInRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof Unauthenticated) {
      if (sessionToken(request)) clearSessionCookie(request, response, this.config.publicBaseUrl);
      const back = request.method === 'GET' ? `?weiter=${encodeURIComponent(request.originalUrl)}` : '';
      seeOther(response, `/app/anmelden${back}`);
      return;
    }
    let status = 500;
    let message = `Ein unerwarteter Fehler ist aufgetreten. Bitte nennen Sie bei Rückfragen die Kennung ${requestIdOf(request as Request, response)}.`;
    if (exception instanceof LotseError) {
      status = exception.status;
      message = ruleText(exception.rule, exception.message);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message =
        status === 404
          ? 'Diese Seite gibt es nicht.'
          : 'Die Anfrage ist ungültig (z. B. eine falsche Kennung in der Adresse).';
    } else {
      this.logger.error(`${request.method} ${request.originalUrl} failed`, (exception as Error)?.stack);
    }
    const title = TITLES[status] ?? 'Fehler';
    sendPage(
      response,
      layout({
        title,
        actor: request.actor,
        path: request.path,
        main: html`<h1>${title}</h1><p>${message}</p><p><a href="/app">Zur Startseite</a></p>`,
      }),
      status,
    );
  }
}
