import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LotseError } from './errors.js';
import { requestIdOf } from './logging.js';

/** RFC 9457 problem details; `rule` names the rule that refused the request. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  rule?: string;
  errors?: string[];
  correlationId: string;
  [extension: string]: unknown;
}

/**
 * The one place errors become HTTP answers, as application/problem+json. Domain errors keep their message and
 * rule; validation errors list the fields; anything else is a bare 500 with a correlation id to find it in the log.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // The request id of the access log and the X-Request-Id header: one id to find the request by.
    const correlationId = requestIdOf(request, response);
    const problem = this.toProblem(exception, request.originalUrl, correlationId);
    if (problem.status >= 500)
      this.logger.error(
        `${request.method} ${request.originalUrl} failed (request ${correlationId})`,
        (exception as Error)?.stack,
      );
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string, correlationId: string): Problem {
    if (exception instanceof LotseError) {
      // Details first: they extend the problem but never replace its standard members.
      return {
        ...exception.details,
        type: `urn:lotse:problem:${exception.rule ?? slug(exception.title)}`,
        title: exception.title,
        status: exception.status,
        detail: exception.message,
        instance,
        correlationId,
        ...(exception.rule ? { rule: exception.rule } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const messages =
        typeof body === 'object' && body !== null && Array.isArray((body as { message?: unknown }).message)
          ? (body as { message: string[] }).message
          : undefined;
      const status = exception.getStatus();
      return {
        type: `urn:lotse:problem:${status === 400 ? 'malformed-request' : slug(exception.name)}`,
        title: status === 400 ? 'Malformed request' : exception.message,
        status,
        detail: messages ? messages.join('; ') : exception.message,
        instance,
        correlationId,
        ...(status === 400 ? { rule: 'request-schema' } : {}),
        ...(messages ? { errors: messages } : {}),
      };
    }
    const parseError = exception as { type?: string; status?: number; message?: string };
    if (parseError?.type === 'entity.parse.failed' || parseError?.type === 'entity.too.large') {
      return {
        type: 'urn:lotse:problem:malformed-request',
        title: 'Malformed request',
        status: parseError.status ?? 400,
        detail: `request body is not valid JSON: ${parseError.message}`,
        instance,
        correlationId,
        rule: 'request-schema',
      };
    }
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'an unexpected error occurred; quote the correlation id when reporting it',
      instance,
      correlationId,
    };
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
