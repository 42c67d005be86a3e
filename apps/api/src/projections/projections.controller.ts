import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@helpline/auth';
import { formatPosition } from '@helpline/event-store';
import { ProjectionRunner, ProjectionStatus } from '@helpline/projections';
import {
  Answers,
  boolean,
  instant,
  integer,
  listOf,
  logPosition,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
} from '../common/response-schema';

const PROJECTION_STATUS = named(
  'ProjectionStatus',
  object({
    name: text(),
    version: integer('The version this code registers'),
    status: oneOf(['running', 'rebuilding', 'failed', 'stopped']),
    position: logPosition(),
    lagEvents: integer('Events of the types it handles after its checkpoint'),
    lagEventsCapped: boolean('True when lagEvents stopped counting at its cap'),
    lagSeconds: number('Now minus the recorded time of the oldest such event; 0 when caught up'),
    lastEventAt: nullable(instant()),
    rebuilding: boolean(),
    rebuildProgress: nullable(number('0 to 1, estimated from log positions')),
    error: nullable(object({ eventId: nullable(text()), reason: text("The error's name and code only") })),
  }),
);

export function projectionStatusView(status: ProjectionStatus) {
  return {
    name: status.name,
    version: status.version,
    status: status.status,
    position: formatPosition(status.position),
    lagEvents: status.lagEvents,
    lagEventsCapped: status.lagEventsCapped,
    lagSeconds: status.lagSeconds,
    lastEventAt: status.lastEventAt,
    rebuilding: status.rebuild?.active ?? false,
    rebuildProgress: status.rebuild ? status.rebuild.progress : null,
    error: status.error ? { eventId: status.error.eventId, reason: status.error.message } : null,
  };
}

@ApiTags('administration')
@ApiBearerAuth()
@Controller('admin/projections')
@Roles('admin')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({
    summary: 'Each read model: its position in the log, its lag in events and seconds, and whether it is rebuilding',
  })
  @Answers(200, listOf(PROJECTION_STATUS), [
    {
      name: 'case-queue',
      version: 1,
      status: 'running',
      position: '1042:318',
      lagEvents: 0,
      lagEventsCapped: false,
      lagSeconds: 0,
      lastEventAt: '2026-11-25T10:15:02.000Z',
      rebuilding: false,
      rebuildProgress: null,
      error: null,
    },
  ])
  async status() {
    return (await this.runner.status()).map(projectionStatusView);
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a read model from the start of the log while the current one keeps answering' })
  @Answers(
    202,
    named('ProjectionRebuildStarted', object({ name: text(), rebuilding: { type: 'boolean', enum: [true] } })),
    {
      name: 'case-queue',
      rebuilding: true,
    },
  )
  rebuild(@Param('name') name: string) {
    this.assertKnown(name);
    // The rebuild runs on; progress shows in the status route. Its failure is recorded on the projection.
    void this.runner.rebuild(name).catch(() => undefined);
    return { name, rebuilding: true };
  }

  @Post(':name/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a read model that stopped at a failing event' })
  @Answers(
    200,
    named(
      'ProjectionRetried',
      object({ name: text(), resumed: boolean('False when it was not stopped at a failure') }),
    ),
    { name: 'case-queue', resumed: true },
  )
  async retry(@Param('name') name: string) {
    this.assertKnown(name);
    return { name, resumed: await this.runner.retry(name) };
  }

  private assertKnown(name: string): void {
    if (!this.runner.names.includes(name))
      throw new NotFoundException({
        code: 'PROJECTION_NOT_FOUND',
        reason: 'there is no read model with this name',
        errors: [{ field: 'name', reason: `must be one of: ${this.runner.names.join(', ')}` }],
      });
  }
}
