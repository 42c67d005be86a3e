import { DomainError, type DomainErrorKind } from './domain-error';

/** Turns the data of one schema version into the data of the next. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each step declares the shape of the version it reads
export type UpcastStep = (data: any) => unknown;

/** Per event type, the step from version n to n + 1, keyed by n. */
export type UpcastSteps = Readonly<Partial<Record<string, Readonly<Record<number, UpcastStep>>>>>;

export type EventSchemaErrorCode = 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_SCHEMA_VERSION' | 'MISSING_UPCAST_STEP';

/** A stored event this code cannot read: a newer writer, a typo in a type, or a forgotten upcast step. */
export class EventSchemaError extends DomainError {
  readonly kind: DomainErrorKind = 'invalid';

  constructor(
    readonly code: EventSchemaErrorCode,
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(`Cannot read event ${eventType} at schema version ${schemaVersion} (${code})`);
  }
}

/**
 * Builds the read-side hook that brings a stored event of any known version up to the version the code is
 * written for, one step at a time.
 */
export function createUpcaster<TEvent extends { readonly type: string; readonly data: unknown }>(
  currentVersions: Readonly<Record<string, number>>,
  steps: UpcastSteps,
): (type: string, schemaVersion: number, data: unknown) => TEvent {
  return (type, schemaVersion, data) => {
    if (!Object.hasOwn(currentVersions, type)) throw new EventSchemaError('UNKNOWN_EVENT_TYPE', type, schemaVersion);
    const current = currentVersions[type]!;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
      throw new EventSchemaError('UNSUPPORTED_SCHEMA_VERSION', type, schemaVersion);
    }
    let upcast = data;
    for (let version = schemaVersion; version < current; version++) {
      const step = steps[type]?.[version];
      if (!step) throw new EventSchemaError('MISSING_UPCAST_STEP', type, version);
      upcast = step(upcast);
    }
    return { type, data: upcast } as unknown as TEvent;
  };
}
