import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { mergeMap, type Observable } from 'rxjs';
import type { SignedInRequest } from '../auth/auth.guard.js';
import { AuditLog } from './audit-log.js';
import { AuditRepository } from './audit.repository.js';
import { assertShownRecorded, shownReads, type ShownReads } from './handler-reads.js';
import { PERSONAL_DATA_ROUTES } from './personal-data-routes.js';

/**
 * Logs every read of someone else's personal data (APP_INTERCEPTOR): after a route listed in PERSONAL_DATA_ROUTES
 * answered, one audit row per person it showed. The row is written before the answer leaves, so a read that could
 * not be logged is not answered (500) rather than answered unlogged. A route recorded by its handler (a page, a
 * file) runs with the recorder of src/audit/handler-reads.ts; if it returns its answer without having recorded, the
 * answer is refused here.
 */
@Injectable()
export class PersonalDataReads implements NestInterceptor {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: AuditRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const route = request.route?.path ? `${request.method} ${request.route.path}` : '';
    const rule = PERSONAL_DATA_ROUTES[route];
    const actor = request.actor;
    if (!actor) return next.handle();
    if (!rule || 'recordedByHandler' in rule) {
      const reads: ShownReads = {
        route,
        expected: !!rule,
        recorded: false,
        record: async (personIds) => void (await this.audit.recordReads(actor, route, personIds, rule?.action)),
      };
      // next.handle() binds the handler to the async context it is called in (Nest's bindAsyncScope).
      const answer = shownReads.run(reads, () => next.handle());
      return answer.pipe(
        mergeMap(async (body: unknown) => {
          shownReads.run(reads, () => assertShownRecorded());
          return body;
        }),
      );
    }
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const subjects = await rule.subjects({
          params: request.params as Record<string, string>,
          body,
          lookup: this.repository,
        });
        await this.audit.recordReads(actor, route, subjects, rule.action);
        return body;
      }),
    );
  }
}
