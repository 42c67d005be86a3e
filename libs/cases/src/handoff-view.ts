import {
  entryOf,
  isOpenReferral,
  type CaseEvent,
  type CaseEventOf,
  type DeclineReason,
  type ReferralStatus,
  type Sealed,
  type SharedField,
} from '@helpline/domain';
import type { PersonalDataVault, SealedField } from '@helpline/privacy';
import { callbackSubject, caseStreamId, type LoadedCase } from './case-stream.repository';
import type { OpenedValue } from './case-views';

/** The values the caller agreed to pass to the service: only the keys named in `sharedFields` are present. */
export interface SharedValues {
  ageBand?: string;
  gender?: string;
  concern?: string;
  /** Opened while the referral is under way; `erased` once its key is destroyed (call-back done, erasure). */
  callbackNumber?: OpenedValue;
  firstNameAlias?: OpenedValue;
  summaryNote?: OpenedValue;
}

/** A handoff as the service it was sent to sees it: where the referral stands and what was shared, nothing else. */
export interface HandoffView {
  caseId: string;
  referralId: string;
  serviceId: string;
  lineId: string | null;
  status: ReferralStatus;
  sentAt: string;
  acceptedAt: string | null;
  declinedAt: string | null;
  declineReason: DeclineReason | null;
  appointmentAt: string | null;
  attendedAt: string | null;
  missedAt: string | null;
  takenIntoCareAt: string | null;
  withdrawnAt: string | null;
  expiredAt: string | null;
  escalations: number;
  lastEscalatedAt: string | null;
  consentMethod: string | null;
  sharedFields: SharedField[];
  shared: SharedValues;
  /** True once the referral is closed (declined, no-show, taken into care, withdrawn, expired): personal values are no longer opened. */
  personalValuesWithheld: boolean;
}

type SealedShare = { key: 'callbackNumber' | 'firstNameAlias' | 'summaryNote'; field: SealedField };

/**
 * The handoff of `referralId` in the case, as its service sees it; undefined when the referral was never sent.
 * Age band, gender and concern come from the first contact; the call-back number and name or alias from the
 * call-back whose number the case held when the handoff was sent (the latest one); the summary note from the
 * handoff itself. Personal values are opened only while the referral is under way.
 */
export async function handoffView(
  loaded: LoadedCase,
  referralId: string,
  vault: PersonalDataVault,
): Promise<HandoffView | undefined> {
  const referral = entryOf(loaded.state.referrals, referralId);
  const sentIndex = findLastIndex(
    loaded.events,
    ({ event }) => event.type === 'HandoffSent' && event.data.referralId === referralId,
  );
  if (!referral || referral.sentAt === null || sentIndex < 0) return undefined;
  const sent = loaded.events[sentIndex]!.event as CaseEventOf<'HandoffSent'>;
  const sharedFields = [...sent.data.sharedFields];
  const shares = new Set<SharedField>(sharedFields);
  const firstContact = loaded.events.find(({ event }) => event.type === 'FirstContactRecorded')?.event as
    CaseEventOf<'FirstContactRecorded'> | undefined;
  const withheld = !isOpenReferral(referral);

  const shared: SharedValues = {};
  if (shares.has('age_band')) shared.ageBand = firstContact?.data.ageBand;
  if (shares.has('gender')) shared.gender = firstContact?.data.gender;
  if (shares.has('concern')) shared.concern = firstContact?.data.concern;

  const sealed: SealedShare[] = [];
  const callback = callbackHeldAt(loaded.events.slice(0, sentIndex).map(({ event }) => event));
  const bySubject = (key: SealedShare['key'], subjectId: string, field: string, value: Sealed | undefined) => {
    if (value) sealed.push({ key, field: { subjectId, field, sealed: value } });
  };
  if (callback) {
    const subject = callbackSubject(loaded.caseId, callback.callbackId);
    if (shares.has('callback_number')) bySubject('callbackNumber', subject, 'number', callback.number);
    if (shares.has('first_name_alias')) bySubject('firstNameAlias', subject, 'nameOrAlias', callback.nameOrAlias);
  }
  if (shares.has('summary_note'))
    bySubject('summaryNote', caseStreamId(loaded.caseId), 'summaryNote', sent.data.summaryNote);
  const opened = withheld ? sealed.map(() => undefined) : await vault.openMany(sealed.map((share) => share.field));
  sealed.forEach((share, index) => {
    const value = opened[index];
    shared[share.key] = { value: value ?? null, erased: !withheld && value === undefined };
  });
  for (const [name, key] of [
    ['callback_number', 'callbackNumber'],
    ['first_name_alias', 'firstNameAlias'],
    ['summary_note', 'summaryNote'],
  ] as const) {
    if (shares.has(name) && shared[key] === undefined) shared[key] = { value: null, erased: !withheld };
  }

  return {
    caseId: loaded.caseId,
    referralId,
    serviceId: referral.serviceId,
    lineId: loaded.state.lineId,
    status: referral.status,
    sentAt: referral.sentAt,
    acceptedAt: referral.acceptedAt,
    declinedAt: referral.declinedAt,
    declineReason: referral.declineReason,
    appointmentAt: referral.appointmentAt,
    attendedAt: referral.attendedAt,
    missedAt: referral.missedAt,
    takenIntoCareAt: referral.takenIntoCareAt,
    withdrawnAt: referral.withdrawnAt,
    expiredAt: referral.expiredAt,
    escalations: referral.escalations,
    lastEscalatedAt: referral.lastEscalatedAt,
    consentMethod: referral.consent?.method ?? null,
    sharedFields,
    shared,
    personalValuesWithheld: withheld,
  };
}

/** The latest call-back whose number the case still held after `events` (none once erased). */
function callbackHeldAt(
  events: readonly CaseEvent[],
): { callbackId: string; number: Sealed; nameOrAlias?: Sealed } | undefined {
  const held = new Map<string, { callbackId: string; number: Sealed; nameOrAlias?: Sealed }>();
  for (const event of events) {
    if (event.type === 'CallbackRequested') {
      held.delete(event.data.callbackId);
      held.set(event.data.callbackId, {
        callbackId: event.data.callbackId,
        number: event.data.number,
        nameOrAlias: event.data.nameOrAlias,
      });
    } else if (event.type === 'CallbackNumberDiscarded') held.delete(event.data.callbackId);
    else if (event.type === 'PersonalDataErased') held.clear();
  }
  return [...held.values()].at(-1);
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (predicate(items[index]!)) return index;
  return -1;
}
