/**
 * How a refusal should be read by whoever maps it to a transport (the API's error filter does, in one place):
 * `invalid` (the request itself is wrong), `not_found` (it names something the caller cannot reach), `forbidden`
 * (the caller may not take this step), `conflict` (valid, but not in the present state), `unprocessable` (a
 * well-formed request that contradicts an earlier one, such as a reused idempotency key), `unavailable` (try again
 * later). The same words as the domain's `DomainErrorKind`, plus the ones only an application layer meets.
 */
export type ApplicationErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'unprocessable' | 'unavailable';

/**
 * Base of every refusal an application library raises. `code` is stable and machine-readable; `reason` is for
 * humans and never holds a personal value; `field` names the offending input when there is one. No HTTP here:
 * statuses are the edge's business.
 */
export abstract class ApplicationError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ApplicationErrorKind;

  protected constructor(
    readonly reason: string,
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}
