export const REDACTED = '[redacted]';

// Matched against the words of a key (`callerPhoneNumber` → caller, phone, number), so `context` or `hostname`
// are not caught by `text` or `name`. Secrets are here too: a log is no place for them either.
const PERSONAL_WORDS = new Set([
  'phone',
  'telephone',
  'tel',
  'mobile',
  'msisdn',
  'number',
  'email',
  'mail',
  'address',
  'street',
  'ip',
  'name',
  'firstname',
  'lastname',
  'surname',
  'fullname',
  'username',
  'nickname',
  'alias',
  'identity',
  'fiscal',
  'fiscalcode',
  'codicefiscale',
  'ssn',
  'taxcode',
  'birthdate',
  'birthday',
  'dob',
  'passport',
  'note',
  'text',
  'body',
  'message',
  'comment',
  'description',
  'detail',
  'transcript',
  'telefono',
  'cellulare',
  'numero',
  'nome',
  'cognome',
  'indirizzo',
  'nota',
  'testo',
  'messaggio',
  'fiscale',
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
]);

/** Whether a log key looks like it holds personal data (or a secret). */
export function isPersonalKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return [...words, words.join('')].some(
    (word) =>
      PERSONAL_WORDS.has(word) ||
      PERSONAL_WORDS.has(word.replace(/s$/, '')) ||
      PERSONAL_WORDS.has(word.replace(/es$/, '')),
  );
}

/**
 * A copy of `value` for a log line: every value under a personal-looking key, at any depth, becomes "[redacted]"
 * (null and undefined are kept, their absence is no personal data). For pino: `formatters: { log: redact }`.
 */
export function redact(value: Record<string, unknown>): Record<string, unknown>;
export function redact(value: unknown): unknown;
export function redact(value: unknown): unknown {
  return redactValue(value, new Set());
}

function redactValue(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (ancestors.has(value)) return '[circular]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, ancestors));
    if (!(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return redactValue((value as { toJSON(): unknown }).toJSON(), ancestors);
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isPersonalKey(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, ancestors);
    }
    // An error's own message and stack are written by code, not by callers; its extra fields (a driver's
    // `detail` may quote a row) are redacted like any other.
    if (value instanceof Error) return { ...copy, type: value.name, message: value.message, stack: value.stack };
    return copy;
  } finally {
    ancestors.delete(value);
  }
}
