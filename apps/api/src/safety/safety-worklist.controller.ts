import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/response-schema';
import { POLICE_WORKLIST } from './safety.responses';
import { Roles } from '@helpline/auth';
import type { SafetyRegisterItem } from '@helpline/safety';
import { ReadYourWrites } from '../queues/read-your-writes';
import { WaitForQueryDto } from './dto/safety-queries.dto';
import { GetPoliceWorklistQuery } from './read-safety.queries';

/** What the police liaison has to answer: the requests sent by every unit and still waiting, oldest first. */
@ApiTags('safety: register and monitoring')
@ApiBearerAuth()
@Controller('safety/liaison')
@Roles('police_liaison')
export class SafetyWorklistController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get('worklist')
  @ApiOperation({
    summary:
      'Requests for police presence waiting for an answer (sent, neither confirmed nor declined nor cancelled), oldest sending first; nothing personal',
  })
  @Answers(200, POLICE_WORKLIST, {
    items: [
      {
        kind: 'request',
        id: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
        unitId: 'unit-municipio-4',
        status: 'sent',
        risk: 'high',
        meetingAt: '2026-12-03T09:00:00.000Z',
        sentAt: '2026-11-25T09:00:00.000Z',
        late: false,
        acknowledgedAt: null,
        informationRequests: 0,
        answer: null,
        answeredAt: null,
        officers: null,
        openedAt: '2026-11-25T08:30:00.000Z',
        noticeMinutes: 11400,
        declineReason: null,
        outcome: null,
        incidentKind: null,
        cancelledAt: null,
        cancellationReason: null,
        linkedId: null,
        emergencyKind: null,
        operationsCentreCalledAt: null,
        patrolDispatchedAt: null,
        patrolArrivedAt: null,
        minutesFromCallToDispatch: null,
        minutesFromDispatchToArrival: null,
        forcesAlerted: null,
        reportFiledAt: null,
        sharedWithDirectorate: null,
        closedAt: null,
        personalDataErasedAt: null,
      },
    ],
    caughtUp: true,
  })
  async worklist(@Query() query: WaitForQueryDto) {
    const wait = await this.readYourWrites.waitFor('safety-register', query.waitFor);
    const items = await this.queries.execute<GetPoliceWorklistQuery, SafetyRegisterItem[]>(
      new GetPoliceWorklistQuery(),
    );
    return { items, ...wait };
  }
}
