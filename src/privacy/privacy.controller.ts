import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { ErasureDto } from './privacy.dto.js';
import { ErasureResponse, PersonExportResponse } from './privacy.responses.js';
import { PrivacyService } from './privacy.service.js';

const uuid = new ParseUUIDPipe();

@ApiTags('data protection')
@Controller('persons/:id')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('export')
  @Allow('person-data:export')
  @ApiOkResponse({ type: PersonExportResponse })
  @ApiProblems(404)
  @ApiOperation({
    operationId: 'exportPersonData',
    summary:
      'DSGVO Art. 15: everything Lotse holds about the person, as JSON (the ministry; a participant or moderator: itself)',
  })
  export(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.privacy.export(actor, id);
  }

  @Post('erasure')
  @HttpCode(200)
  @Allow('person-data:erase')
  @ApiOkResponse({ type: ErasureResponse })
  @ApiWriteProblems(404, 409, 422)
  @ApiOperation({
    operationId: 'erasePerson',
    summary:
      'DSGVO Art. 17: erase the person, or pseudonymise them where records (certificates, a tandem, attendance) must stay',
  })
  erase(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: ErasureDto) {
    return this.privacy.erase(actor, id, body.reference);
  }
}
