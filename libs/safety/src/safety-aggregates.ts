import type { Principal } from '@helpline/auth';
import type { AggregateDefinition } from '@helpline/command-handling';
import {
  decideSafetyEmergency,
  decideSafetyRequest,
  evolveSafetyEmergency,
  evolveSafetyRequest,
  initialSafetyEmergencyState,
  initialSafetyRequestState,
  safetyEmergencyEventSchemaVersions,
  safetyEmergencyStreamName,
  safetyRequestEventSchemaVersions,
  safetyRequestStreamName,
  upcastSafetyEmergencyEvent,
  upcastSafetyRequestEvent,
  type SafetyEmergencyCommand,
  type SafetyEmergencyEvent,
  type SafetyEmergencyState,
  type SafetyRequestCommand,
  type SafetyRequestEvent,
  type SafetyRequestState,
} from '@helpline/domain';
import { canSeeEmergency, canSeeRequest } from './safety-access';
import { SafetyEmergencyNotFoundError, SafetyRequestNotFoundError } from './safety-errors';
import { emergencyIdOfStream, requestIdOfStream } from './safety-stream.repository';

/** A preventive request for police presence, as the command handler sees it: reachable by those who may see it. */
export const safetyRequestAggregate: AggregateDefinition<
  SafetyRequestState,
  SafetyRequestCommand,
  SafetyRequestEvent,
  Principal
> = {
  streamName: safetyRequestStreamName,
  idOfStream: requestIdOfStream,
  initialState: initialSafetyRequestState,
  evolve: evolveSafetyRequest,
  decide: decideSafetyRequest,
  upcast: upcastSafetyRequestEvent,
  schemaVersionOf: (event) => safetyRequestEventSchemaVersions[event.type],
  reachableBy: (principal, state, version) => version > 0 && canSeeRequest(principal, state),
  notFound: () => new SafetyRequestNotFoundError(),
};

/** An emergency record of the protocol's emergency path. */
export const safetyEmergencyAggregate: AggregateDefinition<
  SafetyEmergencyState,
  SafetyEmergencyCommand,
  SafetyEmergencyEvent,
  Principal
> = {
  streamName: safetyEmergencyStreamName,
  idOfStream: emergencyIdOfStream,
  initialState: initialSafetyEmergencyState,
  evolve: evolveSafetyEmergency,
  decide: decideSafetyEmergency,
  upcast: upcastSafetyEmergencyEvent,
  schemaVersionOf: (event) => safetyEmergencyEventSchemaVersions[event.type],
  reachableBy: (principal, state, version) => version > 0 && canSeeEmergency(principal, state),
  notFound: () => new SafetyEmergencyNotFoundError(),
};
