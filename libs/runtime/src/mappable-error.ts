/** An application error that knows its HTTP status and stable code (the API's error filter answers with it). */
export interface MappableError {
  readonly httpStatus: number;
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;
}

export function isMappableError(error: unknown): error is MappableError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as MappableError).httpStatus === 'number' &&
    typeof (error as MappableError).code === 'string'
  );
}
