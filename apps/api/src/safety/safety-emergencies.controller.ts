import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { SAFETY_EMERGENCY_COMMAND_ROLES, SAFETY_ROLES } from '@helpline/domain';
import { SafetyCommandExecutor } from '@helpline/safety';
import { UuidParam } from '../common/uuid-param';
import { recordEmergencyInProgress } from './record-emergency-in-progress/record-emergency-in-progress.handler';
import { recordOperationsCentreCall } from './record-operations-centre-call/record-operations-centre-call.handler';
import { recordPatrolDispatch } from './record-patrol-dispatch/record-patrol-dispatch.handler';
import { recordOtherForcesAlerted } from './record-other-forces-alerted/record-other-forces-alerted.handler';
import { recordPatrolArrival } from './record-patrol-arrival/record-patrol-arrival.handler';
import { recordPatrolReport } from './record-patrol-report/record-patrol-report.handler';
import { closeEmergency } from './close-emergency/close-emergency.handler';
import { eraseSafetyEmergencyPersonalData } from './erase-safety-emergency-personal-data/erase-safety-emergency-personal-data.handler';
import { SafetyErasureDto } from './dto/safety-erasure.dto';
import {
  EmergencyStepDto,
  RecordEmergencyInProgressDto,
  RecordOtherForcesAlertedDto,
  RecordPatrolReportDto,
} from './dto/emergency-path.dto';
import { GetSafetyEmergencyQuery } from './read-safety.queries';
import {
  emergencyResultExample,
  emergencyViewExample,
  answerSafetyCommand,
  safetyContext,
  type HttpRequest,
} from './safety-http';
import { Answers } from '../common/response-schema';
import { SAFETY_EMERGENCY_ANSWER, SAFETY_EMERGENCY_VIEW } from './safety.responses';
import { CreatedAt } from '../common/location';

const R = SAFETY_EMERGENCY_COMMAND_ROLES;

/**
 * The emergency path of the safety protocol (seed 002): a violent event at a unit, the call to the operations
 * centre, the patrol sent (and other forces alerted), its arrival, its report. Each step's `occurredAt` is when it
 * happened: the timeline (call to dispatch, dispatch to arrival) is measured from these times.
 */
@ApiTags('safety: emergencies')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key returns the first response and appends nothing',
})
@ApiHeader({ name: 'If-Match', required: false, description: 'The record version you saw: a stale one gets 409' })
@ApiForbiddenResponse({
  schema: {
    example: { statusCode: 403, code: 'FORBIDDEN_ROLE', reason: 'the social_worker role may not use this route' },
  },
})
@ApiNotFoundResponse({
  schema: {
    example: {
      statusCode: 404,
      code: 'SAFETY_EMERGENCY_NOT_FOUND',
      reason: 'there is no emergency record with this id that you may see',
    },
  },
})
@ApiConflictResponse({
  schema: { example: { statusCode: 409, code: 'ARRIVAL_BEFORE_DISPATCH', reason: 'No patrol was sent yet' } },
})
@Controller('safety/emergencies')
export class SafetyEmergenciesController {
  constructor(
    private readonly executor: SafetyCommandExecutor,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CreatedAt((answer: { emergencyId: string }) => `/safety/emergencies/${answer.emergencyId}`)
  @Roles(...R.RecordEmergencyInProgress)
  @ApiOperation({
    summary: "Record a violent event in progress (a unit's social worker or officer); the place is encrypted",
  })
  @Answers(201, SAFETY_EMERGENCY_ANSWER, {
    ...emergencyResultExample,
    version: 2,
    events: [
      { type: 'EmergencyRecorded', version: 1 },
      { type: 'OperationsCentreCalled', version: 2 },
    ],
  })
  record(
    @Body() body: RecordEmergencyInProgressDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordEmergencyInProgress(this.executor, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Get(':emergencyId')
  @Roles(...SAFETY_ROLES)
  @ApiOperation({ summary: 'An emergency record with its timeline in minutes; the place for those who see the record' })
  @Answers(200, SAFETY_EMERGENCY_VIEW, emergencyViewExample)
  async get(
    @UuidParam('emergencyId') emergencyId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.execute(new GetSafetyEmergencyQuery(emergencyId, principal));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Post(':emergencyId/operations-centre-call')
  @HttpCode(200)
  @Roles(...R.RecordOperationsCentreCall)
  @ApiOperation({
    summary: "The unit phoned the operations centre's shift leader (step 2); occurredAt is the time of the call",
  })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  call(
    @UuidParam('emergencyId') id: string,
    @Body() body: EmergencyStepDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordOperationsCentreCall(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/patrol-dispatch')
  @HttpCode(200)
  @Roles(...R.RecordPatrolDispatch)
  @ApiOperation({ summary: 'The operations centre sent a patrol (step 3); occurredAt is when' })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  dispatch(
    @UuidParam('emergencyId') id: string,
    @Body() body: EmergencyStepDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordPatrolDispatch(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/other-forces-alerts')
  @HttpCode(200)
  @Roles(...R.RecordOtherForcesAlerted)
  @ApiOperation({
    summary: 'The operations centre alerted other forces (carabinieri, state police, 118, fire brigade)',
  })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  alert(
    @UuidParam('emergencyId') id: string,
    @Body() body: RecordOtherForcesAlertedDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordOtherForcesAlerted(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/patrol-arrival')
  @HttpCode(200)
  @Roles(...R.RecordPatrolArrival)
  @ApiOperation({ summary: 'The patrol arrived; occurredAt is when' })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  arrival(
    @UuidParam('emergencyId') id: string,
    @Body() body: EmergencyStepDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordPatrolArrival(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/patrol-report')
  @HttpCode(200)
  @Roles(...R.RecordPatrolReport)
  @ApiOperation({
    summary:
      "The patrol's report reached the command (step 4), with what was shared with the social-policies directorate",
  })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  report(
    @UuidParam('emergencyId') id: string,
    @Body() body: RecordPatrolReportDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      recordPatrolReport(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/closure')
  @HttpCode(200)
  @Roles(...R.CloseEmergency)
  @ApiOperation({ summary: 'Close the emergency record' })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, emergencyResultExample)
  close(
    @UuidParam('emergencyId') id: string,
    @Body() body: EmergencyStepDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      closeEmergency(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':emergencyId/personal-data-erasure')
  @HttpCode(200)
  @Roles(...R.EraseSafetyEmergencyPersonalData)
  @ApiOperation({
    summary:
      "Erase the emergency record's personal data and its request's if it came from a meeting (the area director): their keys are destroyed; the timeline stays",
  })
  @Answers(200, SAFETY_EMERGENCY_ANSWER, {
    ...emergencyResultExample,
    version: 7,
    events: [{ type: 'SafetyEmergencyPersonalDataErased', version: 7 }],
  })
  erasePersonalData(
    @UuidParam('emergencyId') id: string,
    @Body() body: SafetyErasureDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      eraseSafetyEmergencyPersonalData(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }
}
