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
