import { worksOnLine, type Principal } from '@helpline/auth';
import {
  caseEventSchemaVersions,
  decide,
  evolve,
  initialState,
  upcastCaseEvent,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
} from '@helpline/domain';
import type { AggregateDefinition } from '@helpline/command-handling';
import { CaseNotFoundError } from './case-errors';
import { caseIdOfStream, caseStreamId } from './case-stream.repository';

/** The counselling case as the command handler sees it: reachable by the users of the case's line. */
export const caseAggregate: AggregateDefinition<CaseState, CaseCommand, CaseEvent, Principal> = {
  streamName: caseStreamId,
  idOfStream: caseIdOfStream,
  initialState,
  evolve,
  decide,
  upcast: upcastCaseEvent,
  schemaVersionOf: (event) => caseEventSchemaVersions[event.type],
  reachableBy: (principal, state) =>
    state.status !== 'not_opened' && !!state.lineId && worksOnLine(principal, state.lineId),
  notFound: () => new CaseNotFoundError(),
};
