import { Command } from '@nestjs/cqrs';
import type {
  MeetingOutcomeRequest,
  SafetyEmergencyCommandRequest,
  SafetyEmergencyResult,
  SafetyRequestCommandRequest,
  SafetyRequestResult,
} from '@helpline/safety';

export type SafetyCommandTarget =
  | { readonly kind: 'request'; readonly request: SafetyRequestCommandRequest }
  | { readonly kind: 'meeting-outcome'; readonly request: MeetingOutcomeRequest }
  | { readonly kind: 'emergency'; readonly request: SafetyEmergencyCommandRequest };

/** Every safety command travels the bus as one of these: which record, the context, and how to build the command. */
export class ExecuteSafetyCommand extends Command<SafetyRequestResult | SafetyEmergencyResult> {
  constructor(readonly target: SafetyCommandTarget) {
    super();
  }
}
