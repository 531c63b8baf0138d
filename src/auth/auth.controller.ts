import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblem, ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { Allow, Public } from './auth.decorators.js';
import { CreateApiTokenDto, SignInDto } from './auth.dto.js';
import { ApiTokenResponse, CallerResponse, NewApiTokenResponse, TokenResponse } from './auth.responses.js';
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
  @ApiOkResponse({ type: TokenResponse })
  @ApiWriteProblems()
  @ApiProblem(401, 'User name or password is wrong (rule sign-in-credentials), or the account is disabled')
  signIn(@Body() body: SignInDto): Promise<TokenResponse> {
    return this.accounts.signIn(body.username, body.password);
  }

  @Get('me')
  @Allow('self')
  @ApiOperation({ summary: 'Who the token stands for: actor id, role and scope' })
  @ApiOkResponse({ type: CallerResponse })
  @ApiProblems()
  whoAmI(@CurrentActor() actor: SignedInActor): CallerResponse {
    return { id: actor.id, role: actor.role, via: actor.via, scope: scopeOf(actor) };
  }

  @Post('api-tokens')
  @Allow('self')
  @ApiOperation({ summary: 'Create an API token that acts as you (shown once; stored as a digest)' })
  @ApiCreatedResponse({ type: NewApiTokenResponse })
  @ApiWriteProblems(422)
  createApiToken(@CurrentActor() actor: SignedInActor, @Body() body: CreateApiTokenDto): Promise<NewApiTokenResponse> {
    return this.apiTokens.create(actor, body.name, body.expiresAt);
  }

  @Get('api-tokens')
  @Allow('self')
  @ApiOperation({ summary: 'Your API tokens (without the secrets)' })
  @ApiOkResponse({ type: [ApiTokenResponse] })
  @ApiProblems()
  listApiTokens(@CurrentActor() actor: SignedInActor): Promise<ApiTokenResponse[]> {
    return this.apiTokens.list(actor);
  }

  @Delete('api-tokens/:id')
  @Allow('self')
  @ApiOperation({ summary: 'Revoke one of your API tokens; it stops working at once' })
  @ApiOkResponse({ type: ApiTokenResponse, description: 'The token, revoked (also when it already was)' })
  @ApiProblems(404)
  revokeApiToken(
    @CurrentActor() actor: SignedInActor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ApiTokenResponse> {
    return this.apiTokens.revoke(actor, id);
  }
}
