import { Body, Controller, ForbiddenException, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { CaseCommandHandler } from '@helpline/cases';
import { DirectoryService } from '@helpline/directory';
import type { ReferralStatus } from '@helpline/domain';
import { commandContext, type CommandContext } from '../common/command-context';
import { UuidParam } from '../common/uuid-param';
import { CaseCommandBody } from '../cases/case-command.body';
import { ReadYourWrites } from '../queues/read-your-writes';
import { AcceptHandoffDto } from './accept-handoff/accept-handoff.dto';
import { DeclineHandoffDto } from './decline-handoff/decline-handoff.dto';
import { ScheduleAppointmentDto } from './schedule-appointment/schedule-appointment.dto';
import { RecordAppointmentAttendedDto } from './record-appointment-attended/record-appointment-attended.dto';
import { RecordAppointmentMissedDto } from './record-appointment-missed/record-appointment-missed.dto';
import { RecordTakenIntoCareDto } from './record-taken-into-care/record-taken-into-care.dto';
import { acceptHandoff } from './accept-handoff/accept-handoff.handler';
import { declineHandoff } from './decline-handoff/decline-handoff.handler';
import { GetHandoffInboxQuery, GetHandoffQuery } from './handoff-inbox.queries';
import { recordAppointmentAttended } from './record-appointment-attended/record-appointment-attended.handler';
import { recordAppointmentMissed } from './record-appointment-missed/record-appointment-missed.handler';
import { recordTakenIntoCare } from './record-taken-into-care/record-taken-into-care.handler';
import { scheduleAppointment } from './schedule-appointment/schedule-appointment.handler';
import { answerCommand } from '../common/command-answer';
import { requestIdOf } from '../common/trace-ids';
import { Answers } from '../common/response-schema';
import { CASE_COMMAND_ANSWER } from '../cases/case.responses';
import { HANDOFF_INBOX_PAGE, HANDOFF_VIEW } from './handoff.responses';

type HttpRequest = Request & { id?: unknown };

/** The statuses a referral can have once it was sent; a service never sees one that was only proposed. */
const SENT_STATUSES = [
  'sent',
  'accepted',
  'declined',
  'appointment_set',
  'attended',
  'no_show',
  'taken_into_care',
  'withdrawn',
  'expired',
] as const satisfies readonly ReferralStatus[];
/** The inbox by default: what still waits on the service. */
const OPEN_AT_SERVICE: readonly ReferralStatus[] = ['sent', 'accepted', 'appointment_set', 'attended'];

export class HandoffInboxQueryDto {
  @ApiPropertyOptional({
    enum: [...SENT_STATUSES],
    isArray: true,
    example: 'sent',
    description: `Repeat or comma-separate; default: ${OPEN_AT_SERVICE.join(', ')}`,
  })
  @IsOptional()
  @Transform(({ value }) =>
    value === undefined
      ? undefined
      : (Array.isArray(value) ? value : [value])
          .flatMap((item) => String(item).split(','))
          .map((item) => item.trim())
          .filter(Boolean),
  )
  @ArrayMaxSize(SENT_STATUSES.length)
  @IsIn([...SENT_STATUSES], { each: true, message: `each value of status must be one of: ${SENT_STATUSES.join(', ')}` })
  status?: ReferralStatus[];

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  after?: string;

  @ApiPropertyOptional({
    example: '1042:318',
    description: "A command response's position: answer once the referral pipeline has reached it (at most 5 s)",
  })
  @IsOptional()
  @Matches(/^\d{1,16}:\d{1,16}$/, { message: 'waitFor must be a log position such as "1042:318"' })
  waitFor?: string;
}

const handoffExample = {
  caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
  referralId: '9d1f0e3a-8a44-4b0e-8f55-1a2b3c4d5e6f',
  serviceId: 'esempio-serd-centro',
  lineId: 'sostienimi',
  status: 'sent',
  sentAt: '2026-11-25T10:30:00.000Z',
  acceptedAt: null,
  declinedAt: null,
  declineReason: null,
  appointmentAt: null,
  attendedAt: null,
  missedAt: null,
  takenIntoCareAt: null,
  withdrawnAt: null,
  expiredAt: null,
  escalations: 0,
  lastEscalatedAt: null,
  consentMethod: 'verbal',
  sharedFields: ['age_band', 'concern', 'callback_number', 'summary_note'],
  shared: {
    ageBand: '40_50',
    concern: 'cocaine',
    callbackNumber: { value: '+393331234567', erased: false },
    summaryNote: { value: 'Would like an appointment this week', erased: false },
  },
  personalValuesWithheld: false,
};
const commandExample = {
  caseId: handoffExample.caseId,
  version: 9,
  position: '1042:318',
  events: [
    { type: 'HandoffAccepted', version: 8 },
    { type: 'AppointmentScheduled', version: 9 },
  ],
  replayed: false,
};

/**
 * The SerD/SMI side of the handoff: the staff of ONE service (their token's service) see the handoffs sent to it
 * with only what the caller agreed to share, and record each step of the referral loop. Every read is in the
 * case's access log; every step is an event on the case stream with the staff member as actor. A case, a note or
 * a referral not sent to their service is "not found" to them.
 */
@ApiTags('handoffs')
@ApiBearerAuth()
@ApiForbiddenResponse({
  schema: { example: { statusCode: 403, code: 'FORBIDDEN_ROLE', reason: 'the operator role may not use this route' } },
})
@ApiNotFoundResponse({
  schema: {
    example: { statusCode: 404, code: 'CASE_NOT_FOUND', reason: 'there is no case with this id on your lines' },
  },
})
@ApiConflictResponse({
  schema: {
    example: {
      statusCode: 409,
      code: 'REFERRAL_NOT_SENT',
      reason:
        'This referral has been accepted by the service, without an appointment yet; this can be done only once it has been sent and waits for the service’s answer',
    },
  },
})
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key returns the first response and appends nothing',
})
@Controller('handoffs')
@Roles('service_staff')
export class HandoffsController {
  constructor(
    private readonly commands: CaseCommandHandler,
    private readonly queries: QueryBus,
    private readonly directory: DirectoryService,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Your service's inbox: handoffs sent to it, the longest waiting first, with only the shared fields (each read is logged)",
  })
  @Answers(200, HANDOFF_INBOX_PAGE, { items: [handoffExample], nextCursor: null, caughtUp: true })
  async inbox(
    @Query() query: HandoffInboxQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
  ) {
    const staff = ofService(principal);
    const wait = await this.readYourWrites.waitFor('referral-pipeline', query.waitFor);
    const page = await this.queries.execute(
      new GetHandoffInboxQuery(
        staff,
        query.status ?? OPEN_AT_SERVICE,
        { limit: query.limit, after: query.after },
        requestIdOf(request),
      ),
    );
    return { ...page, ...wait };
  }

  @Get(':caseId/:referralId')
  @ApiOperation({ summary: 'One handoff sent to your service, with the shared fields (the read is logged)' })
  @Answers(200, HANDOFF_VIEW, handoffExample)
  one(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
  ) {
    return this.queries.execute(new GetHandoffQuery(ofService(principal), caseId, referralId, requestIdOf(request)));
  }

  @Post(':caseId/:referralId/acceptance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the handoff, optionally with the first appointment' })
  @Answers(200, CASE_COMMAND_ANSWER, commandExample)
  accept(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: AcceptHandoffDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, acceptHandoff(this.commands, caseId, referralId, body, context));
  }

  @Post(':caseId/:referralId/decline')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decline the handoff with a reason, optionally suggesting a better-suited service of the directory',
  })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'HandoffDeclined', version: 8 }] })
  decline(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: DeclineHandoffDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, declineHandoff(this.commands, this.directory, caseId, referralId, body, context));
  }

  @Post(':caseId/:referralId/appointment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the first appointment, or move it' })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'AppointmentScheduled', version: 9 }] })
  schedule(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: ScheduleAppointmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, scheduleAppointment(this.commands, caseId, referralId, body, context));
  }

  @Post(':caseId/:referralId/appointment/attendance')
  @HttpCode(200)
  @ApiOperation({ summary: 'The person came to the first appointment' })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'AppointmentAttended', version: 10 }] })
  attended(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: RecordAppointmentAttendedDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, recordAppointmentAttended(this.commands, caseId, referralId, body, context));
  }

  @Post(':caseId/:referralId/appointment/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'The person did not come to the first appointment' })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'AppointmentMissed', version: 10 }] })
  missed(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: RecordAppointmentMissedDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, recordAppointmentMissed(this.commands, caseId, referralId, body, context));
  }

  @Post(':caseId/:referralId/taken-into-care')
  @HttpCode(200)
  @ApiOperation({ summary: 'The service took the person into care: the referral loop is closed' })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'TakenIntoCare', version: 11 }] })
  takenIntoCare(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: RecordTakenIntoCareDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = serviceContext(request, principal, body);
    return answerCommand(response, recordTakenIntoCare(this.commands, caseId, referralId, body, context));
  }
}

/** Service staff act for the one service their token names; a token without one reaches nothing here. */
function ofService(principal: Principal): Principal & { serviceId: string } {
  if (!principal.serviceId)
    throw new ForbiddenException({ code: 'NO_SERVICE', reason: 'your token names no service of the directory' });
  return principal as Principal & { serviceId: string };
}

/** The command's context, for service staff only (their token names their service). */
function serviceContext(request: HttpRequest, principal: Principal, body: CaseCommandBody): CommandContext {
  ofService(principal);
  return commandContext(request, principal, body.expectedVersion);
}
