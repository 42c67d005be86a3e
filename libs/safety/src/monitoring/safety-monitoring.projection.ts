import { DateTime } from 'luxon';
import {
  SAFETY_EMERGENCY_STREAM_PREFIX,
  SAFETY_REQUEST_STREAM_PREFIX,
  upcastSafetyEmergencyEvent,
  upcastSafetyRequestEvent,
  type SafetyEmergencyEventType,
  type SafetyRequestEventType,
} from '@helpline/domain';
import type { RecordedEvent } from '@helpline/event-store';
import { defineProjection, indexName, type ProjectionTransaction, type TableNames } from '@helpline/projections';

export const SAFETY_MONITORING_TABLES = ['safety_monitoring_requests', 'safety_monitoring_emergencies'] as const;
type Table = (typeof SAFETY_MONITORING_TABLES)[number];

/** The protocol's months are Milan's. */
export const SAFETY_MONITORING_ZONE = 'Europe/Rome';

export function monthOf(instant: string): string {
  return DateTime.fromISO(instant, { setZone: true }).setZone(SAFETY_MONITORING_ZONE).toFormat('yyyy-MM');
}

const REQUEST_EVENTS = [
  'SafetyRequestDrafted',
  'SafetyRequestSent',
  'PolicePresenceConfirmed',
  'PolicePresenceDeclined',
  'MeetingHeldWithoutIncident',
  'IncidentAtMeetingReported',
] as const satisfies readonly SafetyRequestEventType[];

const EMERGENCY_EVENTS = [
  'EmergencyRecorded',
  'EmergencyOpenedFromIncident',
  'OperationsCentreCalled',
  'PatrolDispatched',
  'PatrolArrived',
] as const satisfies readonly SafetyEmergencyEventType[];

/**
 * The facts the monthly monitoring counts (seed 002: the register is kept "a fini di monitoraggio"), one row per
 * request and per emergency: preventive requests by the month they were sent (late or not, the police's answer,
 * whether the meeting had an incident); emergencies by the month they began, with the times of the call, the
 * dispatch and the arrival the timeline is measured from. Aggregated, and suppressed when they leave the units, by
 * SafetyMonitoringQueries.
 */
export const safetyMonitoringProjection = defineProjection<Table>({
  name: 'safety-monitoring',
  version: 1,
  handles: [...REQUEST_EVENTS, ...EMERGENCY_EVENTS],
  tables: SAFETY_MONITORING_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<Table>) {
    await trx.schema
      .createTable(tables.safety_monitoring_requests)
      .addColumn('request_id', 'text', (col) => col.primaryKey())
      .addColumn('unit_id', 'text', (col) => col.notNull())
      .addColumn('sent_month', 'text')
      .addColumn('late', 'boolean')
      .addColumn('answer', 'text')
      .addColumn('outcome', 'text')
      .execute();
    await trx.schema
      .createIndex(indexName(tables.safety_monitoring_requests, 'by_month'))
      .on(tables.safety_monitoring_requests)
      .columns(['sent_month', 'unit_id'])
      .execute();
    await trx.schema
      .createTable(tables.safety_monitoring_emergencies)
      .addColumn('emergency_id', 'text', (col) => col.primaryKey())
      .addColumn('unit_id', 'text', (col) => col.notNull())
      .addColumn('month', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('from_incident', 'boolean', (col) => col.notNull())
      .addColumn('called_at', 'timestamptz')
      .addColumn('dispatched_at', 'timestamptz')
      .addColumn('arrived_at', 'timestamptz')
      .execute();
    await trx.schema
      .createIndex(indexName(tables.safety_monitoring_emergencies, 'by_month'))
      .on(tables.safety_monitoring_emergencies)
      .columns(['month', 'unit_id'])
      .execute();
  },

  async apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames<Table>) {
    const requests = tables.safety_monitoring_requests;
    const emergencies = tables.safety_monitoring_emergencies;
    for (const recorded of events) {
      if (recorded.streamId.startsWith(SAFETY_REQUEST_STREAM_PREFIX)) {
        const requestId = recorded.streamId.slice(SAFETY_REQUEST_STREAM_PREFIX.length);
        const event = upcastSafetyRequestEvent(recorded.type, recorded.schemaVersion, recorded.data);
        const update = (values: Record<string, unknown>) =>
          trx.updateTable(requests).set(values).where('request_id', '=', requestId).execute();
        switch (event.type) {
          case 'SafetyRequestDrafted':
            await trx
              .insertInto(requests)
              .values({ request_id: requestId, unit_id: event.data.unitId })
              .onConflict((oc) => oc.column('request_id').doNothing())
              .execute();
            break;
          case 'SafetyRequestSent':
            await update({ sent_month: monthOf(event.data.occurredAt), late: event.data.late });
            break;
          case 'PolicePresenceConfirmed':
            await update({ answer: 'confirmed' });
            break;
          case 'PolicePresenceDeclined':
            await update({ answer: 'declined' });
            break;
          case 'MeetingHeldWithoutIncident':
            await update({ outcome: 'no_incident' });
            break;
          case 'IncidentAtMeetingReported':
            await update({ outcome: 'incident' });
            break;
          case 'SafetyRequestDraftEdited':
          case 'SafetyRequestAcknowledged':
          case 'MoreInformationRequested':
          case 'MoreInformationProvided':
          case 'SafetyRequestCancelled':
          case 'SafetyRequestPersonalDataErased':
            break; // nothing the monitoring counts
        }
      } else if (recorded.streamId.startsWith(SAFETY_EMERGENCY_STREAM_PREFIX)) {
        const emergencyId = recorded.streamId.slice(SAFETY_EMERGENCY_STREAM_PREFIX.length);
        const event = upcastSafetyEmergencyEvent(recorded.type, recorded.schemaVersion, recorded.data);
        const update = (values: Record<string, unknown>) =>
          trx.updateTable(emergencies).set(values).where('emergency_id', '=', emergencyId).execute();
        switch (event.type) {
          case 'EmergencyRecorded':
          case 'EmergencyOpenedFromIncident':
            await trx
              .insertInto(emergencies)
              .values({
                emergency_id: emergencyId,
                unit_id: event.data.unitId,
                month: monthOf(event.data.startedAt),
                kind: event.data.kind,
                from_incident: event.type === 'EmergencyOpenedFromIncident',
              })
              .onConflict((oc) => oc.column('emergency_id').doNothing())
              .execute();
            break;
          case 'OperationsCentreCalled':
            await update({ called_at: event.data.occurredAt });
            break;
          case 'PatrolDispatched':
            await update({ dispatched_at: event.data.occurredAt });
            break;
          case 'PatrolArrived':
            await update({ arrived_at: event.data.occurredAt });
            break;
          case 'OtherForcesAlerted':
          case 'PatrolReportFiled':
          case 'EmergencyClosed':
          case 'SafetyEmergencyPersonalDataErased':
            break; // nothing the monitoring counts
        }
      }
    }
  },
});
