import {
  DIRECTORATE_SHARED_ITEMS,
  INCIDENT_KINDS,
  MEETING_OUTCOMES,
  POLICE_DECLINE_REASONS,
  POLICE_FORCES,
  SAFETY_EMERGENCY_EVENT_TYPES,
  SAFETY_EMERGENCY_STATUSES,
  SAFETY_REQUEST_CANCELLATION_REASONS,
  SAFETY_REQUEST_EVENT_TYPES,
  SAFETY_REQUEST_STATUSES,
  SAFETY_RISK_LEVELS,
} from '@helpline/domain';
import {
  boolean,
  instant,
  integer,
  keyedBy,
  listOf,
  logPosition,
  month,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
  uuid,
  type Schema,
} from '../common/response-schema';
import { OPENED_VALUE } from '../cases/case.responses';

const step = (eventTypes: readonly string[]) => ({
  version: integer("The record's new version (also the ETag)"),
  position: { ...logPosition(), description: 'The log position of the last event: pass it as waitFor to a listing' },
  events: listOf(object({ type: oneOf(eventTypes), version: integer() })),
  replayed: boolean('True when this answers an earlier request with the same Idempotency-Key'),
});

export const SAFETY_EMERGENCY_ANSWER = named(
  'SafetyEmergencyAnswer',
  object({ emergencyId: uuid(), ...step(SAFETY_EMERGENCY_EVENT_TYPES) }),
);

export const SAFETY_REQUEST_ANSWER = named(
  'SafetyRequestAnswer',
  object(
    { requestId: uuid(), ...step(SAFETY_REQUEST_EVENT_TYPES) },
    {
      emergency: {
        ...SAFETY_EMERGENCY_ANSWER,
        description: 'The emergency record an incident at the meeting opened, or (an erasure) erased with the request',
      },
    },
  ),
);

const history = (eventTypes: readonly string[]) =>
  listOf(
    object({
      version: integer(),
      type: oneOf(eventTypes),
      occurredAt: instant(),
      recordedAt: instant(),
      actor: object({ id: text(), role: text() }),
    }),
  );

const POLICE_ANSWER: Schema = {
  oneOf: [
    object({
      kind: oneOf(['confirmed']),
      officers: integer(),
      presentFrom: instant(),
      answeredAt: instant(),
    }),
    object({ kind: oneOf(['declined']), reason: oneOf(POLICE_DECLINE_REASONS), answeredAt: instant() }),
  ],
};

export const SAFETY_REQUEST_VIEW = named(
  'SafetyRequestView',
  object(
    {
      requestId: uuid(),
      version: integer(),
      unitId: nullable(text()),
      status: oneOf(SAFETY_REQUEST_STATUSES),
      risk: nullable(oneOf(SAFETY_RISK_LEVELS)),
      meetingAt: nullable(instant()),
      draftedAt: nullable(instant()),
      sentAt: nullable(instant()),
      noticeMinutes: nullable(integer('Minutes between the sending and the meeting')),
      late: nullable(boolean('Sent with less notice than the protocol asks')),
      acknowledgedAt: nullable(instant()),
      informationRequests: integer(),
      informationPending: boolean("A police question still waiting for the unit's answer"),
      answer: { allOf: [POLICE_ANSWER], nullable: true, description: "The police's one answer, once given" },
      outcome: nullable(oneOf(MEETING_OUTCOMES)),
      incidentKind: nullable(oneOf(INCIDENT_KINDS)),
      emergencyId: nullable(uuid()),
      outcomeRecordedAt: nullable(instant()),
      cancelledAt: nullable(instant()),
      cancellationReason: nullable(oneOf(SAFETY_REQUEST_CANCELLATION_REASONS)),
      personalDataErasedAt: nullable(instant('When its personal data were erased: each personal value reads erased')),
      history: history(SAFETY_REQUEST_EVENT_TYPES),
    },
    {
      personalData: {
        ...object(
          {
            exchanges: listOf(
              object({
                kind: oneOf(['question', 'information']),
                occurredAt: instant(),
                actorRole: text(),
                text: OPENED_VALUE,
              }),
            ),
          },
          { address: OPENED_VALUE, serviceUser: OPENED_VALUE, factsSummary: OPENED_VALUE },
        ),
        description:
          'Only for the roles that need them: the service user, the address, the facts, the questions and answers',
      },
    },
  ),
);

export const SAFETY_EMERGENCY_VIEW = named(
  'SafetyEmergencyView',
  object(
    {
      emergencyId: uuid(),
      version: integer(),
      unitId: nullable(text()),
      status: oneOf(SAFETY_EMERGENCY_STATUSES),
      requestId: nullable(uuid('The preventive request whose meeting it happened at')),
      kind: nullable(oneOf(INCIDENT_KINDS)),
      startedAt: nullable(instant()),
      recordedAt: nullable(instant()),
      colleaguesCalled: nullable(boolean()),
      colleaguesCount: nullable(integer()),
      operationsCentreCalledAt: nullable(instant()),
      patrolDispatchedAt: nullable(instant()),
      patrolArrivedAt: nullable(instant()),
      forcesAlerted: listOf(oneOf(POLICE_FORCES)),
      reportFiledAt: nullable(instant()),
      sharedWithDirectorate: nullable(listOf(oneOf(DIRECTORATE_SHARED_ITEMS))),
      closedAt: nullable(instant()),
      personalDataErasedAt: nullable(instant('When its personal data were erased: its place reads erased')),
      timeline: object({
        minutesFromCallToDispatch: nullable(number()),
        minutesFromDispatchToArrival: nullable(number()),
        minutesFromCallToArrival: nullable(number()),
      }),
      history: history(SAFETY_EMERGENCY_EVENT_TYPES),
    },
    {
      personalData: {
        ...object({
          location: nullable(OPENED_VALUE),
          atMeetingAddress: boolean('Opened from an incident without a place of its own: at the meeting’s address'),
        }),
        description: 'Only for the roles that see where it happened',
      },
    },
  ),
);

const SAFETY_REGISTER_ITEM = named(
  'SafetyRegisterItem',
  object({
    kind: oneOf(['request', 'emergency']),
    id: uuid(),
    unitId: text(),
    status: oneOf([...new Set([...SAFETY_REQUEST_STATUSES, ...SAFETY_EMERGENCY_STATUSES])]),
    openedAt: instant(),
    risk: nullable(oneOf(SAFETY_RISK_LEVELS)),
    meetingAt: nullable(instant()),
    sentAt: nullable(instant()),
    late: nullable(boolean()),
    noticeMinutes: nullable(integer()),
    acknowledgedAt: nullable(instant()),
    informationRequests: nullable(integer()),
    answer: nullable(oneOf(['confirmed', 'declined'])),
    answeredAt: nullable(instant()),
    officers: nullable(integer()),
    declineReason: nullable(oneOf(POLICE_DECLINE_REASONS)),
    outcome: nullable(oneOf(MEETING_OUTCOMES)),
    incidentKind: nullable(oneOf(INCIDENT_KINDS)),
    cancelledAt: nullable(instant()),
    cancellationReason: nullable(oneOf(SAFETY_REQUEST_CANCELLATION_REASONS)),
    linkedId: nullable(uuid('The emergency an incident at the meeting opened, or the request an emergency came from')),
    emergencyKind: nullable(oneOf(INCIDENT_KINDS)),
    operationsCentreCalledAt: nullable(instant()),
    patrolDispatchedAt: nullable(instant()),
    patrolArrivedAt: nullable(instant()),
    minutesFromCallToDispatch: nullable(number()),
    minutesFromDispatchToArrival: nullable(number()),
    forcesAlerted: nullable(listOf(oneOf(POLICE_FORCES))),
    reportFiledAt: nullable(instant()),
    sharedWithDirectorate: nullable(listOf(oneOf(DIRECTORATE_SHARED_ITEMS))),
    closedAt: nullable(instant()),
    personalDataErasedAt: nullable(instant('When its personal data were erased (their key destroyed)')),
  }),
);

const CAUGHT_UP = boolean('False when the read model had not reached waitFor within 5 s');

export const SAFETY_REGISTER_PAGE = named(
  'SafetyRegisterPage',
  object({
    items: listOf(SAFETY_REGISTER_ITEM),
    nextCursor: nullable(text('Pass as after for the next page; null on the last page')),
    caughtUp: CAUGHT_UP,
  }),
);

export const POLICE_WORKLIST = named(
  'PoliceWorklist',
  object({ items: listOf(SAFETY_REGISTER_ITEM), caughtUp: CAUGHT_UP }),
);

const median = () => nullable(number('Median minutes; null when none was measured'));

export const SAFETY_MONTHLY_FIGURES = listOf(
  named(
    'SafetyMonthlyFigures',
    object({
      month: month(),
      unitId: text(),
      requestsSent: integer(),
      requestsLate: integer(),
      presenceConfirmed: integer(),
      presenceDeclined: integer(),
      meetingsWithIncident: integer(),
      emergencies: {
        ...keyedBy(INCIDENT_KINDS, integer()),
        description: 'Emergencies that began in the month, by kind',
      },
      emergenciesTotal: integer(),
      medianMinutesCallToDispatch: median(),
      medianMinutesDispatchToArrival: median(),
      medianMinutesCallToArrival: median(),
      timedCallToDispatch: integer('How many emergencies the median is measured over'),
      timedDispatchToArrival: integer(),
      timedCallToArrival: integer(),
    }),
  ),
);

const SUPPRESSED_TABLE = named(
  'SuppressedTable',
  object(
    {
      rows: listOf(text()),
      columns: listOf(text()),
      values: listOf(listOf(nullable(integer())), 'values[row][column]; null where hidden'),
      rowTotals: nullable(listOf(nullable(integer()))),
      columnTotals: nullable(listOf(nullable(integer()))),
      suppressed: object({
        primary: integer('Hidden because small'),
        complementary: integer('Hidden to protect the small ones'),
      }),
    },
    { grandTotal: nullable(integer('Published only with totals on both sides')) },
  ),
);

export const SAFETY_MONITORING_EXPORT = named(
  'SafetyMonitoringExport',
  object({
    month: month(),
    zone: text(),
    threshold: integer('Counts below it are hidden (null)'),
    preventiveRequests: SUPPRESSED_TABLE,
    emergenciesByKind: SUPPRESSED_TABLE,
    timeline: listOf(
      object({
        unitId: nullable(text('Null: all units together')),
        medianMinutes: keyedBy(['CallToDispatch', 'DispatchToArrival', 'CallToArrival'], nullable(number())),
      }),
    ),
  }),
);

export const SAFETY_ACCESS_LOG_PAGE = named(
  'SafetyAccessLogPage',
  object(
    {
      entries: listOf(
        object({
          id: integer(),
          recordKind: oneOf(['request', 'emergency']),
          recordId: uuid(),
          unitId: text(),
          actorId: text(),
          actorRole: text(),
          accessedAt: instant(),
        }),
      ),
    },
    { nextBefore: integer('Pass as before for the next (older) page; absent on the last page') },
  ),
);
