import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { sql } from 'kysely';
import { Public } from '@helpline/auth';
import { pendingMigrations } from '@helpline/database';
import type { Database } from '@helpline/database';
import { DATABASE } from '@helpline/kernel';
import { Answers, named, object, oneOf } from '../common/response-schema';

/** Terminus's health check result: each indicator by name, with its status and what it measured. */
const INDICATORS = {
  type: 'object' as const,
  additionalProperties: { ...object({ status: oneOf(['up', 'down']) }), additionalProperties: true },
};
const HEALTH = named(
  'Health',
  object(
    { status: oneOf(['ok', 'error', 'shutting_down']) },
    { info: INDICATORS, error: INDICATORS, details: INDICATORS },
  ),
);

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @Answers(200, HEALTH, { status: 'ok', info: {}, error: {}, details: {} })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and every migration is applied' })
  @Answers(200, HEALTH, {
    status: 'ok',
    info: { database: { status: 'up', engine: 'pglite' }, migrations: { status: 'up', pending: 0 } },
  })
  @ApiServiceUnavailableResponse({ description: 'the database is unreachable or migrations are pending' })
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicator.check('database');
        try {
          await sql`select 1`.execute(this.database.db);
          return check.up({ engine: this.database.kind });
        } catch {
          return check.down({ engine: this.database.kind, reason: 'the database does not answer' });
        }
      },
      async () => {
        const check = this.indicator.check('migrations');
        try {
          const pending = await pendingMigrations(this.database.db);
          return pending.length === 0 ? check.up({ pending: 0 }) : check.down({ pending: pending.length });
        } catch {
          return check.down({ reason: 'the migration table could not be read' });
        }
      },
    ]);
  }
}
