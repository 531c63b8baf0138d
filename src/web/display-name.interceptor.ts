import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { SignedInRequest } from '../auth/auth.guard.js';
import { scopeOf } from '../auth/policy.js';
import { QualificationRepository } from '../qualification/qualification.repository.js';
import type { PageActor } from './layout.js';

/**
 * The name the header shows for the signed-in caller: a moderator's or participant's name, a district's
 * Bezirksregierung with the clerk; anyone else by the id the token names.
 */
@Injectable()
export class DisplayNameInterceptor implements NestInterceptor {
  constructor(private readonly repository: QualificationRepository) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const actor = context.switchToHttp().getRequest<SignedInRequest>().actor as PageActor | undefined;
    if (actor) actor.displayName = await this.nameOf(actor);
    return next.handle();
  }

  private async nameOf(actor: PageActor): Promise<string> {
    const scope = scopeOf(actor);
    if (scope.role === 'moderator' || scope.role === 'participant')
      return (await this.repository.person(scope.personId))?.name ?? actor.id;
    if (scope.role === 'district') {
      const district = await this.repository.district(scope.districtId);
      const clerk = actor.id.split('/')[1];
      return district ? `${district.name}${clerk ? ` (${clerk})` : ''}` : actor.id;
    }
    return actor.id;
  }
}
