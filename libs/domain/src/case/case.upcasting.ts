import { createUpcaster, type UpcastSteps } from '../shared/upcasting';
import { caseEventSchemaVersions, type CaseEvent } from './case.events';

/**
 * Steps from older schema versions of case events. Empty while every event is at version 1; see
 * `case.upcasting.spec.ts` for what a step looks like.
 */
export const caseEventUpcastSteps: UpcastSteps = {};

/** Read-side hook of the event store: the stored type, version and data in, the current `CaseEvent` out. */
export const upcastCaseEvent: (type: string, schemaVersion: number, data: unknown) => CaseEvent =
  createUpcaster<CaseEvent>(caseEventSchemaVersions, caseEventUpcastSteps);
