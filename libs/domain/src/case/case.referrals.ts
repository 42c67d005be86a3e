// Referrals: the closed loop with a service of the directory, after an HL7 FHIR Task. Proposed, sent with the
// caller's consent, accepted or declined by the service, an appointment, taken into care or a no-show; withdrawn
// or expired while still open; escalated when a handoff waits too long.
import type {
  AcceptHandoff,
  CaseCommandOf,
  DeclineHandoff,
  ProposeReferral,
  ScheduleAppointment,
  SendHandoff,
} from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import type { CaseRuleCode } from './case.errors';
import {
  event,
  optional,
  optionalSealed,
  refuse,
  requireInstant,
  requireNotBefore,
  requireOneOf,
  requireText,
  unique,
} from './case.rules';
import { entryOf, isOpenReferral, type CaseState, type ReferralState } from './case.state';
import {
  CONSENT_METHODS,
  DECLINE_REASONS,
  PERSONAL_SHARED_FIELDS,
  REFERRAL_WITHDRAWAL_REASONS,
  SHARED_FIELDS,
  isOneOf,
  type ReferralStatus,
  type SharedField,
} from './vocabularies';

export type ReferralCommand = CaseCommandOf<
  | 'ProposeReferral'
  | 'SendHandoff'
  | 'AcceptHandoff'
  | 'DeclineHandoff'
  | 'ScheduleAppointment'
  | 'RecordAppointmentAttended'
  | 'RecordAppointmentMissed'
  | 'RecordTakenIntoCare'
  | 'WithdrawReferral'
  | 'EscalateHandoff'
  | 'ExpireReferral'
>;
export type ReferralEvent = CaseEventOf<
  | 'ReferralProposed'
  | 'HandoffSent'
  | 'HandoffAccepted'
  | 'HandoffDeclined'
  | 'AppointmentScheduled'
  | 'AppointmentAttended'
  | 'AppointmentMissed'
  | 'TakenIntoCare'
  | 'ReferralWithdrawn'
  | 'HandoffEscalated'
  | 'ReferralExpired'
>;

export function decideReferrals(command: ReferralCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'ProposeReferral':
      return proposeReferral(command, state);
    case 'SendHandoff':
      return sendHandoff(command, state);
    case 'AcceptHandoff':
      return acceptHandoff(command, state);
    case 'DeclineHandoff':
      return declineHandoff(command, state);
    case 'ScheduleAppointment':
      return scheduleAppointment(command, state);
    case 'RecordAppointmentAttended':
      requireAppointmentDue(
        command,
        requireReferralIn(state, command.referralId, ['appointment_set'], 'APPOINTMENT_NOT_SCHEDULED'),
      );
      return [event('AppointmentAttended', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'RecordAppointmentMissed':
      requireAppointmentDue(
        command,
        requireReferralIn(state, command.referralId, ['appointment_set'], 'APPOINTMENT_NOT_SCHEDULED'),
      );
      return [event('AppointmentMissed', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'RecordTakenIntoCare': {
      const referral = requireReferralIn(
        state,
        command.referralId,
        ['accepted', 'appointment_set', 'attended'],
        'REFERRAL_NOT_ACCEPTED',
      );
      requireNotBefore(
        command.occurredAt,
        referral.attendedAt ?? referral.acceptedAt,
        'OCCURRED_BEFORE_PREVIOUS_STEP',
        'occurredAt is before the service accepted the referral or saw the caller',
      );
      return [event('TakenIntoCare', { referralId: command.referralId, occurredAt: command.occurredAt })];
    }
    case 'WithdrawReferral': {
      const referral = requireReferral(state, command.referralId);
      if (!isOpenReferral(referral))
        refuse('REFERRAL_NOT_OPEN', 'Only an open referral can be withdrawn', 'referralId');
      const reason = requireOneOf(REFERRAL_WITHDRAWAL_REASONS, command.reason, 'reason');
      return [event('ReferralWithdrawn', { referralId: referral.referralId, reason, occurredAt: command.occurredAt })];
    }
    case 'EscalateHandoff':
      requireReferralIn(state, command.referralId, ['sent', 'accepted'], 'REFERRAL_NOT_AWAITING_SERVICE');
      return [event('HandoffEscalated', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'ExpireReferral': {
      const referral = requireReferral(state, command.referralId);
      if (!isOpenReferral(referral)) refuse('REFERRAL_NOT_OPEN', 'Only an open referral can expire', 'referralId');
      return [event('ReferralExpired', { referralId: referral.referralId, occurredAt: command.occurredAt })];
    }
  }
}

export function evolveReferrals(state: CaseState, fact: ReferralEvent): CaseState {
  switch (fact.type) {
    case 'ReferralProposed': {
      const { referralId, serviceId, occurredAt } = fact.data;
      return withReferral(state, {
        referralId,
        serviceId,
        status: 'proposed',
        proposedAt: occurredAt,
        sentAt: null,
        acceptedAt: null,
        declinedAt: null,
        appointmentScheduledAt: null,
        appointmentAt: null,
        attendedAt: null,
        missedAt: null,
        takenIntoCareAt: null,
        withdrawnAt: null,
        expiredAt: null,
        lastEscalatedAt: null,
        escalations: 0,
        consent: null,
        sharedFields: [],
        declineReason: null,
        suggestedServiceId: null,
        withdrawalReason: null,
      });
    }
    case 'HandoffSent':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'sent',
        sentAt: fact.data.occurredAt,
        consent: fact.data.consent,
        sharedFields: fact.data.sharedFields,
      }));
    case 'HandoffAccepted':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'accepted',
        acceptedAt: fact.data.occurredAt,
      }));
    case 'HandoffDeclined':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'declined',
        declinedAt: fact.data.occurredAt,
        declineReason: fact.data.reason,
        suggestedServiceId: fact.data.suggestedServiceId ?? null,
      }));
    case 'AppointmentScheduled':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'appointment_set',
        appointmentScheduledAt: fact.data.occurredAt,
        appointmentAt: fact.data.appointmentAt,
      }));
    case 'AppointmentAttended':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'attended',
        attendedAt: fact.data.occurredAt,
      }));
    case 'AppointmentMissed':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'no_show',
        missedAt: fact.data.occurredAt,
      }));
    case 'TakenIntoCare':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'taken_into_care',
        takenIntoCareAt: fact.data.occurredAt,
      }));
    case 'ReferralWithdrawn':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'withdrawn',
        withdrawnAt: fact.data.occurredAt,
        withdrawalReason: fact.data.reason,
      }));
    case 'HandoffEscalated':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        escalations: referral.escalations + 1,
        lastEscalatedAt: fact.data.occurredAt,
      }));
    case 'ReferralExpired':
      return updateReferral(state, fact.data.referralId, (referral) => ({
        ...referral,
        status: 'expired',
        expiredAt: fact.data.occurredAt,
      }));
  }
}

function proposeReferral(command: ProposeReferral, state: CaseState): CaseEvent[] {
  const referralId = requireText(command.referralId, 'referralId');
  const serviceId = requireText(command.serviceId, 'serviceId');
  if (entryOf(state.referrals, referralId)) {
    refuse('REFERRAL_ALREADY_EXISTS', 'A referral with this id already exists', 'referralId');
  }
  if (Object.values(state.referrals).some((referral) => referral.serviceId === serviceId && isOpenReferral(referral))) {
    refuse('DUPLICATE_OPEN_REFERRAL', 'The case already has an open referral to this service', 'serviceId');
  }
  return [event('ReferralProposed', { referralId, serviceId, occurredAt: command.occurredAt })];
}

function sendHandoff(command: SendHandoff, state: CaseState): CaseEvent[] {
  const referral = entryOf(state.referrals, command.referralId);
  if (referral?.status !== 'proposed') {
    refuse('REFERRAL_NOT_PROPOSED', 'Only a proposed referral can be sent to the service', 'referralId');
  }
  if (command.consent?.given !== true) {
    refuse('CONSENT_REQUIRED', "A handoff needs the caller's consent", 'consent');
  }
  const method = requireOneOf(CONSENT_METHODS, command.consent.method, 'consent.method');
  const sharedFields = requireSharedFields(command.sharedFields);
  if (state.personalDataErased && sharedFields.some((field) => isOneOf(PERSONAL_SHARED_FIELDS, field))) {
    refuse('PERSONAL_DATA_ERASED', 'Personal data of the case were erased and cannot be shared', 'sharedFields');
  }
  const sharesSummary = sharedFields.includes('summary_note');
  if (sharesSummary && command.summaryNote === undefined) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'summary_note is shared but no summary note was written', 'summaryNote');
  }
  if (!sharesSummary && command.summaryNote !== undefined) {
    refuse('INVALID_VALUE', 'A summary note is sent only when summary_note is among the shared fields', 'summaryNote');
  }
  const callbacks = Object.values(state.callbacks);
  if (sharedFields.includes('callback_number') && !callbacks.some((callback) => callback.number)) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'The case holds no call-back number to share', 'sharedFields');
  }
  if (sharedFields.includes('first_name_alias') && !callbacks.some((callback) => callback.nameOrAlias)) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'The case holds no name or alias to share', 'sharedFields');
  }
  return [
    event('HandoffSent', {
      referralId: referral.referralId,
      serviceId: referral.serviceId,
      consent: { given: true, method },
      sharedFields,
      ...optionalSealed('summaryNote', command.summaryNote),
      occurredAt: command.occurredAt,
    }),
  ];
}

function acceptHandoff(command: AcceptHandoff, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(state, command.referralId, ['sent'], 'REFERRAL_NOT_SENT');
  requireNotBefore(command.occurredAt, referral.sentAt, 'OCCURRED_BEFORE_PREVIOUS_STEP', SENT_FIRST);
  const { referralId } = referral;
  const events: CaseEvent[] = [event('HandoffAccepted', { referralId, occurredAt: command.occurredAt })];
  if (command.appointmentAt !== undefined) {
    const appointmentAt = requireInstant(command.appointmentAt, 'appointmentAt');
    events.push(event('AppointmentScheduled', { referralId, appointmentAt, occurredAt: command.occurredAt }));
  }
  return events;
}

function declineHandoff(command: DeclineHandoff, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(state, command.referralId, ['sent'], 'REFERRAL_NOT_SENT');
  requireNotBefore(command.occurredAt, referral.sentAt, 'OCCURRED_BEFORE_PREVIOUS_STEP', SENT_FIRST);
  const reason = requireOneOf(DECLINE_REASONS, command.reason, 'reason');
  const suggestedServiceId =
    command.suggestedServiceId === undefined
      ? undefined
      : requireText(command.suggestedServiceId, 'suggestedServiceId');
  return [
    event('HandoffDeclined', {
      referralId: referral.referralId,
      reason,
      ...optional('suggestedServiceId', suggestedServiceId),
      occurredAt: command.occurredAt,
    }),
  ];
}

function scheduleAppointment(command: ScheduleAppointment, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(
    state,
    command.referralId,
    ['accepted', 'appointment_set'],
    'REFERRAL_NOT_ACCEPTED',
  );
  requireNotBefore(
    command.occurredAt,
    referral.appointmentScheduledAt ?? referral.acceptedAt,
    'OCCURRED_BEFORE_PREVIOUS_STEP',
    'occurredAt is before the service accepted the referral or last set its appointment',
  );
  const appointmentAt = requireInstant(command.appointmentAt, 'appointmentAt');
  return [
    event('AppointmentScheduled', {
      referralId: referral.referralId,
      appointmentAt,
      ...optional('previousAppointmentAt', referral.appointmentAt ?? undefined),
      occurredAt: command.occurredAt,
    }),
  ];
}

const SENT_FIRST = 'occurredAt is before the handoff was sent to the service';

/**
 * Attended and no-show are facts about a time that has come: not before the appointment (exactly at it is fine).
 * Before it, the service moves the appointment instead (ScheduleAppointment).
 */
function requireAppointmentDue(
  command: CaseCommandOf<'RecordAppointmentAttended' | 'RecordAppointmentMissed'>,
  referral: ReferralState,
): void {
  requireNotBefore(
    command.occurredAt,
    referral.appointmentAt,
    'APPOINTMENT_NOT_YET_DUE',
    'occurredAt is before the appointment: record attendance or a no-show once its time has come, or move it',
  );
}

function requireSharedFields(values: readonly unknown[]): SharedField[] {
  if (!Array.isArray(values)) refuse('VALUE_REQUIRED', 'sharedFields is required (it may be empty)', 'sharedFields');
  return unique(values.map((value) => requireOneOf(SHARED_FIELDS, value, 'sharedFields')));
}

function requireReferral(state: CaseState, referralId: string): ReferralState {
  const referral = entryOf(state.referrals, referralId);
  if (!referral) return refuse('REFERRAL_NOT_FOUND', 'The case has no referral with this id', 'referralId');
  return referral;
}

function requireReferralIn(
  state: CaseState,
  referralId: string,
  statuses: readonly ReferralStatus[],
  code: CaseRuleCode,
): ReferralState {
  const referral = requireReferral(state, referralId);
  if (!statuses.includes(referral.status)) {
    refuse(
      code,
      `This referral ${REFERRAL_STATUS_WORDS[referral.status]}; this can be done only once it ${statuses
        .map((status) => REFERRAL_STATUS_WORDS[status])
        .join(' or ')}`,
      'referralId',
    );
  }
  return referral;
}

/** Where a referral stands, in words a client can show (refusals are read by people, not only by programs). */
const REFERRAL_STATUS_WORDS: Readonly<Record<ReferralStatus, string>> = {
  proposed: 'has been proposed but not sent to the service',
  sent: 'has been sent and waits for the service’s answer',
  accepted: 'has been accepted by the service, without an appointment yet',
  declined: 'was declined by the service',
  appointment_set: 'has an appointment set',
  attended: 'has an appointment the person already attended',
  no_show: 'has an appointment the person missed',
  taken_into_care: 'has been taken into care by the service',
  withdrawn: 'was withdrawn',
  expired: 'expired without an answer',
};

function withReferral(state: CaseState, referral: ReferralState): CaseState {
  return { ...state, referrals: { ...state.referrals, [referral.referralId]: referral } };
}

function updateReferral(
  state: CaseState,
  referralId: string,
  change: (referral: ReferralState) => ReferralState,
): CaseState {
  const referral = entryOf(state.referrals, referralId);
  return referral ? withReferral(state, change(referral)) : state;
}
