import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { AccountsService } from '../auth/accounts.service.js';
import { Allow, Public, SessionCookie } from '../auth/auth.decorators.js';
import { Authenticator } from '../auth/authenticator.js';
import { IdentityProviderUnavailable, Unauthenticated } from '../common/errors.js';
import { OidcTokens } from '../auth/oidc-tokens.js';
import type { SignedInActor } from '../auth/policy.js';
import { RateLimited } from '../auth/rate-limit.js';
import {
  clearOidcStateCookie,
  clearSessionCookie,
  oidcState,
  requireSameOrigin,
  setOidcStateCookie,
  setSessionCookie,
} from '../auth/session-cookie.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { LotseError, NotFound } from '../common/errors.js';
import type { FormFields } from './form-body.js';
import { errorSummary, Form, textField } from './forms.js';
import { html } from './html.js';
import { layout, NAVIGATION, ROLE_LABELS } from './layout.js';
import { localPath, seeOther, sendPage } from './respond.js';
import { STYLESHEET } from './styles.js';
import { WebErrorFilter } from './web-error.filter.js';
import { DisplayNameInterceptor } from './display-name.interceptor.js';

/** Sign-in and sign-out of the web interface, its start page and its stylesheet. */
@ApiExcludeController()
@Controller()
@UseFilters(WebErrorFilter)
@UseInterceptors(DisplayNameInterceptor)
export class SignInController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly oidc: OidcTokens,
    private readonly authenticator: Authenticator,
    private readonly config: LotseConfig,
  ) {}

  @Get()
  @Public()
  root(@Res() response: Response): void {
    seeOther(response, '/app');
  }

  @Get('app/assets/lotse.css')
  @Public()
  stylesheet(@Res() response: Response): void {
    response.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600');
    response.send(STYLESHEET);
  }

  @Get('app/anmelden')
  @Public()
  signInPage(
    @Query('weiter') next: string | undefined,
    @Query('abgemeldet') signedOut: string | undefined,
    @Res() response: Response,
  ): void {
    sendPage(
      response,
      this.signInForm(
        new Form({ weiter: localPath(next) ?? '' }),
        signedOut !== undefined ? 'Sie sind abgemeldet.' : undefined,
      ),
    );
  }

  @Post('app/anmelden')
  @Public()
  @RateLimited('sign-in')
  async signIn(@Body() body: FormFields, @Req() request: Request, @Res() response: Response): Promise<void> {
    requireSameOrigin(request);
    const form = Form.submitted(body);
    if (!form.text('benutzername')) form.fieldError('benutzername', 'Bitte geben Sie Ihren Benutzernamen ein.');
    if (!form.text('passwort')) form.fieldError('passwort', 'Bitte geben Sie Ihr Passwort ein.');
    if (form.ok) {
      try {
        const signedIn = await this.accounts.signIn(form.text('benutzername'), String(body.passwort ?? ''));
        setSessionCookie(request, response, signedIn.access_token, signedIn.expires_in, this.config.publicBaseUrl);
        return seeOther(response, localPath(form.text('weiter')) ?? '/app');
      } catch (error) {
        if (!(error instanceof Unauthenticated)) throw error;
        form.refused(error);
      }
    }
    sendPage(response, this.signInForm(form), form.status === 200 ? 422 : form.status);
  }

  private signInForm(form: Form, notice?: string) {
    return layout({
      title: 'Anmelden',
      notice,
      main: html`<h1>Anmelden</h1>
        ${errorSummary(form, { benutzername: 'Benutzername', passwort: 'Passwort' })}
        <form class="stacked" method="post" action="/app/anmelden" novalidate>
          <input type="hidden" name="weiter" value="${form.text('weiter')}">
          ${textField(form, { name: 'benutzername', label: 'Benutzername', autocomplete: 'username', required: true })}
          ${textField(form, { name: 'passwort', label: 'Passwort', type: 'password', autocomplete: 'current-password', required: true })}
          <div class="actions"><button type="submit">Anmelden</button></div>
        </form>
        <p class="muted">Sign in with the local account you were given (after <code>npm run demo</code>: one per role).</p>
        ${
          this.oidc.issuer &&
          html`<h2>Mit dem Konto des Landes</h2>
          <p><a class="button secondary" href="/app/anmelden/oidc${form.text('weiter') ? `?weiter=${encodeURIComponent(form.text('weiter'))}` : ''}">Mit dem Landeskonto anmelden</a></p>`
        }`,
    });
  }

  /**
   * Sign-in through the Land's identity provider: the authorization code flow with PKCE (S256) as a public client
   * (`oidcAudience` is the client id). State and verifier wait in a short-lived cookie until the provider sends the
   * browser back.
   */
  @Get('app/anmelden/oidc')
  @Public()
  @RateLimited('sign-in')
  async startOidc(
    @Query('weiter') next: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!this.oidc.issuer)
      throw new NotFound('no identity provider is configured (oidcIssuer)', 'identity-provider-configured');
    const { authorization_endpoint: endpoint } = await this.oidc.discovery();
    if (!endpoint)
      throw new IdentityProviderUnavailable(
        'the identity provider names no authorization endpoint',
        'identity-provider-reachable',
      );
    const state = randomBytes(24).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const back = Buffer.from(localPath(next) ?? '/app').toString('base64url');
    setOidcStateCookie(request, response, `${state}.${verifier}.${back}`, this.config.publicBaseUrl);
    const url = new URL(endpoint);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: this.config.oidcAudience,
      redirect_uri: this.redirectUri(request),
      scope: 'openid',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(name, value);
    seeOther(response, url.toString());
  }

  @Get('app/anmelden/oidc/rueckkehr')
  @Public()
  async returnFromOidc(
    @Query() query: Record<string, string>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const [expected, verifier, back] = (oidcState(request) ?? '').split('.');
    clearOidcStateCookie(request, response, this.config.publicBaseUrl);
    const form = new Form();
    if (!expected || query.state !== expected || typeof query.code !== 'string' || query.error) {
      form.general.push(
        'Die Anmeldung beim Landeskonto wurde abgebrochen oder ist abgelaufen. Bitte versuchen Sie es noch einmal.',
      );
      return sendPage(response, this.signInForm(form), 400);
    }
    const token = await this.exchangeCode(request, query.code, verifier);
    if (!token) {
      form.general.push('Das Landeskonto hat die Anmeldung nicht bestätigt. Bitte versuchen Sie es noch einmal.');
      return sendPage(response, this.signInForm(form), 400);
    }
    try {
      // The same check every request gets: the token must name a Lotse role and its scope.
      await this.authenticator.authenticate(`Bearer ${token.access_token}`);
    } catch (error) {
      if (!(error instanceof LotseError)) throw error;
      form.refused(error);
      return sendPage(response, this.signInForm(form), error.status);
    }
    setSessionCookie(request, response, token.access_token, token.expires_in ?? 300, this.config.publicBaseUrl);
    const next = localPath(Buffer.from(back ?? '', 'base64url').toString()) ?? '/app';
    // A page that moves on by itself: a redirect here would still count as the provider's cross-site navigation, on
    // which the browser does not send the SameSite=Strict session cookie.
    sendPage(
      response,
      layout({
        title: 'Angemeldet',
        refresh: next,
        main: html`<h1>Angemeldet</h1><p><a href="${next}">Weiter</a></p>`,
      }),
    );
  }

  private async exchangeCode(
    request: Request,
    code: string,
    verifier: string,
  ): Promise<{ access_token: string; expires_in?: number } | null> {
    const { token_endpoint: endpoint } = await this.oidc.discovery();
    if (!endpoint)
      throw new IdentityProviderUnavailable(
        'the identity provider names no token endpoint',
        'identity-provider-reachable',
      );
    let answer: globalThis.Response;
    try {
      answer = await fetch(endpoint, {
        method: 'POST',
        signal: AbortSignal.timeout(5000),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: this.redirectUri(request),
          client_id: this.config.oidcAudience,
          code_verifier: verifier ?? '',
        }),
      });
    } catch {
      throw new IdentityProviderUnavailable(
        'the identity provider did not answer; try again shortly',
        'identity-provider-reachable',
      );
    }
    const body = (await answer.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    return answer.ok && typeof body.access_token === 'string'
      ? {
          access_token: body.access_token,
          ...(typeof body.expires_in === 'number' ? { expires_in: body.expires_in } : {}),
        }
      : null;
  }

  /** Where the provider sends the browser back: Lotse's public address when this request came to it, else this request's origin. */
  private redirectUri(request: Request): string {
    const configured = new URL(this.config.publicBaseUrl);
    const origin =
      configured.host === request.get('host') ? configured.origin : `${request.protocol}://${request.get('host')}`;
    return `${origin}/app/anmelden/oidc/rueckkehr`;
  }

  @Post('app/abmelden')
  @Public()
  signOut(@Req() request: Request, @Res() response: Response): void {
    requireSameOrigin(request);
    clearSessionCookie(request, response, this.config.publicBaseUrl);
    seeOther(response, '/app/anmelden?abgemeldet');
  }

  /** Each role starts on the first page of its navigation. */
  @Get('app')
  @Allow('self')
  @SessionCookie()
  home(@CurrentActor() actor: SignedInActor, @Res() response: Response): void {
    seeOther(response, NAVIGATION[actor.role][0].href);
  }

  @Get('app/start')
  @Allow('self')
  @SessionCookie()
  start(@CurrentActor() actor: SignedInActor, @Req() request: Request, @Res() response: Response): void {
    sendPage(
      response,
      layout({
        title: 'Start',
        actor,
        path: request.path,
        main: html`<h1>Willkommen bei Lotse</h1>
        <p>Sie sind als ${ROLE_LABELS[actor.role]} angemeldet. Die Seiten für Ihre Rolle finden Sie in der Navigation.</p>`,
      }),
    );
  }
}
