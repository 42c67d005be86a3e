import { describeError, isTransientError } from './safe-error';

describe('describeError', () => {
  it('keeps the name and code of an error and drops its message', () => {
    class CaseClosedError extends Error {
      readonly code = 'CASE_CLOSED';
      constructor() {
        super('case of Mario Rossi, 333 1234567, is closed');
        this.name = 'CaseClosedError';
      }
    }
    expect(describeError(new CaseClosedError())).toBe('CaseClosedError [CASE_CLOSED]');
  });

  it('names a PostgreSQL error by its class, SQLSTATE and constraint', () => {
    const error = Object.assign(
      new (class DatabaseError extends Error {})('duplicate key value (phone)=(333 1234567)'),
      {
        name: 'error',
        code: '23505',
        constraint: 'case_queue_pkey',
      },
    );
    expect(describeError(error)).toBe('DatabaseError [23505] constraint case_queue_pkey');
  });

  it('drops a code or constraint that carries free text', () => {
    expect(describeError(Object.assign(new TypeError('x'), { code: 'value was Mario Rossi' }))).toBe('TypeError');
    expect(describeError('Mario Rossi')).toBe('string');
  });
});

describe('isTransientError', () => {
  it.each(['40001', '40P01', '08006', '57P01', '55P03', '53300', 'ECONNRESET'])('retries %s', (code) => {
    expect(isTransientError(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it.each(['23505', '42P01', 'CASE_CLOSED'])('stops on %s', (code) => {
    expect(isTransientError(Object.assign(new Error('x'), { code }))).toBe(false);
  });

  it('retries a connection that ended', () => {
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new TypeError('cannot read properties of undefined'))).toBe(false);
  });
});
