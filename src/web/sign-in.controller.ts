import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LotseConfig } from '../../config/configuration.js';
import { AccountsService } from '../auth/accounts.service.js';
import { Allow, Public, SessionCookie } from '../auth/auth.decorators.js';
import { Unauthenticated } from '../auth/errors.js';
import type { SignedInActor } from '../auth/policy.js';
import { RateLimited } from '../auth/rate-limit.js';
import { clearSessionCookie, requireSameOrigin, setSessionCookie } from '../auth/session-cookie.js';
import { CurrentActor } from '../common/actor.decorator.js';
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
  signInPage(@Query('weiter') next: string | undefined, @Query('abgemeldet') signedOut: string | undefined, @Res() response: Response): void {
    sendPage(response, this.signInForm(new Form({ weiter: localPath(next) ?? '' }), signedOut !== undefined ? 'Sie sind abgemeldet.' : undefined));
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
      title: 'Anmelden', notice,
      main: html`<h1>Anmelden</h1>
        ${errorSummary(form, { benutzername: 'Benutzername', passwort: 'Passwort' })}
        <form class="stacked" method="post" action="/app/anmelden" novalidate>
          <input type="hidden" name="weiter" value="${form.text('weiter')}">
          ${textField(form, { name: 'benutzername', label: 'Benutzername', autocomplete: 'username', required: true })}
          ${textField(form, { name: 'passwort', label: 'Passwort', type: 'password', autocomplete: 'current-password', required: true })}
          <div class="actions"><button type="submit">Anmelden</button></div>
        </form>
        <p class="muted">Sign in with the local account you were given (after <code>npm run demo</code>: one per role).</p>`,
    });
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
    sendPage(response, layout({
      title: 'Start', actor, path: request.path,
      main: html`<h1>Willkommen bei Lotse</h1>
        <p>Sie sind als ${ROLE_LABELS[actor.role]} angemeldet. Die Seiten für Ihre Rolle finden Sie in der Navigation.</p>`,
    }));
  }
}
