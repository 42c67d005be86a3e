import { isPersonalKey, REDACTED, redact } from './redact';

describe('redacting a log record', () => {
  it('redacts personal values at any depth, in objects and arrays, and keeps the rest', () => {
    const record = {
      msg: 'call-back requested',
      context: 'RequestCallbackHandler',
      caseId: 'case-1',
      hostname: 'api-1',
      caller: { phoneNumber: '+393331234567', nameOrAlias: 'Mario', ageBand: '25-34' },
      history: [{ text: 'talked about the job', at: '2026-11-25' }, { note: { keyId: 'k', ciphertext: 'c' } }],
      contacts: [[{ email: 'mario@example.org', channel: 'email' }]],
      req: {
        headers: { authorization: 'Bearer abc', 'x-caller-number': '333', 'content-type': 'application/json' },
        remoteAddress: '10.0.0.1',
      },
      codice_fiscale: 'RSSMRA80A01F205X',
      fiscalCode: 'RSSMRA80A01F205X',
      addresses: ['via Roma 1'],
    };

    expect(redact(record)).toEqual({
      msg: 'call-back requested',
      context: 'RequestCallbackHandler',
      caseId: 'case-1',
      hostname: 'api-1',
      caller: { phoneNumber: REDACTED, nameOrAlias: REDACTED, ageBand: '25-34' },
      history: [{ text: REDACTED, at: '2026-11-25' }, { note: REDACTED }],
      contacts: [[{ email: REDACTED, channel: 'email' }]],
      req: {
        headers: { authorization: REDACTED, 'x-caller-number': REDACTED, 'content-type': 'application/json' },
        remoteAddress: REDACTED,
      },
      codice_fiscale: REDACTED,
      fiscalCode: REDACTED,
      addresses: REDACTED,
    });
  });

  it('leaves the input untouched', () => {
    const record = { caller: { phone: '333' } };

    redact(record);

    expect(record.caller.phone).toBe('333');
  });

  it('keeps an absent value absent', () => {
    expect(redact({ note: null, phone: undefined })).toEqual({ note: null, phone: undefined });
  });

  it("keeps an error's message but redacts the row a driver quotes", () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (phone)=(333) exists',
      code: '23505',
    });

    expect(redact({ err: error })).toEqual({
      err: expect.objectContaining({
        type: 'Error',
        message: 'duplicate key value violates unique constraint',
        detail: REDACTED,
        code: '23505',
      }),
    });
  });

  it('survives a cycle and a shared reference', () => {
    const shared = { line: 'sostienimi' };
    const record: Record<string, unknown> = { a: shared, b: shared, name: 'Mario' };
    record.self = record;

    expect(redact(record)).toEqual({ a: shared, b: shared, name: REDACTED, self: '[circular]' });
  });

  it.each(['context', 'hostname', 'caseId', 'lineId', 'cellSize', 'contentType', 'status'])(
    'does not take %s for personal',
    (key) => {
      expect(isPersonalKey(key)).toBe(false);
    },
  );
});
