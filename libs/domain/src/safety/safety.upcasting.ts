import { createUpcaster, type UpcastSteps } from '../shared/upcasting';
import { safetyEmergencyEventSchemaVersions, type SafetyEmergencyEvent } from './safety-emergency.events';
import { safetyRequestEventSchemaVersions, type SafetyRequestEvent } from './safety-request.events';

/** Steps from older schema versions of request events. Empty while every event is at version 1. */
export const safetyRequestEventUpcastSteps: UpcastSteps = {};

/** Steps from older schema versions of emergency events. Empty while every event is at version 1. */
export const safetyEmergencyEventUpcastSteps: UpcastSteps = {};

/** Read-side hook for `safety-request-*` streams: stored type, version and data in, the current event out. */
export const upcastSafetyRequestEvent: (type: string, schemaVersion: number, data: unknown) => SafetyRequestEvent =
  createUpcaster<SafetyRequestEvent>(safetyRequestEventSchemaVersions, safetyRequestEventUpcastSteps);

/** Read-side hook for `safety-emergency-*` streams. */
export const upcastSafetyEmergencyEvent: (type: string, schemaVersion: number, data: unknown) => SafetyEmergencyEvent =
  createUpcaster<SafetyEmergencyEvent>(safetyEmergencyEventSchemaVersions, safetyEmergencyEventUpcastSteps);
