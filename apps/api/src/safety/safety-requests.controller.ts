import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
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
import { SETTINGS, type Settings } from '@helpline/config';
import { SAFETY_REQUEST_COMMAND_ROLES, SAFETY_ROLES } from '@helpline/domain';
import { SafetyCommandExecutor } from '@helpline/safety';
import { UuidParam } from '../common/uuid-param';
import { recordMeetingOutcome } from './record-meeting-outcome/record-meeting-outcome.handler';
import { draftSafetyRequest } from './draft-safety-request/draft-safety-request.handler';
import { editSafetyRequestDraft } from './edit-safety-request-draft/edit-safety-request-draft.handler';
import { sendSafetyRequest } from './send-safety-request/send-safety-request.handler';
import { acknowledgeSafetyRequest } from './acknowledge-safety-request/acknowledge-safety-request.handler';
import { requestMoreInformation } from './request-more-information/request-more-information.handler';
import { provideMoreInformation } from './provide-more-information/provide-more-information.handler';
import { confirmPolicePresence } from './confirm-police-presence/confirm-police-presence.handler';
import { declinePolicePresence } from './decline-police-presence/decline-police-presence.handler';
import { cancelSafetyRequest } from './cancel-safety-request/cancel-safety-request.handler';
import { eraseSafetyRequestPersonalData } from './erase-safety-request-personal-data/erase-safety-request-personal-data.handler';
import { SafetyErasureDto } from './dto/safety-erasure.dto';

import {
  AcknowledgeSafetyRequestDto,
  CancelSafetyRequestDto,
  ConfirmPolicePresenceDto,
  DeclinePolicePresenceDto,
  DraftSafetyRequestDto,
  EditSafetyRequestDraftDto,
  ProvideMoreInformationDto,
  RecordMeetingOutcomeDto,
  RequestMoreInformationDto,
  SendSafetyRequestDto,
} from './dto/preventive-path.dto';
import { GetSafetyRequestQuery } from './read-safety.queries';
import {
  requestResultExample,
  requestViewExample,
  answerSafetyCommand,
  safetyContext,
  type HttpRequest,
} from './safety-http';
import { Answers } from '../common/response-schema';
import { SAFETY_REQUEST_ANSWER, SAFETY_REQUEST_VIEW } from './safety.responses';
import { CreatedAt } from '../common/location';

const R = SAFETY_REQUEST_COMMAND_ROLES;

/**
 * The preventive path of the safety protocol (seed 002): a unit asks the local police to be present at a meeting it
 * judges risky. Each route admits the roles the protocol names for its step (others get 403 before anything is
 * read); a request the caller may not see is 404, whatever the step. Commands answer with the request's new version
 * (also as ETag); send If-Match to refuse a stale write (409) and an Idempotency-Key to make a retry safe.
 */
@ApiTags('safety: preventive requests')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key returns the first response and appends nothing',
})
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The request version you saw, e.g. "3": a stale one gets 409',
})
@ApiForbiddenResponse({
  schema: {
    example: { statusCode: 403, code: 'FORBIDDEN_ROLE', reason: 'the police_operations role may not use this route' },
  },
})
@ApiNotFoundResponse({
  schema: {
    example: {
      statusCode: 404,
      code: 'SAFETY_REQUEST_NOT_FOUND',
      reason: 'there is no safety request with this id that you may see',
    },
  },
})
@ApiConflictResponse({
  schema: {
    example: { statusCode: 409, code: 'REQUEST_ALREADY_ANSWERED', reason: 'The police already confirmed presence' },
  },
})
@Controller('safety/requests')
export class SafetyRequestsController {
  constructor(
    private readonly executor: SafetyCommandExecutor,
    private readonly queries: QueryBus,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Post()
  @CreatedAt((answer: { requestId: string }) => `/safety/requests/${answer.requestId}`)
  @Roles(...R.DraftSafetyRequest)
  @ApiOperation({
    summary:
      "Draft a request for police presence at a meeting (a unit's social worker or officer); personal values are encrypted",
  })
  @Answers(201, SAFETY_REQUEST_ANSWER, {
    ...requestResultExample,
    version: 1,
    events: [{ type: 'SafetyRequestDrafted', version: 1 }],
  })
  draft(
    @Body() body: DraftSafetyRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      draftSafetyRequest(this.executor, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Get(':requestId')
  @Roles(...SAFETY_ROLES)
  @ApiOperation({
    summary:
      "A request: its status and history; its personal values only for the unit's staff, the police liaison and the area director",
  })
  @Answers(200, SAFETY_REQUEST_VIEW, requestViewExample)
  async get(
    @UuidParam('requestId') requestId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.execute(new GetSafetyRequestQuery(requestId, principal));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Post(':requestId/edits')
  @HttpCode(200)
  @Roles(...R.EditSafetyRequestDraft)
  @ApiOperation({ summary: 'Edit a draft (until it is sent)' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  edit(
    @UuidParam('requestId') id: string,
    @Body() body: EditSafetyRequestDraftDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      editSafetyRequestDraft(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/sending')
  @HttpCode(200)
  @Roles(...R.SendSafetyRequest)
  @ApiOperation({
    summary:
      'Send the request (the unit officer): the police command and the area director get an e-mail with its reference and link; a request with less than SAFETY_NOTICE_HOURS notice is flagged late',
  })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  send(
    @UuidParam('requestId') id: string,
    @Body() body: SendSafetyRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      sendSafetyRequest(
        this.executor,
        id,
        body,
        safetyContext(request, principal, body),
        this.settings.safetyNoticeHours,
      ),
      response,
    );
  }

  @Post(':requestId/acknowledgement')
  @HttpCode(200)
  @Roles(...R.AcknowledgeSafetyRequest)
  @ApiOperation({ summary: 'The police liaison acknowledges the request' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  acknowledge(
    @UuidParam('requestId') id: string,
    @Body() body: AcknowledgeSafetyRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      acknowledgeSafetyRequest(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/information-requests')
  @HttpCode(200)
  @Roles(...R.RequestMoreInformation)
  @ApiOperation({ summary: 'The police liaison asks the unit for more information' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  askForInformation(
    @UuidParam('requestId') id: string,
    @Body() body: RequestMoreInformationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      requestMoreInformation(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/information')
  @HttpCode(200)
  @Roles(...R.ProvideMoreInformation)
  @ApiOperation({ summary: "The unit answers the police's question" })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  provideInformation(
    @UuidParam('requestId') id: string,
    @Body() body: ProvideMoreInformationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      provideMoreInformation(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/presence-confirmation')
  @HttpCode(200)
  @Roles(...R.ConfirmPolicePresence)
  @ApiOperation({ summary: 'The police confirm presence at the meeting (officers, from when)' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  confirm(
    @UuidParam('requestId') id: string,
    @Body() body: ConfirmPolicePresenceDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      confirmPolicePresence(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/presence-refusal')
  @HttpCode(200)
  @Roles(...R.DeclinePolicePresence)
  @ApiOperation({ summary: 'The police decline presence, with the reason' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  decline(
    @UuidParam('requestId') id: string,
    @Body() body: DeclinePolicePresenceDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      declinePolicePresence(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/meeting-outcome')
  @HttpCode(200)
  @Roles(...R.RecordMeetingOutcome)
  @ApiOperation({
    summary:
      "Record how the meeting went; an incident also opens its emergency record (answered under 'emergency'). Safe to retry",
  })
  @Answers(200, SAFETY_REQUEST_ANSWER, {
    ...requestResultExample,
    version: 4,
    events: [{ type: 'IncidentAtMeetingReported', version: 4 }],
    emergency: {
      emergencyId: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
      version: 1,
      position: '1043:319',
      events: [{ type: 'EmergencyOpenedFromIncident', version: 1 }],
      replayed: false,
    },
  })
  async recordOutcome(
    @UuidParam('requestId') id: string,
    @Body() body: RecordMeetingOutcomeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const misplaced = body.misplacedIncidentFields();
    if (misplaced.length > 0) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        reason: 'the request is not valid',
        errors: misplaced.map((field) => ({ field, reason: `${field} is given only with an incident` })),
      });
    }
    return answerSafetyCommand(
      recordMeetingOutcome(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/cancellation')
  @HttpCode(200)
  @Roles(...R.CancelSafetyRequest)
  @ApiOperation({ summary: 'Cancel the request before the meeting' })
  @Answers(200, SAFETY_REQUEST_ANSWER, requestResultExample)
  cancel(
    @UuidParam('requestId') id: string,
    @Body() body: CancelSafetyRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      cancelSafetyRequest(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }

  @Post(':requestId/personal-data-erasure')
  @HttpCode(200)
  @Roles(...R.EraseSafetyRequestPersonalData)
  @ApiOperation({
    summary:
      "Erase the request's personal data and its emergency record's (the area director): their keys are destroyed; dates, steps and answers stay",
  })
  @Answers(200, SAFETY_REQUEST_ANSWER, {
    ...requestResultExample,
    version: 6,
    events: [{ type: 'SafetyRequestPersonalDataErased', version: 6 }],
  })
  erasePersonalData(
    @UuidParam('requestId') id: string,
    @Body() body: SafetyErasureDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerSafetyCommand(
      eraseSafetyRequestPersonalData(this.executor, id, body, safetyContext(request, principal, body)),
      response,
    );
  }
}
