import { BadRequestException, Injectable } from '@nestjs/common';
import { parsePosition } from '@helpline/event-store';
import { ProjectionRunner } from '@helpline/projections';

const MAX_WAIT_MS = 5_000;

/**
 * A command's response carries the log position of its last event; a query may pass it as `waitFor` to be
 * answered only once its read model has caught up (bounded: after 5 s it answers anyway, saying so).
 */
@Injectable()
export class ReadYourWrites {
  constructor(private readonly runner: ProjectionRunner) {}

  async waitFor(projection: string, position: string | undefined): Promise<{ caughtUp: boolean }> {
    if (position === undefined) return { caughtUp: true };
    const parsed = parsePosition(position);
    if (!parsed) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        reason: 'the request is not valid',
        errors: [{ field: 'waitFor', reason: 'must be a log position such as "1042:318"' }],
      });
    }
    return { caughtUp: await this.runner.waitForPosition(projection, parsed, MAX_WAIT_MS) };
  }
}
