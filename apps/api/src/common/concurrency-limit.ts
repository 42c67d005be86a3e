import { HttpException, HttpStatus } from '@nestjs/common';

/** Answered when every slot of an expensive kind of request is taken: try again shortly. */
export class TooBusyException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(
      { code: 'TOO_BUSY', reason: `${what} are running at the moment; try again in a few seconds` },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/**
 * At most `slots` runs of an expensive request at once (an as-of report replays the whole log inside the request):
 * one more is refused at once with 503 and Retry-After instead of queueing behind the others and piling up memory.
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(
    private readonly slots: number,
    private readonly what: string,
    private readonly retryAfterSeconds = 10,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) throw new TooBusyException(this.retryAfterSeconds, this.what);
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
