import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { SETTINGS, type Settings } from '@helpline/config';
import { normalisePhoneNumber, pseudonymise } from '@helpline/privacy';
import { CallerLookup } from '@helpline/cases';
import { CaseLookupQueries } from '@helpline/projections';
import { ReadYourWrites } from '../queues/read-your-writes';
import { Answers } from '../common/response-schema';
import { CASE_LOOKUP_PAGE } from './case.responses';

export class CaseLookupQueryDto {
  @ApiPropertyOptional({
    example: '3F1C-2A9E',
    description: "A case's reference: the first eight hex digits of its id, as GET /cases/{caseId} shows it",
  })
  @IsOptional()
  @Matches(/^[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}$/, { message: 'reference must look like 3F1C-2A9E' })
  reference?: string;

  @ApiPropertyOptional({
    example: '+39 333 123 4567',
    description:
      'A returning caller’s number: pseudonymised with the line’s secret on arrival and looked up by the pseudonym; ' +
      'never stored, logged or echoed',
  })
  @IsOptional()
  @IsString()
  @Length(4, 64)
  callerNumber?: string;

  @ApiPropertyOptional({ example: '1042:318', description: 'Answer once the lookup has reached this log position' })
  @IsOptional()
  @Matches(/^\d{1,16}:\d{1,16}$/, { message: 'waitFor must be a log position such as "1042:318"' })
  waitFor?: string;
}

/** Finding a case as an operator does: by its reference, or by the number of a caller who rings again. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
@Roles('operator', 'supervisor')
export class CaseLookupController {
  constructor(
    private readonly lookup: CaseLookupQueries,
    private readonly callers: CallerLookup,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Find cases in your lines by reference (?reference=3F1C-2A9E) or by a returning caller’s number (?callerNumber=…, through its pseudonym)',
  })
  @Answers(200, CASE_LOOKUP_PAGE, {
    items: [
      {
        caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
        reference: '3F1C-2A9E',
        lineId: 'sostienimi',
        openedAt: '2026-11-24T09:15:00.000Z',
        closed: false,
      },
    ],
    caughtUp: true,
  })
  async find(@Query() query: CaseLookupQueryDto, @CurrentPrincipal() principal: Principal) {
    if ((query.reference === undefined) === (query.callerNumber === undefined)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        reason: 'the request is not valid',
        errors: [{ field: 'reference', reason: 'send either reference or callerNumber' }],
      });
    }
    const wait = await this.readYourWrites.waitFor('case-lookup', query.waitFor);
    const items =
      query.reference !== undefined
        ? await this.lookup.byReference(withDash(query.reference), principal.lines)
        : await this.callers.casesOf(
            pseudonymise(this.settings.pseudonymSecret, normalisePhoneNumber(query.callerNumber!, 'callerNumber')),
            principal.lines,
          );
    return { items, ...wait };
  }
}

function withDash(reference: string): string {
  const hex = reference.replace('-', '').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
