import type { Request, Response } from 'express';
import type { Principal } from '@helpline/auth';
import type { SafetyCommandContext, SafetyEmergencyResult, SafetyRequestResult } from '@helpline/safety';
import { commandContext } from '../common/command-context';
import type { SafetyCommandBody } from './safety-command.body';
import { answerCommand } from '../common/command-answer';

export type HttpRequest = Request & { id?: unknown };

export function safetyContext(
  request: HttpRequest,
  principal: Principal,
  body: SafetyCommandBody,
): SafetyCommandContext {
  return commandContext(request, principal, body.expectedVersion);
}

/** Answers with the record's new version as ETag (and whether it was a replay). */
export async function answerSafetyCommand<T extends SafetyRequestResult | SafetyEmergencyResult>(
  running: Promise<T>,
  response: Response,
): Promise<T> {
  return answerCommand(response, running);
}

export const requestResultExample = {
  requestId: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
  version: 3,
  position: '1042:318',
  events: [{ type: 'SafetyRequestSent', version: 3 }],
  replayed: false,
};

export const emergencyResultExample = {
  emergencyId: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  version: 3,
  position: '1050:331',
  events: [{ type: 'PatrolDispatched', version: 3 }],
  replayed: false,
};

export const requestViewExample = {
  requestId: requestResultExample.requestId,
  version: 3,
  unitId: 'unit-municipio-4',
  status: 'sent',
  risk: 'high',
  meetingAt: '2026-12-03T09:00:00.000Z',
  draftedAt: '2026-11-25T08:30:00.000Z',
  sentAt: '2026-11-25T09:00:00.000Z',
  noticeMinutes: 11400,
  late: false,
  acknowledgedAt: null,
  informationRequests: 0,
  informationPending: false,
  answer: null,
  outcome: null,
  incidentKind: null,
  emergencyId: null,
  outcomeRecordedAt: null,
  cancelledAt: null,
  cancellationReason: null,
  personalDataErasedAt: null,
  history: [
    {
      version: 1,
      type: 'SafetyRequestDrafted',
      occurredAt: '2026-11-25T08:30:00.000Z',
      recordedAt: '2026-11-25T08:30:01.000Z',
      actor: { id: 'social-worker-3', role: 'social_worker' },
    },
  ],
  personalData: { address: { value: 'Via Esempio 1, Milano', erased: false }, exchanges: [] },
};

export const emergencyViewExample = {
  emergencyId: emergencyResultExample.emergencyId,
  version: 5,
  unitId: 'unit-municipio-4',
  status: 'in_progress',
  requestId: null,
  kind: 'physical_aggression',
  startedAt: '2026-11-25T10:00:00.000Z',
  recordedAt: '2026-11-25T10:02:00.000Z',
  colleaguesCalled: true,
  colleaguesCount: 2,
  operationsCentreCalledAt: '2026-11-25T10:01:00.000Z',
  patrolDispatchedAt: '2026-11-25T10:04:00.000Z',
  patrolArrivedAt: '2026-11-25T10:13:00.000Z',
  forcesAlerted: [],
  reportFiledAt: null,
  sharedWithDirectorate: null,
  closedAt: null,
  personalDataErasedAt: null,
  timeline: { minutesFromCallToDispatch: 3, minutesFromDispatchToArrival: 9, minutesFromCallToArrival: 12 },
  history: [
    {
      version: 1,
      type: 'EmergencyRecorded',
      occurredAt: '2026-11-25T10:00:00.000Z',
      recordedAt: '2026-11-25T10:02:00.000Z',
      actor: { id: 'social-worker-3', role: 'social_worker' },
    },
  ],
};
