/**
 * How a refusal should be read by whoever maps it to a transport: `invalid` (the request itself is wrong),
 * `not_found` (it names something the aggregate does not hold), `conflict` (valid, but not in the aggregate's
 * present state), `forbidden` (the actor may not take this step).
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

/**
 * Base of every refusal the domain raises. `code` is stable and machine-readable; `reason` is for humans and
 * never contains personal values; `field` names the offending input when there is one.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  protected constructor(
    readonly reason: string,
    readonly field?: string,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}
