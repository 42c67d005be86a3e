import {
  AGE_BANDS,
  CONCERNS,
  CONSENT_METHODS,
  DECLINE_REASONS,
  GENDERS,
  REFERRAL_STATUSES,
  SHARED_FIELDS,
} from '@helpline/domain';
import {
  boolean,
  instant,
  integer,
  listOf,
  named,
  nullable,
  object,
  oneOf,
  text,
  uuid,
} from '../common/response-schema';
import { OPENED_VALUE } from '../cases/case.responses';

/** A handoff as the service it was sent to sees it: where the referral stands and only what the caller agreed to share. */
export const HANDOFF_VIEW = named(
  'HandoffView',
  object({
    caseId: uuid(),
    referralId: uuid(),
    serviceId: text(),
    lineId: nullable(text()),
    status: oneOf(REFERRAL_STATUSES),
    sentAt: instant(),
    acceptedAt: nullable(instant()),
    declinedAt: nullable(instant()),
    declineReason: nullable(oneOf(DECLINE_REASONS)),
    appointmentAt: nullable(instant()),
    attendedAt: nullable(instant()),
    missedAt: nullable(instant()),
    takenIntoCareAt: nullable(instant()),
    withdrawnAt: nullable(instant()),
    expiredAt: nullable(instant()),
    escalations: integer('How many times the handoff was escalated for waiting too long'),
    lastEscalatedAt: nullable(instant()),
    consentMethod: nullable(oneOf(CONSENT_METHODS)),
    sharedFields: listOf(oneOf(SHARED_FIELDS)),
    shared: {
      ...object(
        {},
        {
          ageBand: oneOf(AGE_BANDS),
          gender: oneOf(GENDERS),
          concern: oneOf(CONCERNS),
          callbackNumber: OPENED_VALUE,
          firstNameAlias: OPENED_VALUE,
          summaryNote: OPENED_VALUE,
        },
      ),
      description: 'The values the caller agreed to pass: only the keys named in sharedFields are present',
    },
    personalValuesWithheld: boolean('True once the referral is closed: personal values are no longer opened'),
  }),
);

export const HANDOFF_INBOX_PAGE = named(
  'HandoffInboxPage',
  object({
    items: listOf(HANDOFF_VIEW),
    nextCursor: nullable(text('Pass as after for the next page; null on the last page')),
    caughtUp: boolean('False when the read model had not reached waitFor within 5 s'),
  }),
);
