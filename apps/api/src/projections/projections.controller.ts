import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@helpline/auth';
import { formatPosition } from '@helpline/event-store';
import { ProjectionRunner, ProjectionStatus } from '@helpline/projections';

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
  @ApiOkResponse({
    schema: {
      example: [
        {
          name: 'case-queue',
          version: 1,
          status: 'running',
          position: '1042:318',
          lagEvents: 0,
          lagSeconds: 0,
          rebuilding: false,
          error: null,
        },
      ],
    },
  })
  async status() {
    return (await this.runner.status()).map(projectionStatusView);
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a read model from the start of the log while the current one keeps answering' })
  @ApiAcceptedResponse({ schema: { example: { name: 'case-queue', rebuilding: true } } })
  rebuild(@Param('name') name: string) {
    this.assertKnown(name);
    // The rebuild runs on; progress shows in the status route. Its failure is recorded on the projection.
    void this.runner.rebuild(name).catch(() => undefined);
    return { name, rebuilding: true };
  }

  @Post(':name/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a read model that stopped at a failing event' })
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
