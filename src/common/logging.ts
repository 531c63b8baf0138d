/**
 * Structured JSON logs (pino) with one request id per HTTP request: taken from an incoming `X-Request-Id` when it
 * looks like an id, generated otherwise, returned in the `X-Request-Id` header of every response, written on the
 * access log line and every log line made while handling the request, and used as the `correlationId` of every
 * problem+json answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { LogLevel } from '../../config/configuration.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a proxy or client may send as a request id: short, printable, no spaces or quotes that could forge log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$/;

type Identified = IncomingMessage & { id?: unknown };

/**
 * The request's id, decided once: the logging middleware asks first; a request it never saw (refused before it ran)
 * gets one here. Sets the response header as a side effect, so every response carries it.
 */
export function requestIdOf(request: Identified, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const incoming = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  if (!response.headersSent) response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The process's logger: JSON lines on standard output, ISO timestamps, credentials never written. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'lotse', pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'],
      censor: '[redacted]',
    },
  });
}

/**
 * The access log: one line per finished request with its id, method, path, status and duration, at `error` for a
 * 5xx. Health probes from a load balancer are not logged (a failing probe logs its own warning).
 */
export function accessLog(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (request, response) => requestIdOf(request, response),
    quietReqLogger: true,
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (request, response, ms) =>
      `${request.method} ${request.url} ${response.statusCode} ${Math.round(ms)} ms`,
    customErrorMessage: (request, response) => `${request.method} ${request.url} ${response.statusCode} failed`,
    // The error itself is logged once, with its stack, where it is answered (ProblemFilter).
    customErrorObject: (_request, _response, _error, fields: Record<string, unknown>) => ({
      ...fields,
      err: undefined,
    }),
    autoLogging: { ignore: (request) => request.url === '/health' },
    // Read when the request has finished: the AuthGuard has put the signed-in caller on it by then (none on public
    // routes or a 401).
    customProps: (request) => {
      const actor = (request as { actor?: { role: string; id: string } }).actor;
      return actor ? { actor: `${actor.role}:${actor.id}` } : {};
    },
    serializers: {
      req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
        remoteAddress: request.remoteAddress,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}
