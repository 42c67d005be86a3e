import {
  appointmentScheduled,
  at,
  callbackRequested,
  command,
  event,
  firstContact,
  handoffAccepted,
  handoffSent,
  personalDataErased,
  referralProposed,
  sealed,
  spec,
} from '../testing/case-fixtures';

const SERD = 'serd-milano-1';
const proposed = [firstContact(), referralProposed('ref-1', SERD)];
const sent = [...proposed, handoffSent('ref-1', SERD)];
const accepted = [...sent, handoffAccepted('ref-1')];
const appointmentSet = [...accepted, appointmentScheduled('ref-1')];
const attended = [...appointmentSet, event('AppointmentAttended', { referralId: 'ref-1' })];

const sendHandoff = (fields: Partial<Parameters<typeof command<'SendHandoff'>>[1]> = {}) =>
  command('SendHandoff', {
    referralId: 'ref-1',
    consent: { given: true, method: 'verbal' },
    sharedFields: ['age_band', 'concern'],
    occurredAt: at(3),
    ...fields,
  });

describe('referral proposed', () => {
  it('proposes a service to the caller', () =>
    spec
      .given([firstContact()])
      .when(command('ProposeReferral', { referralId: 'ref-1', serviceId: SERD, occurredAt: at(2) }))
      .then([referralProposed('ref-1', SERD)]));

  it('moves the case to orientation', () =>
    spec
      .given([firstContact()])
      .when(command('ProposeReferral', { referralId: 'ref-1', serviceId: SERD }))
      .thenState((state) => {
        expect(state).toMatchObject({ phase: 'orientation', furthestPhase: 'orientation' });
        expect(state.referrals['ref-1']).toMatchObject({ serviceId: SERD, status: 'proposed', proposedAt: at(10) });
      }));

  it('refuses a second open referral to the same service', () =>
    spec
      .given(appointmentSet)
      .when(command('ProposeReferral', { referralId: 'ref-2', serviceId: SERD }))
      .thenThrows('DUPLICATE_OPEN_REFERRAL', 'serviceId'));

  it('allows a new referral to a service that declined', () =>
    spec
      .given([...sent, event('HandoffDeclined', { referralId: 'ref-1', reason: 'no_capacity' })])
      .when(command('ProposeReferral', { referralId: 'ref-2', serviceId: SERD }))
      .then([event('ReferralProposed', { referralId: 'ref-2', serviceId: SERD })]));

  it('allows referrals to two different services at once', () =>
    spec
      .given(sent)
      .when(command('ProposeReferral', { referralId: 'ref-2', serviceId: 'smi-2' }))
      .then([event('ReferralProposed', { referralId: 'ref-2', serviceId: 'smi-2' })]));

  it('refuses a referral id already used', () =>
    spec
      .given(proposed)
      .when(command('ProposeReferral', { referralId: 'ref-1', serviceId: 'smi-2' }))
      .thenThrows('REFERRAL_ALREADY_EXISTS', 'referralId'));

  it('refuses a referral without service', () =>
    spec
      .given([firstContact()])
      .when(command('ProposeReferral', { referralId: 'ref-1', serviceId: '' }))
      .thenThrows('VALUE_REQUIRED', 'serviceId'));
});

describe('handoff sent', () => {
  it('sends the proposed referral with consent and exactly the fields shared', () =>
    spec
      .given(proposed)
      .when(sendHandoff())
      .then([handoffSent('ref-1', SERD)]));

  it('moves the case to accompaniment and keeps what was shared', () =>
    spec
      .given(proposed)
      .when(sendHandoff())
      .thenState((state) => {
        expect(state.phase).toBe('accompaniment');
        expect(state.referrals['ref-1']).toMatchObject({
          status: 'sent',
          sentAt: at(3),
          consent: { given: true, method: 'verbal' },
          sharedFields: ['age_band', 'concern'],
        });
      }));

  it('can share the call-back number and a sealed summary', () =>
    spec
      .given([firstContact(), referralProposed('ref-1', SERD), callbackRequested('cb-1')])
      .when(sendHandoff({ sharedFields: ['callback_number', 'summary_note'], summaryNote: sealed('summary') }))
      .then([
        event('HandoffSent', {
          referralId: 'ref-1',
          serviceId: SERD,
          consent: { given: true, method: 'verbal' },
          sharedFields: ['callback_number', 'summary_note'],
          summaryNote: sealed('summary'),
          occurredAt: at(3),
        }),
      ]));

  it('refuses to send a referral that was not proposed', () =>
    spec.given([firstContact()]).when(sendHandoff()).thenThrows('REFERRAL_NOT_PROPOSED', 'referralId'));

  it('refuses to send a referral twice', () =>
    spec.given(sent).when(sendHandoff()).thenThrows('REFERRAL_NOT_PROPOSED', 'referralId'));

  it('refuses a handoff without consent', () =>
    spec
      .given(proposed)
      .when(sendHandoff({ consent: { given: false, method: 'verbal' } }))
      .thenThrows('CONSENT_REQUIRED', 'consent'));

  it('refuses a field outside the shared-field vocabulary', () =>
    spec
      .given(proposed)
      .when(sendHandoff({ sharedFields: ['full_name' as never] }))
      .thenThrows('INVALID_VALUE', 'sharedFields'));

  it('refuses to share a summary that was not written', () =>
    spec
      .given(proposed)
      .when(sendHandoff({ sharedFields: ['summary_note'] }))
      .thenThrows('SHARED_FIELD_UNAVAILABLE', 'summaryNote'));

  it('refuses a summary that is not listed among the shared fields', () =>
    spec
      .given(proposed)
      .when(sendHandoff({ summaryNote: sealed('summary') }))
      .thenThrows('INVALID_VALUE', 'summaryNote'));

  it('refuses to share a call-back number the case does not hold', () =>
    spec
      .given(proposed)
      .when(sendHandoff({ sharedFields: ['callback_number'] }))
      .thenThrows('SHARED_FIELD_UNAVAILABLE', 'sharedFields'));

  it('refuses to share a name the case does not hold', () =>
    spec
      .given([...proposed, callbackRequested('cb-1')])
      .when(sendHandoff({ sharedFields: ['first_name_alias'] }))
      .thenThrows('SHARED_FIELD_UNAVAILABLE', 'sharedFields'));

  it('refuses to share personal fields after erasure', () =>
    spec
      .given([...proposed, callbackRequested('cb-1'), personalDataErased()])
      .when(sendHandoff({ sharedFields: ['callback_number'] }))
      .thenThrows('PERSONAL_DATA_ERASED', 'sharedFields'));

  it('still sends a handoff without personal fields after erasure', () =>
    spec
      .given([...proposed, personalDataErased()])
      .when(sendHandoff())
      .then([handoffSent('ref-1', SERD)]));
});

describe('handoff accepted', () => {
  it('records the acceptance of the service', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-1', occurredAt: at(4) }))
      .then([handoffAccepted('ref-1')]));

  it('records the first appointment given with the acceptance', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-1', appointmentAt: '2020-03-20T10:00:00.000Z' }))
      .then([
        event('HandoffAccepted', { referralId: 'ref-1' }),
        event('AppointmentScheduled', { referralId: 'ref-1', appointmentAt: '2020-03-20T10:00:00.000Z' }),
      ]));

  it('refuses to accept a referral not sent', () =>
    spec
      .given(proposed)
      .when(command('AcceptHandoff', { referralId: 'ref-1' }))
      .thenThrows('REFERRAL_NOT_SENT', 'referralId'));

  it('refuses to accept twice', () =>
    spec
      .given(accepted)
      .when(command('AcceptHandoff', { referralId: 'ref-1' }))
      .thenThrows('REFERRAL_NOT_SENT', 'referralId'));

  it('refuses an unknown referral', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-9' }))
      .thenThrows('REFERRAL_NOT_FOUND', 'referralId'));

  it('refuses an appointment at an invalid time', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-1', appointmentAt: 'next week' }))
      .thenThrows('INVALID_TIMESTAMP', 'appointmentAt'));
});

describe('handoff declined', () => {
  it('records the reason and the service suggested instead', () =>
    spec
      .given(sent)
      .when(
        command('DeclineHandoff', {
          referralId: 'ref-1',
          reason: 'outside_catchment_area',
          suggestedServiceId: 'serd-2',
        }),
      )
      .then([
        event('HandoffDeclined', {
          referralId: 'ref-1',
          reason: 'outside_catchment_area',
          suggestedServiceId: 'serd-2',
        }),
      ]));

  it('closes the referral', () =>
    spec
      .given(sent)
      .when(command('DeclineHandoff', { referralId: 'ref-1', reason: 'no_capacity' }))
      .thenState((state) =>
        expect(state.referrals['ref-1']).toMatchObject({
          status: 'declined',
          declinedAt: at(10),
          declineReason: 'no_capacity',
        }),
      ));

  it('refuses to decline a referral not sent', () =>
    spec
      .given(accepted)
      .when(command('DeclineHandoff', { referralId: 'ref-1', reason: 'no_capacity' }))
      .thenThrows('REFERRAL_NOT_SENT', 'referralId'));

  it('refuses a reason outside the vocabulary', () =>
    spec
      .given(sent)
      .when(command('DeclineHandoff', { referralId: 'ref-1', reason: 'busy' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));
});

describe('appointment scheduled', () => {
  it('sets the first appointment of an accepted referral', () =>
    spec
      .given(accepted)
      .when(
        command('ScheduleAppointment', {
          referralId: 'ref-1',
          appointmentAt: '2020-03-20T10:00:00.000Z',
          occurredAt: at(5),
        }),
      )
      .then([appointmentScheduled('ref-1', '2020-03-20T10:00:00.000Z')]));

  it('moves an appointment, keeping the previous time', () =>
    spec
      .given(appointmentSet)
      .when(command('ScheduleAppointment', { referralId: 'ref-1', appointmentAt: '2020-03-23T10:00:00.000Z' }))
      .then([
        event('AppointmentScheduled', {
          referralId: 'ref-1',
          appointmentAt: '2020-03-23T10:00:00.000Z',
          previousAppointmentAt: '2020-03-20T10:00:00.000Z',
        }),
      ]));

  it('refuses an appointment before the service accepted', () =>
    spec
      .given(sent)
      .when(command('ScheduleAppointment', { referralId: 'ref-1', appointmentAt: at(600) }))
      .thenThrows('REFERRAL_NOT_ACCEPTED', 'referralId'));

  it('refuses an appointment at an invalid time', () =>
    spec
      .given(accepted)
      .when(command('ScheduleAppointment', { referralId: 'ref-1', appointmentAt: '20/03/2020' }))
      .thenThrows('INVALID_TIMESTAMP', 'appointmentAt'));
});

describe('appointment attended or missed', () => {
  // appointmentScheduled() sets the appointment at 2020-03-20 10:00 UTC, six days after the first contact.
  const APPOINTMENT = '2020-03-20T10:00:00.000Z';
  const afterAppointment = '2020-03-20T11:30:00.000Z';

  it('records the attendance', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: afterAppointment }))
      .then([event('AppointmentAttended', { referralId: 'ref-1', occurredAt: afterAppointment })]));

  it('records a no-show', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentMissed', { referralId: 'ref-1', occurredAt: afterAppointment }))
      .thenState((state) =>
        expect(state.referrals['ref-1']).toMatchObject({ status: 'no_show', missedAt: afterAppointment }),
      ));

  it('records the no-show event', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentMissed', { referralId: 'ref-1', occurredAt: afterAppointment }))
      .then([event('AppointmentMissed', { referralId: 'ref-1', occurredAt: afterAppointment })]));

  it('accepts attendance exactly at the appointment time', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: APPOINTMENT }))
      .then([event('AppointmentAttended', { referralId: 'ref-1', occurredAt: APPOINTMENT })]));

  it('accepts the same instant written with another offset', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentMissed', { referralId: 'ref-1', occurredAt: '2020-03-20T11:00:00+01:00' }))
      .then([event('AppointmentMissed', { referralId: 'ref-1', occurredAt: '2020-03-20T11:00:00+01:00' })]));

  it('refuses attendance before the appointment time', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: '2020-03-20T09:59:00.000Z' }))
      .thenThrows('APPOINTMENT_NOT_YET_DUE', 'occurredAt'));

  it('refuses a no-show days before the appointment', () =>
    spec
      .given(appointmentSet)
      .when(command('RecordAppointmentMissed', { referralId: 'ref-1', occurredAt: at(10) }))
      .thenThrows('APPOINTMENT_NOT_YET_DUE', 'occurredAt'));

  it('follows a moved appointment: refused before the new time, accepted at it', () => {
    const moved = [
      ...appointmentSet,
      event('AppointmentScheduled', {
        referralId: 'ref-1',
        appointmentAt: '2020-03-23T10:00:00.000Z',
        previousAppointmentAt: APPOINTMENT,
        occurredAt: at(60),
      }),
    ];
    spec
      .given(moved)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: afterAppointment }))
      .thenThrows('APPOINTMENT_NOT_YET_DUE', 'occurredAt');
    spec
      .given(moved)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: '2020-03-23T10:00:00.000Z' }))
      .then([event('AppointmentAttended', { referralId: 'ref-1', occurredAt: '2020-03-23T10:00:00.000Z' })]);
  });

  it('lets the service move an appointment that has not come yet (instead of a no-show)', () =>
    spec
      .given(appointmentSet)
      .when(
        command('ScheduleAppointment', {
          referralId: 'ref-1',
          appointmentAt: '2020-03-27T10:00:00.000Z',
          occurredAt: at(60),
        }),
      )
      .then([
        event('AppointmentScheduled', {
          referralId: 'ref-1',
          appointmentAt: '2020-03-27T10:00:00.000Z',
          previousAppointmentAt: APPOINTMENT,
          occurredAt: at(60),
        }),
      ]));

  it('refuses attendance without an appointment', () =>
    spec
      .given(accepted)
      .when(command('RecordAppointmentAttended', { referralId: 'ref-1' }))
      .thenThrows('APPOINTMENT_NOT_SCHEDULED', 'referralId'));

  it('refuses a no-show without an appointment', () =>
    spec
      .given(attended)
      .when(command('RecordAppointmentMissed', { referralId: 'ref-1' }))
      .thenThrows('APPOINTMENT_NOT_SCHEDULED', 'referralId'));
});

describe('time order of a referral', () => {
  it('refuses an acceptance dated before the handoff was sent', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-1', occurredAt: at(2) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));

  it('accepts an acceptance at the very minute the handoff was sent', () =>
    spec
      .given(sent)
      .when(command('AcceptHandoff', { referralId: 'ref-1', occurredAt: at(3) }))
      .then([event('HandoffAccepted', { referralId: 'ref-1', occurredAt: at(3) })]));

  it('refuses a decline dated before the handoff was sent', () =>
    spec
      .given(sent)
      .when(command('DeclineHandoff', { referralId: 'ref-1', reason: 'no_capacity', occurredAt: at(2) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));

  it('refuses care dated before the acceptance', () =>
    spec
      .given(accepted)
      .when(command('RecordTakenIntoCare', { referralId: 'ref-1', occurredAt: at(3) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));

  it('refuses care dated before the attendance it follows', () =>
    spec
      .given([...appointmentSet, event('AppointmentAttended', { referralId: 'ref-1', occurredAt: at(50) })])
      .when(command('RecordTakenIntoCare', { referralId: 'ref-1', occurredAt: at(49) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));

  it('refuses an appointment set before the acceptance', () =>
    spec
      .given(accepted)
      .when(command('ScheduleAppointment', { referralId: 'ref-1', appointmentAt: at(600), occurredAt: at(3) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));
});

describe('taken into care', () => {
  it('records that the service took the caller into care', () =>
    spec
      .given(attended)
      .when(command('RecordTakenIntoCare', { referralId: 'ref-1' }))
      .then([event('TakenIntoCare', { referralId: 'ref-1' })]));

  it('ends the referral loop', () =>
    spec
      .given(attended)
      .when(command('RecordTakenIntoCare', { referralId: 'ref-1' }))
      .thenState((state) =>
        expect(state.referrals['ref-1']).toMatchObject({ status: 'taken_into_care', takenIntoCareAt: at(10) }),
      ));

  it('refuses before the service accepted', () =>
    spec
      .given(sent)
      .when(command('RecordTakenIntoCare', { referralId: 'ref-1' }))
      .thenThrows('REFERRAL_NOT_ACCEPTED', 'referralId'));
});

describe('referral withdrawn', () => {
  it('withdraws an open referral', () =>
    spec
      .given(sent)
      .when(command('WithdrawReferral', { referralId: 'ref-1', reason: 'caller_changed_mind' }))
      .then([event('ReferralWithdrawn', { referralId: 'ref-1', reason: 'caller_changed_mind' })]));

  it('frees the service for a new referral', () =>
    spec
      .given([...sent, event('ReferralWithdrawn', { referralId: 'ref-1', reason: 'caller_unreachable' })])
      .when(command('ProposeReferral', { referralId: 'ref-2', serviceId: SERD }))
      .then([event('ReferralProposed', { referralId: 'ref-2', serviceId: SERD })]));

  it('refuses to withdraw a referral already over', () =>
    spec
      .given([...attended, event('TakenIntoCare', { referralId: 'ref-1' })])
      .when(command('WithdrawReferral', { referralId: 'ref-1', reason: 'other' }))
      .thenThrows('REFERRAL_NOT_OPEN', 'referralId'));

  it('refuses an unknown referral', () =>
    spec
      .given(sent)
      .when(command('WithdrawReferral', { referralId: 'ref-9', reason: 'other' }))
      .thenThrows('REFERRAL_NOT_FOUND', 'referralId'));
});

describe('handoff escalated', () => {
  it('escalates a handoff the service has not answered', () =>
    spec
      .given(sent)
      .when(command('EscalateHandoff', { referralId: 'ref-1' }))
      .then([event('HandoffEscalated', { referralId: 'ref-1' })]));

  it('counts escalations without changing the referral status', () =>
    spec
      .given(accepted)
      .when(command('EscalateHandoff', { referralId: 'ref-1' }))
      .thenState((state) =>
        expect(state.referrals['ref-1']).toMatchObject({ status: 'accepted', escalations: 1, lastEscalatedAt: at(10) }),
      ));

  it('refuses to escalate a referral that is not waiting for the service', () =>
    spec
      .given(proposed)
      .when(command('EscalateHandoff', { referralId: 'ref-1' }))
      .thenThrows('REFERRAL_NOT_AWAITING_SERVICE', 'referralId'));
});

describe('referral expired', () => {
  it('expires an open referral', () =>
    spec
      .given(sent)
      .when(command('ExpireReferral', { referralId: 'ref-1' }))
      .then([event('ReferralExpired', { referralId: 'ref-1' })]));

  it('refuses to expire a declined referral', () =>
    spec
      .given([...sent, event('HandoffDeclined', { referralId: 'ref-1', reason: 'not_eligible' })])
      .when(command('ExpireReferral', { referralId: 'ref-1' }))
      .thenThrows('REFERRAL_NOT_OPEN', 'referralId'));
});
