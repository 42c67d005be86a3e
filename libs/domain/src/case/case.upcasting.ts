import { createUpcaster, type UpcastSteps } from '../shared/upcasting';
import { callerLookupHintOf } from './caller-lookup';
import { caseEventSchemaVersions, type CaseEvent } from './case.events';

/** Steps from older schema versions of case events; `case.upcasting.spec.ts` shows what a step looks like. */
export const caseEventUpcastSteps: UpcastSteps = {
  CallbackRequested: {
    // Version 1 kept the pseudonym in clear: it stays in the log (events are never rewritten), read as legacy.
    1: ({ callerPseudonym, ...rest }: { callerPseudonym: string }) => ({
      ...rest,
      legacyCallerPseudonym: callerPseudonym,
      callerLookupHint: callerLookupHintOf(callerPseudonym),
    }),
  },
};

/** Read-side hook of the event store: the stored type, version and data in, the current `CaseEvent` out. */
export const upcastCaseEvent: (type: string, schemaVersion: number, data: unknown) => CaseEvent =
  createUpcaster<CaseEvent>(caseEventSchemaVersions, caseEventUpcastSteps);
