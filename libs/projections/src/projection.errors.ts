/** Errors of the projection runner: typed, with a stable machine code, and no personal values in messages. */

export class ProjectionDefinitionError extends Error {
  readonly code = 'PROJECTION_DEFINITION';
  constructor(
    readonly projection: string | undefined,
    reason: string,
  ) {
    super(projection ? `Projection ${projection}: ${reason}` : reason);
    this.name = 'ProjectionDefinitionError';
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'PROJECTION_UNKNOWN';
  constructor(readonly projection: string) {
    super(`No projection named ${projection} is registered with this runner`);
    this.name = 'UnknownProjectionError';
  }
}

/** Another process is rebuilding the projection (its rebuild lease has not expired). */
export class ProjectionRebuildInProgressError extends Error {
  readonly code = 'PROJECTION_REBUILD_IN_PROGRESS';
  constructor(
    readonly projection: string,
    readonly owner: string,
  ) {
    super(`Projection ${projection} is being rebuilt by ${owner}`);
    this.name = 'ProjectionRebuildInProgressError';
  }
}

/** The database holds a newer version of the projection than this code: a newer deployment drives it. */
export class ProjectionVersionAheadError extends Error {
  readonly code = 'PROJECTION_VERSION_AHEAD';
  constructor(
    readonly projection: string,
    readonly storedVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `Projection ${projection} is at version ${storedVersion} in the database, this code has version ${codeVersion}`,
    );
    this.name = 'ProjectionVersionAheadError';
  }
}

/** The projection threw on an event and stopped there (see the checkpoint's error_event_id and error_message). */
export class ProjectionFailedError extends Error {
  readonly code = 'PROJECTION_FAILED';
  constructor(
    readonly projection: string,
    readonly eventId: string | null,
    readonly reason: string,
  ) {
    super(`Projection ${projection} stopped${eventId ? ` at event ${eventId}` : ''}: ${reason}`);
    this.name = 'ProjectionFailedError';
  }
}

/** A rebuild lost its lease to another process (it stalled past the lease); its work is kept for the taker. */
export class ProjectionRebuildLostError extends Error {
  readonly code = 'PROJECTION_REBUILD_LOST';
  constructor(readonly projection: string) {
    super(`The rebuild of projection ${projection} was taken over by another process`);
    this.name = 'ProjectionRebuildLostError';
  }
}

/** The runner was stopped or aborted while the operation was in flight; nothing of it was committed. */
export class ProjectionRunnerStoppedError extends Error {
  readonly code = 'PROJECTION_RUNNER_STOPPED';
  constructor() {
    super('The projection runner was stopped');
    this.name = 'ProjectionRunnerStoppedError';
  }
}
