import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import { DirectoryService } from '@helpline/directory';
import { CallerLookup, CaseCommandHandler } from '@helpline/cases';
import { commandContext } from '../common/command-context';
import { UuidParam } from '../common/uuid-param';
import { addSupervisionNote } from './add-supervision-note/add-supervision-note.handler';
import { assignOperator } from './assign-operator/assign-operator.handler';
import { closeCase } from './close-case/close-case.handler';
import { completeCallback } from './complete-callback/complete-callback.handler';
import { erasePersonalData } from './erase-personal-data/erase-personal-data.handler';
import { escalateSafety } from './escalate-safety/escalate-safety.handler';
import { flagRisk } from './flag-risk/flag-risk.handler';
import { frameRequest } from './frame-request/frame-request.handler';
import { giveLegalAdvice } from './give-legal-advice/give-legal-advice.handler';
import { proposeReferral } from './propose-referral/propose-referral.handler';
import { recordCallbackAttempt } from './record-callback-attempt/record-callback-attempt.handler';
import { recordFirstContact } from './record-first-contact/record-first-contact.handler';
import { recordFollowUpContact } from './record-follow-up-contact/record-follow-up-contact.handler';
import { recordSessionHeld } from './record-session-held/record-session-held.handler';
import { recordSessionMissed } from './record-session-missed/record-session-missed.handler';
import { reframeProblem } from './reframe-problem/reframe-problem.handler';
import { reopenCase } from './reopen-case/reopen-case.handler';
import { requestCallback } from './request-callback/request-callback.handler';
import { scheduleSession } from './schedule-session/schedule-session.handler';
import { sendHandoff } from './send-handoff/send-handoff.handler';
import { setGoal } from './set-goal/set-goal.handler';
import { takeInChargeByLine } from './take-in-charge-by-line/take-in-charge-by-line.handler';
import { withdrawReferral } from './withdraw-referral/withdraw-referral.handler';
import { AddSupervisionNoteDto } from './add-supervision-note/add-supervision-note.dto';
import { RecordCallerFeedbackDto } from './record-caller-feedback/record-caller-feedback.dto';
import { recordCallerFeedback } from './record-caller-feedback/record-caller-feedback.handler';
import { AssignOperatorDto } from './assign-operator/assign-operator.dto';
import { CloseCaseDto } from './close-case/close-case.dto';
import { CompleteCallbackDto } from './complete-callback/complete-callback.dto';
import { ErasePersonalDataDto } from './erase-personal-data/erase-personal-data.dto';
import { EscalateSafetyDto } from './escalate-safety/escalate-safety.dto';
import { FlagRiskDto } from './flag-risk/flag-risk.dto';
import { FrameRequestDto } from './frame-request/frame-request.dto';
import { GiveLegalAdviceDto } from './give-legal-advice/give-legal-advice.dto';
import { ProposeReferralDto } from './propose-referral/propose-referral.dto';
import { RecordCallbackAttemptDto } from './record-callback-attempt/record-callback-attempt.dto';
import { RecordFirstContactDto } from './record-first-contact/record-first-contact.dto';
import { RecordFollowUpContactDto } from './record-follow-up-contact/record-follow-up-contact.dto';
import { RecordSessionHeldDto } from './record-session-held/record-session-held.dto';
import { RecordSessionMissedDto } from './record-session-missed/record-session-missed.dto';
import { ReframeProblemDto } from './reframe-problem/reframe-problem.dto';
import { ReopenCaseDto } from './reopen-case/reopen-case.dto';
import { RequestCallbackDto } from './request-callback/request-callback.dto';
import { ScheduleSessionDto } from './schedule-session/schedule-session.dto';
import { SendHandoffDto } from './send-handoff/send-handoff.dto';
import { SetGoalDto } from './set-goal/set-goal.dto';
import { TakeInChargeByLineDto } from './take-in-charge-by-line/take-in-charge-by-line.dto';
import { WithdrawReferralDto } from './withdraw-referral/withdraw-referral.dto';
import { GetCaseHistoryQuery, GetCaseQuery } from './read-case.queries';
import { answerCommand } from '../common/command-answer';
import { CreatedAt, firstEventId } from '../common/location';
import { caseReference } from '@helpline/projections';
import type { CaseEventType } from '@helpline/domain';
import { requestIdOf } from '../common/trace-ids';
import { Answers } from '../common/response-schema';
import { CASE_COMMAND_ANSWER, CASE_HISTORY, CASE_VIEW } from './case.responses';

type HttpRequest = Request & { id?: unknown };

const commandExample = {
  caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
  version: 4,
  position: '1042:318',
  events: [{ type: 'RequestFramed', version: 4 }],
  replayed: false,
};

const caseViewExample = {
  caseId: commandExample.caseId,
  reference: '3F1C-2A9E',
  version: 4,
  lineId: 'sostienimi',
  status: 'open',
  phase: 'framing',
  furthestPhase: 'framing',
  openedAt: '2026-11-25T09:40:00.000Z',
  closedAt: null,
  outcome: null,
  contacts: 1,
  lastContactAt: '2026-11-25T09:40:00.000Z',
  assignedOperatorId: 'operator-7',
  risk: null,
  safetyEscalations: 0,
  takenInChargeByLine: false,
  callbacks: [],
  referrals: [],
  sessions: [],
  personalDataErased: false,
  erasedAt: null,
};

/** A command's answer whose example names the event this route appends (not another route's). */
const commandAnswerOf = (type: CaseEventType) => ({ ...commandExample, events: [{ type, version: 4 }] });

/**
 * The counselling case, for operators and supervisors of the case's line. Every command answers with the case's
 * new version (also as ETag) and the log position of its last event; send If-Match with the version you saw to
 * refuse a stale write (412; a stale expectedVersion in the body: 409), and an Idempotency-Key to make a retry safe.
 */
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'A retry with the same key returns the first response and appends nothing. 8 to 128 characters: letters, digits and . _ : -',
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]{8,128}$' },
})
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The case version you saw, e.g. "3": a stale one gets 412 Precondition Failed',
})
@ApiConflictResponse({
  description: 'Stale version or a rule the case refuses',
  schema: { example: { statusCode: 409, code: 'CASE_CLOSED', reason: 'The case is closed: reopen it first' } },
})
@ApiNotFoundResponse({
  schema: {
    example: { statusCode: 404, code: 'CASE_NOT_FOUND', reason: 'there is no case with this id on your lines' },
  },
})
@Controller('cases')
@Roles('operator', 'supervisor')
export class CasesController {
  constructor(
    private readonly cases: CaseCommandHandler,
    private readonly callers: CallerLookup,
    private readonly queries: QueryBus,
    private readonly directory: DirectoryService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Post()
  @CreatedAt((answer: { caseId: string }) => `/cases/${answer.caseId}`)
  @ApiOperation({ summary: 'Record a first contact: opens a case (anonymous: nothing identifies the caller)' })
  @Answers(201, CASE_COMMAND_ANSWER, {
    ...commandExample,
    version: 1,
    events: [{ type: 'FirstContactRecorded', version: 1 }],
  })
  open(
    @Body() body: RecordFirstContactDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordFirstContact(this.cases, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Get(':caseId')
  @ApiOperation({ summary: "The case's current state: phase, call-backs, referrals, risk; nothing personal" })
  @Answers(200, CASE_VIEW, caseViewExample)
  async get(
    @UuidParam('caseId') caseId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.execute(new GetCaseQuery(caseId, principal, requestIdOf(request)));
    response.setHeader('ETag', `"${view.version}"`);
    return { ...view, reference: caseReference(caseId) };
  }

  @Get(':caseId/history')
  @ApiOperation({
    summary: "The case's events, who recorded them and when, with its notes opened for you (or marked erased)",
  })
  @Answers(200, CASE_HISTORY, {
    caseId: commandExample.caseId,
    version: 2,
    events: [
      {
        version: 2,
        position: '1042:318',
        type: 'RequestFramed',
        occurredAt: '2026-11-25T10:15:00.000Z',
        recordedAt: '2026-11-25T10:15:02.000Z',
        actor: { id: 'operator-7', role: 'operator' },
        data: { categories: ['listening'], note: { value: 'Calls about her son', erased: false } },
      },
    ],
  })
  history(@UuidParam('caseId') caseId: string, @CurrentPrincipal() principal: Principal, @Req() request: HttpRequest) {
    return this.queries.execute(new GetCaseHistoryQuery(caseId, principal, requestIdOf(request)));
  }

  @Post(':caseId/follow-up-contacts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record another contact with the caller' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('FollowUpContactRecorded'))
  followUp(
    @UuidParam('caseId') caseId: string,
    @Body() body: RecordFollowUpContactDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordFollowUpContact(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/callbacks')
  @CreatedAt((_answer, params) => `/cases/${params.caseId}`)
  @ApiOperation({ summary: 'Request a call-back: the number is encrypted and destroyed once the call-back is done' })
  @Answers(201, CASE_COMMAND_ANSWER, {
    ...commandExample,
    events: [{ type: 'CallbackRequested', version: 2, callbackId: '0b8e0f5e-5a0a-4f55-9a0e-4f0e5c1f7a21' }],
  })
  requestCallback(
    @UuidParam('caseId') caseId: string,
    @Body() body: RequestCallbackDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const context = commandContext(request, principal, body.expectedVersion);
    return answerCommand(
      response,
      requestCallback(this.cases, this.callers, caseId, body, context, this.settings.pseudonymSecret),
    );
  }

  @Post(':caseId/callbacks/:callbackId/attempts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a call-back attempt and how it went' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('CallbackAttempted'))
  attemptCallback(
    @UuidParam('caseId') caseId: string,
    @UuidParam('callbackId') callbackId: string,
    @Body() body: RecordCallbackAttemptDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordCallbackAttempt(
        this.cases,
        caseId,
        callbackId,
        body,
        commandContext(request, principal, body.expectedVersion),
      ),
    );
  }

  @Post(':caseId/callbacks/:callbackId/completion')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a call-back: its number is destroyed' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('CallbackCompleted'))
  completeCallback(
    @UuidParam('caseId') caseId: string,
    @UuidParam('callbackId') callbackId: string,
    @Body() body: CompleteCallbackDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      completeCallback(this.cases, caseId, callbackId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/request-framing')
  @HttpCode(200)
  @ApiOperation({ summary: 'Frame the manifest request: what the caller asks for' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('RequestFramed'))
  frame(
    @UuidParam('caseId') caseId: string,
    @Body() body: FrameRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      frameRequest(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/problem-reframing')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reframe toward the real problem' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('ProblemReframed'))
  reframe(
    @UuidParam('caseId') caseId: string,
    @Body() body: ReframeProblemDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      reframeProblem(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/goal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the goal agreed with the caller' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('GoalSet'))
  setGoal(
    @UuidParam('caseId') caseId: string,
    @Body() body: SetGoalDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      setGoal(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/legal-advice')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record legal advice given' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('LegalAdviceGiven'))
  legalAdvice(
    @UuidParam('caseId') caseId: string,
    @Body() body: GiveLegalAdviceDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      giveLegalAdvice(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/risk-flags')
  @HttpCode(200)
  @ApiOperation({ summary: 'Flag a risk (level and kind): cases at risk come first in the queues' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('RiskFlagged'))
  flagRisk(
    @UuidParam('caseId') caseId: string,
    @Body() body: FlagRiskDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      flagRisk(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/safety-escalations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a safety escalation' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('SafetyEscalated'))
  escalate(
    @UuidParam('caseId') caseId: string,
    @Body() body: EscalateSafetyDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      escalateSafety(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/referrals')
  @CreatedAt((answer: object, params) => `/handoffs/${params.caseId}/${firstEventId(answer, 'referralId')}`)
  @ApiOperation({ summary: 'Propose a referral to an active service of the resource directory' })
  @Answers(201, CASE_COMMAND_ANSWER, {
    ...commandExample,
    events: [{ type: 'ReferralProposed', version: 5, referralId: '9d1f0e3a-8a44-4b0e-8f55-1a2b3c4d5e6f' }],
  })
  propose(
    @UuidParam('caseId') caseId: string,
    @Body() body: ProposeReferralDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      proposeReferral(
        this.cases,
        this.directory,
        caseId,
        body,
        commandContext(request, principal, body.expectedVersion),
      ),
    );
  }

  @Post(':caseId/referrals/:referralId/handoff')
  @HttpCode(200)
  @ApiOperation({
    summary: "Send the handoff to the service's dedicated contact, with the caller's consent and the fields shared",
  })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('HandoffSent'))
  sendHandoff(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: SendHandoffDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      sendHandoff(this.cases, caseId, referralId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/referrals/:referralId/withdrawal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a referral' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('ReferralWithdrawn'))
  withdraw(
    @UuidParam('caseId') caseId: string,
    @UuidParam('referralId') referralId: string,
    @Body() body: WithdrawReferralDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      withdrawReferral(this.cases, caseId, referralId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the case to an operator (operators may take it themselves; supervisors reassign)' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('OperatorAssigned'))
  assign(
    @UuidParam('caseId') caseId: string,
    @Body() body: AssignOperatorDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (principal.role === 'operator' && body.operatorId !== principal.id)
      throw new ForbiddenException({
        code: 'FORBIDDEN_ROLE',
        reason: 'operators may assign a case only to themselves',
        errors: [{ field: 'operatorId', reason: 'must be your own id' }],
      });
    return answerCommand(
      response,
      assignOperator(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/supervision-notes')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Add a supervision note (supervisors)' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('SupervisionNoteAdded'))
  supervise(
    @UuidParam('caseId') caseId: string,
    @Body() body: AddSupervisionNoteDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      addSupervisionNote(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/caller-feedback')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the caller's rating of the service (also on a closed case)" })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('CallerFeedbackRecorded'))
  callerFeedback(
    @UuidParam('caseId') caseId: string,
    @Body() body: RecordCallerFeedbackDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordCallerFeedback(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/sessions')
  @CreatedAt((_answer, params) => `/cases/${params.caseId}`)
  @ApiOperation({ summary: "Schedule a session with one of the line's professionals (phone or video)" })
  @Answers(201, CASE_COMMAND_ANSWER, {
    ...commandExample,
    events: [{ type: 'SessionScheduled', version: 6, sessionId: '5e0c1d2b-7f3a-4a8e-b1c2-d3e4f5a6b7c8' }],
  })
  scheduleSession(
    @UuidParam('caseId') caseId: string,
    @Body() body: ScheduleSessionDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      scheduleSession(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/sessions/:sessionId/held')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a session was held' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('SessionHeld'))
  sessionHeld(
    @UuidParam('caseId') caseId: string,
    @UuidParam('sessionId') sessionId: string,
    @Body() body: RecordSessionHeldDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordSessionHeld(this.cases, caseId, sessionId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/sessions/:sessionId/missed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a session was missed' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('SessionMissed'))
  sessionMissed(
    @UuidParam('caseId') caseId: string,
    @UuidParam('sessionId') sessionId: string,
    @Body() body: RecordSessionMissedDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      recordSessionMissed(
        this.cases,
        caseId,
        sessionId,
        body,
        commandContext(request, principal, body.expectedVersion),
      ),
    );
  }

  @Post(':caseId/taken-in-charge')
  @HttpCode(200)
  @ApiOperation({ summary: "The line's own team takes the person in charge (the alternative to a referral)" })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('TakenInChargeByLine'))
  takeInCharge(
    @UuidParam('caseId') caseId: string,
    @Body() body: TakeInChargeByLineDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      takeInChargeByLine(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/closure')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the case with its outcome' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('CaseClosed'))
  close(
    @UuidParam('caseId') caseId: string,
    @Body() body: CloseCaseDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      closeCase(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/reopening')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a closed case' })
  @Answers(200, CASE_COMMAND_ANSWER, commandAnswerOf('CaseReopened'))
  reopen(
    @UuidParam('caseId') caseId: string,
    @Body() body: ReopenCaseDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      reopenCase(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }

  @Post(':caseId/personal-data-erasure')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOperation({
    summary: "Erase the case's personal data: its keys are destroyed; the stream, counts and timeline stay",
  })
  @Answers(200, CASE_COMMAND_ANSWER, { ...commandExample, events: [{ type: 'PersonalDataErased', version: 9 }] })
  erase(
    @UuidParam('caseId') caseId: string,
    @Body() body: ErasePersonalDataDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerCommand(
      response,
      erasePersonalData(this.cases, caseId, body, commandContext(request, principal, body.expectedVersion)),
    );
  }
}
