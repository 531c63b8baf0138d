import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../common/actor.decorator.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { Allow, Public } from './auth.decorators.js';
import { CreateApiTokenDto, SignInDto } from './auth.dto.js';
import { scopeOf, type SignedInActor } from './policy.js';
import { RateLimited } from './rate-limit.js';

@ApiTags('sign-in')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Public()
  @RateLimited('sign-in')
  @ApiOperation({ summary: 'Sign in with a local account: a bearer token for Authorization: Bearer <token>' })
  signIn(@Body() body: SignInDto) {
    return this.accounts.signIn(body.username, body.password);
  }

  @Get('me')
  @Allow('self')
  @ApiOperation({ summary: 'Who the token stands for: actor id, role and scope' })
  me(@CurrentActor() actor: SignedInActor) {
    return { id: actor.id, role: actor.role, via: actor.via, scope: scopeOf(actor) };
  }

  @Post('api-tokens')
  @Allow('self')
  @ApiOperation({ summary: 'Create an API token that acts as you (shown once; stored as a digest)' })
  createApiToken(@CurrentActor() actor: SignedInActor, @Body() body: CreateApiTokenDto) {
    return this.apiTokens.create(actor, body.name, body.expiresAt);
  }

  @Get('api-tokens')
  @Allow('self')
  @ApiOperation({ summary: 'Your API tokens (without the secrets)' })
  listApiTokens(@CurrentActor() actor: SignedInActor) {
    return this.apiTokens.list(actor);
  }

  @Delete('api-tokens/:id')
  @Allow('self')
  @ApiOperation({ summary: 'Revoke one of your API tokens; it stops working at once' })
  revokeApiToken(@CurrentActor() actor: SignedInActor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.apiTokens.revoke(actor, id);
  }
}
