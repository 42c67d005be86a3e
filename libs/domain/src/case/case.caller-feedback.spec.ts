import { foldCaseEvents } from './case.decider';
import type { CaseEvent } from './case.events';
import {
  at,
  caseClosed,
  command,
  event,
  firstContact,
  handoffSent,
  personalDataErased,
  referralProposed,
  spec,
} from '../testing/case-fixtures';

describe('caller feedback recorded', () => {
  it('records the rating the caller gave while the case is open', () =>
    spec
      .given([firstContact()])
      .when(command('RecordCallerFeedback', { rating: 'satisfied', occurredAt: at(15) }))
      .then([event('CallerFeedbackRecorded', { rating: 'satisfied', occurredAt: at(15) })]));

  it('records feedback given after the closing, without reopening the case', () =>
    spec
      .given([firstContact(), referralProposed('ref-1'), handoffSent('ref-1'), caseClosed('referred_to_service')])
      .when(command('RecordCallerFeedback', { rating: 'dissatisfied', occurredAt: at(60 * 24 * 7) }))
      .then([event('CallerFeedbackRecorded', { rating: 'dissatisfied', occurredAt: at(60 * 24 * 7) })]));

  it('leaves a closed case closed, with its outcome and the phase it was closed in', () =>
    spec
      .given([firstContact(), referralProposed('ref-1'), handoffSent('ref-1'), caseClosed('referred_to_service')])
      .when(command('RecordCallerFeedback', { rating: 'neutral', occurredAt: at(60) }))
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'closed',
          phase: 'closed',
          phaseBeforeClosing: 'accompaniment',
          outcome: 'referred_to_service',
          closedAt: at(20),
        }),
      ));

  it('changes nothing else in the state of an open case (not its phase, not its contacts)', () => {
    const history: CaseEvent[] = [firstContact(), event('RequestFramed', { categories: ['listening'] })];
    spec
      .given(history)
      .when(command('RecordCallerFeedback', { rating: 'satisfied' }))
      .thenState((state) => expect(state).toEqual(foldCaseEvents(history)));
  });

  it('accepts feedback after personal data were erased: a rating is no personal value', () =>
    spec
      .given([firstContact(), caseClosed(), personalDataErased()])
      .when(command('RecordCallerFeedback', { rating: 'satisfied', occurredAt: at(40) }))
      .then([event('CallerFeedbackRecorded', { rating: 'satisfied', occurredAt: at(40) })]));

  it('accepts a second rating later on: each is a fact of its own time', () =>
    spec
      .given([firstContact(), event('CallerFeedbackRecorded', { rating: 'neutral', occurredAt: at(5) })])
      .when(command('RecordCallerFeedback', { rating: 'satisfied', occurredAt: at(30) }))
      .then([event('CallerFeedbackRecorded', { rating: 'satisfied', occurredAt: at(30) })]));

  it('refuses a rating outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('RecordCallerFeedback', { rating: 'great' as never }))
      .thenThrows('INVALID_VALUE', 'rating'));

  it('refuses feedback without a rating', () =>
    spec
      .given([firstContact()])
      .when(command('RecordCallerFeedback', { rating: undefined as never }))
      .thenThrows('VALUE_REQUIRED', 'rating'));

  it('refuses feedback on a case that was never opened', () =>
    spec
      .given([])
      .when(command('RecordCallerFeedback', { rating: 'satisfied' }))
      .thenThrows('CASE_NOT_OPENED'));

  it('refuses feedback without a valid time', () =>
    spec
      .given([firstContact()])
      .when(command('RecordCallerFeedback', { rating: 'satisfied', occurredAt: '14/03/2020' }))
      .thenThrows('INVALID_TIMESTAMP', 'occurredAt'));
});
