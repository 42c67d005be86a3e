import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import { Identifier } from '../common/dto-decorators';
import { DEMO_USERS, mintDemoToken } from '../platform/demo-tokens';

export class DevelopmentSignInDto {
  @Identifier('demo-operator', 'The `id` of one of the demo identities (GET /development/identities)')
  identity!: string;
}

class DemoIdentity {
  @ApiProperty({ example: 'demo-operator' }) id!: string;
  @ApiProperty({ example: 'operator (SostieniMi)' }) label!: string;
  @ApiProperty({ example: 'operator' }) role!: string;
  @ApiProperty({ type: [String], example: ['sostienimi'] }) lines!: string[];
  @ApiProperty({ required: false, example: 'esempio-serd-centro' }) serviceId?: string;
  @ApiProperty({ required: false, example: 'unit-municipio-4' }) unitId?: string;
}

class DevelopmentToken {
  @ApiProperty({ description: 'A bearer token for the identity, valid 12 hours' }) token!: string;
}

/**
 * The console's development sign-in: the demo identities the start-up log prints, and a token for one of them. The
 * app registers this controller only in the embedded development mode (settings.developmentMode: no OpenID provider,
 * no configured secret), so with a provider configured these routes do not exist.
 */
@ApiTags('identity')
@Controller('development')
@Public()
export class DevelopmentSignInController {
  constructor(@Inject(SETTINGS) private readonly settings: Settings) {}

  @Get('identities')
  @ApiOperation({ summary: 'Development mode only: the demo identities one may sign in as' })
  @ApiOkResponse({ type: [DemoIdentity] })
  identities(): DemoIdentity[] {
    return DEMO_USERS.map((user) => ({
      id: user.sub,
      label: user.label,
      role: user.role,
      lines: [...(user.lines ?? [])],
      serviceId: user.serviceId,
      unitId: user.unitId,
    }));
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Development mode only: a bearer token for one demo identity' })
  @ApiOkResponse({ type: DevelopmentToken })
  async signIn(@Body() body: DevelopmentSignInDto): Promise<DevelopmentToken> {
    const user = DEMO_USERS.find((candidate) => candidate.sub === body.identity);
    if (!user) throw new NotFoundException({ code: 'UNKNOWN_IDENTITY', reason: 'no demo identity has this id' });
    if (this.settings.auth.kind !== 'hs256')
      throw new NotFoundException({ code: 'NOT_FOUND', reason: 'development sign-in is off' });
    return { token: await mintDemoToken(this.settings.auth, user) };
  }
}
