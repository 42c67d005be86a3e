import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, ROLES, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { Answers, listOf, named, object, oneOf, text } from '../common/response-schema';

const PRINCIPAL = named(
  'Principal',
  object(
    {
      id: text("The user's stable id (the token's sub)"),
      role: oneOf(ROLES, 'The role this request acts in: of the token’s roles, the first one the route admits'),
      lines: listOf(text(), 'The helpline lines the user works on'),
    },
    {
      roles: listOf(oneOf(ROLES), 'Every role the token grants'),
      serviceId: text('The directory service of a service_staff user'),
      unitId: text('The social-service unit of a social_worker or unit_officer'),
    },
  ),
);

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
@Roles(...ROLES)
export class MeController {
  @Get()
  @ApiOperation({ summary: 'Who the bearer token says you are: id, role, lines, service' })
  @Answers(200, PRINCIPAL, { id: 'demo-operator', role: 'operator', roles: ['operator'], lines: ['sostienimi'] })
  @ApiUnauthorizedResponse({
    schema: { example: { statusCode: 401, code: 'UNAUTHENTICATED', reason: 'a bearer token is required' } },
  })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
