import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import { Answers, named, object, oneOf, text } from '../common/response-schema';

export const CONSOLE_SIGN_IN_MODES = ['development', 'oidc', 'none'] as const;

export type ConsoleSignIn =
  | { mode: 'development' }
  | { mode: 'oidc'; authority: string; clientId: string; scope: string; resource?: string }
  | { mode: 'none' };

const CONSOLE_SIGN_IN = named(
  'ConsoleSignIn',
  object(
    {
      mode: oneOf(
        CONSOLE_SIGN_IN_MODES,
        'development: the demo identities (GET /development/identities); oidc: the OpenID provider below, authorization code with PKCE; none: the console has no way to sign in (tokens come from elsewhere)',
      ),
    },
    {
      authority: text('oidc: the provider (its issuer; the discovery document is under it)'),
      clientId: text("oidc: the console's client id at the provider (a public client: no secret)"),
      scope: text('oidc: the scopes to ask for, space-separated'),
      resource: text('oidc: the resource indicator (RFC 8707) to ask tokens for, when the provider needs one'),
    },
  ),
);

/**
 * How the console signs people in, asked before anyone is signed in: nothing in it is a secret (a public client's id
 * and its provider are in every sign-in redirect anyway).
 */
@ApiTags('identity')
@Controller('auth')
@Public()
export class ConsoleSignInController {
  constructor(@Inject(SETTINGS) private readonly settings: Settings) {}

  @Get('console-config')
  @ApiOperation({ summary: 'How the console signs in: the development sign-in, or the OpenID provider and client' })
  @Answers(200, CONSOLE_SIGN_IN, {
    mode: 'oidc',
    authority: 'https://id.comune.example/realms/comune-milano',
    clientId: 'helpline-console',
    scope: 'openid',
  })
  consoleSignIn(): ConsoleSignIn {
    const oidc = this.settings.consoleOidc;
    if (oidc) return { mode: 'oidc', ...oidc };
    return { mode: this.settings.developmentMode ? 'development' : 'none' };
  }
}
