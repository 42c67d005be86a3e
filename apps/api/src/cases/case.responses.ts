import {
  CALLBACK_ATTEMPT_OUTCOMES,
  CALLBACK_RESOLUTIONS,
  CASE_EVENT_TYPES,
  CASE_OUTCOMES,
  CASE_PHASES,
  CONSENT_METHODS,
  COUNSELLING_PHASES,
  DECLINE_REASONS,
  REFERRAL_STATUSES,
  REFERRAL_WITHDRAWAL_REASONS,
  RISK_KINDS,
  RISK_LEVELS,
  SESSION_MODES,
  SHARED_FIELDS,
} from '@helpline/domain';
import {
  boolean,
  freeObject,
  instant,
  integer,
  listOf,
  logPosition,
  named,
  nullable,
  object,
  oneOf,
  text,
  uuid,
} from '../common/response-schema';

/** What every case command answers (cases and handoffs: the same case stream). */
export const CASE_COMMAND_ANSWER = named(
  'CaseCommandAnswer',
  object({
    caseId: uuid(),
    version: integer("The case's new version (also the ETag)"),
    position: { ...logPosition(), description: 'The log position of the last event: pass it as waitFor to a listing' },
    events: listOf(
      object(
        { type: oneOf(CASE_EVENT_TYPES), version: integer() },
        {
          referralId: uuid('The new referral (ReferralProposed)'),
          callbackId: uuid('The call-back (CallbackRequested and its steps)'),
          sessionId: uuid('The new session (SessionScheduled)'),
        },
      ),
      'Each event appended, with the ids it carries',
    ),
    replayed: boolean('True when this answers an earlier request with the same Idempotency-Key'),
  }),
);

/** A personal value opened for its reader; `erased` once its key is destroyed. */
export const OPENED_VALUE = named(
  'OpenedValue',
  object(
    { value: nullable(text()), erased: boolean('True once the key is destroyed: the value is gone for good') },
    {
      withheld: boolean(
        "True when the value is kept but not for this reader: a call-back's number and name are shown only to the operator the case is assigned to, who makes the call",
      ),
    },
  ),
);

const CALLBACK_VIEW = named(
  'CaseCallback',
  object({
    callbackId: uuid(),
    requestedAt: instant(),
    dueAt: instant('When the line promised to call back, counted in its opening hours'),
    status: oneOf(['pending', 'completed']),
    attempts: integer(),
    lastAttemptOutcome: nullable(oneOf(CALLBACK_ATTEMPT_OUTCOMES)),
    resolution: nullable(oneOf(CALLBACK_RESOLUTIONS)),
    completedAt: nullable(instant()),
    numberKept: boolean('Whether the number can still be dialled (false once discarded or erased)'),
  }),
);

const REFERRAL_VIEW = named(
  'CaseReferral',
  object({
    referralId: uuid(),
    serviceId: text('A service of the resource directory'),
    status: oneOf(REFERRAL_STATUSES),
    proposedAt: instant(),
    sentAt: nullable(instant()),
    acceptedAt: nullable(instant()),
    declinedAt: nullable(instant()),
    appointmentScheduledAt: nullable(instant('When the appointment was last set')),
    appointmentAt: nullable(instant('When the person is expected at the service')),
    attendedAt: nullable(instant()),
    missedAt: nullable(instant()),
    takenIntoCareAt: nullable(instant()),
    withdrawnAt: nullable(instant()),
    expiredAt: nullable(instant()),
    lastEscalatedAt: nullable(instant()),
    escalations: integer(),
    consent: nullable(object({ given: { type: 'boolean', enum: [true] }, method: oneOf(CONSENT_METHODS) })),
    sharedFields: listOf(oneOf(SHARED_FIELDS)),
    declineReason: nullable(oneOf(DECLINE_REASONS)),
    suggestedServiceId: nullable(text()),
    withdrawalReason: nullable(oneOf(REFERRAL_WITHDRAWAL_REASONS)),
  }),
);

export const CASE_VIEW = named(
  'CaseView',
  object({
    caseId: uuid(),
    reference: { type: 'string', pattern: '^[0-9A-F]{4}-[0-9A-F]{4}$', example: '3F1C-2A9E' },
    version: integer(),
    lineId: text(),
    status: oneOf(['open', 'closed']),
    phase: oneOf(CASE_PHASES),
    furthestPhase: nullable(oneOf(COUNSELLING_PHASES)),
    openedAt: instant(),
    closedAt: nullable(instant()),
    outcome: nullable(oneOf(CASE_OUTCOMES)),
    contacts: integer(),
    lastContactAt: nullable(instant()),
    assignedOperatorId: nullable(text()),
    risk: nullable(object({ level: oneOf(RISK_LEVELS), kinds: listOf(oneOf(RISK_KINDS)), flaggedAt: instant() })),
    safetyEscalations: integer(),
    takenInChargeByLine: boolean(),
    callbacks: listOf(CALLBACK_VIEW),
    referrals: listOf(REFERRAL_VIEW),
    sessions: listOf(
      object({
        sessionId: uuid(),
        scheduledFor: instant(),
        mode: oneOf(SESSION_MODES),
        professionalId: text(),
        status: oneOf(['scheduled', 'held', 'missed']),
      }),
    ),
    personalDataErased: boolean(),
    erasedAt: nullable(instant()),
  }),
);

export const CASE_HISTORY = named(
  'CaseHistory',
  object({
    caseId: uuid(),
    version: integer(),
    events: listOf(
      object({
        version: integer(),
        position: logPosition(),
        type: oneOf(CASE_EVENT_TYPES),
        occurredAt: instant(),
        recordedAt: instant(),
        actor: object({ id: text(), role: text() }),
        data: freeObject(
          "The event's facts; each personal value is an OpenedValue ({ value, erased }) opened for operators and supervisors",
        ),
      }),
    ),
  }),
);

export const CASE_LOOKUP_PAGE = named(
  'CaseLookupPage',
  object({
    items: listOf(
      object({
        caseId: uuid(),
        reference: { type: 'string', pattern: '^[0-9A-F]{4}-[0-9A-F]{4}$' },
        lineId: text(),
        openedAt: instant(),
        closed: boolean(),
      }),
    ),
    caughtUp: boolean('False when the read model had not reached waitFor within 5 s'),
  }),
);

export const ACCESS_LOG_PAGE = named(
  'AccessLogPage',
  object(
    {
      entries: listOf(
        object({
          id: integer(),
          caseId: uuid(),
          lineId: text(),
          actorId: text(),
          actorRole: text(),
          what: oneOf(['case_state', 'case_history', 'handoff']),
          accessedAt: instant(),
        }),
      ),
    },
    { nextBefore: integer('Pass as before for the next (older) page; absent on the last page') },
  ),
);
