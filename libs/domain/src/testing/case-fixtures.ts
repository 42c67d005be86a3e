import type { Sealed } from '../shared/sealed';
import type { CaseCommand, CaseCommandOf, CaseCommandType } from '../case/case.commands';
import type { CaseEvent, CaseEventOf, CaseEventType } from '../case/case.events';
import { caseDecider } from '../case/case.decider';
import { deciderSpec } from './decider-spec';

export const CASE_ID = 'case-0001';
export const CASE_KEY = 'case-key-0001';

export const spec = deciderSpec(caseDecider);

/** A value sealed with the case key; the ciphertext stands in for what the privacy library would produce. */
export function sealed(label: string, keyId = CASE_KEY): Sealed {
  return { keyId, ciphertext: `ciphertext(${label})` };
}

/** A call-back's caller as the API records a new one: the pseudonym sealed with the case's key, and its hint. */
export function callerOf(pseudonym: string, returningCaller = false) {
  return { callerPseudonym: sealed(pseudonym), callerLookupHint: pseudonym.slice(-1), returningCaller };
}

/** Minutes after a fixed Saturday morning in Rome, so tests read as a timeline. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2020, 2, 14, 9, 0) + minutes * 60_000).toISOString();
}

type CommandFields<T extends CaseCommandType> = Omit<CaseCommandOf<T>, 'type' | 'caseId' | 'occurredAt'> &
  Partial<Pick<CaseCommand, 'caseId' | 'occurredAt'>>;

export function command<T extends CaseCommandType>(type: T, fields: CommandFields<T>): CaseCommandOf<T> {
  return { type, caseId: CASE_ID, occurredAt: at(10), ...fields } as unknown as CaseCommandOf<T>;
}

type EventFields<T extends CaseEventType> = Omit<CaseEventOf<T>['data'], 'occurredAt'> & { occurredAt?: string };

export function event<T extends CaseEventType>(type: T, fields: EventFields<T>): CaseEventOf<T> {
  return { type, data: { occurredAt: at(10), ...fields } } as unknown as CaseEventOf<T>;
}

export const firstContact = (fields: Partial<EventFields<'FirstContactRecorded'>> = {}): CaseEvent =>
  event('FirstContactRecorded', {
    caseId: CASE_ID,
    lineId: 'sostienimi',
    channel: 'phone',
    callerType: 'family_or_acquaintance',
    ageBand: '40_50',
    gender: 'female',
    concern: 'cocaine',
    heardOfLine: 'web_search',
    outOfHours: false,
    occurredAt: at(0),
    ...fields,
  });

export const callbackRequested = (
  callbackId = 'cb-1',
  fields: Partial<EventFields<'CallbackRequested'>> = {},
): CaseEvent =>
  event('CallbackRequested', {
    callbackId,
    number: sealed('+39 335 000 0000'),
    ...callerOf('pseudonym-1'),
    dueAt: '2020-03-14T13:00:00.000Z',
    occurredAt: at(1),
    ...fields,
  });

export const referralProposed = (referralId = 'ref-1', serviceId = 'serd-milano-1'): CaseEvent =>
  event('ReferralProposed', { referralId, serviceId, occurredAt: at(2) });

export const handoffSent = (referralId = 'ref-1', serviceId = 'serd-milano-1'): CaseEvent =>
  event('HandoffSent', {
    referralId,
    serviceId,
    consent: { given: true, method: 'verbal' },
    sharedFields: ['age_band', 'concern'],
    occurredAt: at(3),
  });

export const handoffAccepted = (referralId = 'ref-1'): CaseEvent =>
  event('HandoffAccepted', { referralId, occurredAt: at(4) });

export const appointmentScheduled = (referralId = 'ref-1', appointmentAt = '2020-03-20T10:00:00.000Z'): CaseEvent =>
  event('AppointmentScheduled', { referralId, appointmentAt, occurredAt: at(5) });

export const caseClosed = (outcome: CaseEventOf<'CaseClosed'>['data']['outcome'] = 'information_given'): CaseEvent =>
  event('CaseClosed', { outcome, occurredAt: at(20) });

export const personalDataErased = (): CaseEvent =>
  event('PersonalDataErased', { reason: 'caller_request', occurredAt: at(30) });
