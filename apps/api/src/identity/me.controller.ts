import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, ROLES, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
@Roles(...ROLES)
export class MeController {
  @Get()
  @ApiOperation({ summary: 'Who the bearer token says you are: id, role, lines, service' })
  @ApiOkResponse({ schema: { example: { id: 'demo-operator', role: 'operator', lines: ['sostienimi'] } } })
  @ApiUnauthorizedResponse({
    schema: { example: { statusCode: 401, code: 'UNAUTHENTICATED', reason: 'a bearer token is required' } },
  })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
