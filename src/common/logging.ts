/**
 * Structured JSON logs (pino) with one request id per HTTP request: taken from an incoming `X-Request-Id` when it
 * looks like an id, generated otherwise, returned in the `X-Request-Id` header of every response, written on the
 * access log line and every log line made while handling the request, and used as the `correlationId` of every
 * problem+json answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import type { LogLevel } from '../../config/configuration.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a proxy or client may send as a request id: short, printable, no spaces or quotes that could forge log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$/;

type Identified = IncomingMessage & { id?: unknown };
type Logged = { log?: Logger };

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
 * 5xx. Health probes from a load balancer are not logged (a failing probe logs its own warning). It also gives the
 * request its logger (`request.log`, which nestjs-pino binds for every line made while handling it). One child
 * logger per request: pino-http made three or four, which cost a tenth of a request's time.
 */
export function accessLog(
  logger: Logger,
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    const id = requestIdOf(request, response);
    const log = logger.child({ reqId: id });
    (request as Logged).log = log;
    (response as Logged).log = log;
    if (request.url !== '/health') {
      const started = performance.now();
      const finished = () => {
        response.off('finish', finished);
        response.off('close', finished);
        const status = response.statusCode;
        const level = status >= 500 ? 'error' : 'info';
        if (!log.isLevelEnabled(level)) return;
        // Read when the request has finished: the AuthGuard has put the signed-in caller on it by then (none on
        // public routes or a 401).
        const actor = (request as { actor?: { role: string; id: string } }).actor;
        const ms = Math.round(performance.now() - started);
        const outcome = !response.writableFinished
          ? 'aborted'
          : status >= 500
            ? `${status} failed`
            : `${status} ${ms} ms`;
        log[level](
          {
            req: { id, method: request.method, url: request.url, remoteAddress: request.socket?.remoteAddress },
            res: { statusCode: status },
            responseTime: ms,
            ...(actor ? { actor: `${actor.role}:${actor.id}` } : {}),
          },
          `${request.method} ${request.url} ${outcome}`,
        );
      };
      response.on('finish', finished);
      response.on('close', finished);
    }
    next();
  };
}
