import { createUpcaster, EventSchemaError } from '../shared/upcasting';
import { CASE_EVENT_TYPES, caseEventSchemaVersions } from './case.events';
import { upcastCaseEvent } from './case.upcasting';

describe('case event schema versions', () => {
  it('gives every event type a version, starting at 1', () => {
    expect(CASE_EVENT_TYPES).toHaveLength(33);
    for (const type of CASE_EVENT_TYPES) expect(caseEventSchemaVersions[type]).toBeGreaterThanOrEqual(1);
  });

  it('reads a current event as it was written', () => {
    const data = { outcome: 'information_given', occurredAt: '2020-03-14T10:00:00.000Z' };
    expect(upcastCaseEvent('CaseClosed', 1, data)).toEqual({ type: 'CaseClosed', data });
  });

  it('refuses an unknown type', () => {
    expect(() => upcastCaseEvent('CaseExploded', 1, {})).toThrow(EventSchemaError);
  });

  it('refuses a version newer than the code, written by a newer deployment', () => {
    expect(() => upcastCaseEvent('CaseClosed', 2, {})).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SCHEMA_VERSION' }),
    );
  });
});

describe('upcasting an old version', () => {
  // Suppose CaseClosed went to version 2, renaming `outcome` to `closingOutcome`, and version 3 added the
  // operator's `followUpPlanned` flag. Stored version-1 events are never rewritten: they are read through the steps.
  const upcast = createUpcaster(
    { CaseClosed: 3 },
    {
      CaseClosed: {
        1: ({ outcome, ...rest }: { outcome: string; occurredAt: string }) => ({ ...rest, closingOutcome: outcome }),
        2: (data: object) => ({ ...data, followUpPlanned: false }),
      },
    },
  );

  it('brings a version-1 event to the current version, one step at a time', () => {
    expect(upcast('CaseClosed', 1, { outcome: 'information_given', occurredAt: '2020-03-14T10:00:00.000Z' })).toEqual({
      type: 'CaseClosed',
      data: { closingOutcome: 'information_given', followUpPlanned: false, occurredAt: '2020-03-14T10:00:00.000Z' },
    });
  });

  it('applies only the steps still missing', () => {
    expect(upcast('CaseClosed', 2, { closingOutcome: 'other', occurredAt: '2020-03-14T10:00:00.000Z' })).toEqual({
      type: 'CaseClosed',
      data: { closingOutcome: 'other', followUpPlanned: false, occurredAt: '2020-03-14T10:00:00.000Z' },
    });
  });

  it('refuses a version whose step was forgotten', () => {
    const incomplete = createUpcaster({ CaseClosed: 2 }, {});
    expect(() => incomplete('CaseClosed', 1, {})).toThrow(expect.objectContaining({ code: 'MISSING_UPCAST_STEP' }));
  });
});

describe('a call-back requested before its pseudonym was sealed', () => {
  it('reads the clear pseudonym of version 1 as legacy, with its look-up hint', () => {
    const data = { callbackId: 'cb-1', callerPseudonym: 'ps_abc', dueAt: '2020-03-14T13:00:00.000Z' };
    expect(upcastCaseEvent('CallbackRequested', 1, { ...data, occurredAt: '2020-03-14T10:00:00.000Z' })).toEqual({
      type: 'CallbackRequested',
      data: {
        callbackId: 'cb-1',
        legacyCallerPseudonym: 'ps_abc',
        callerLookupHint: 'c',
        dueAt: '2020-03-14T13:00:00.000Z',
        occurredAt: '2020-03-14T10:00:00.000Z',
      },
    });
  });
});
