import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { redact } from '@helpline/privacy';
import type { IncomingMessage } from 'node:http';
import { CasesModule } from './cases/cases.module';
import { ConsoleModule } from './console/console.module';
import { DirectoryModule } from './directory/directory.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { HandoffsModule } from './handoffs/handoffs.module';
import { HealthModule } from './health/health.module';
import { ConsoleSignInController } from './identity/console-sign-in.controller';
import { DevelopmentSignInController } from './identity/development-sign-in.controller';
import { MeController } from './identity/me.controller';
import { HttpMetricsMiddleware, MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projections/projections.module';
import { QueuesModule } from './queues/queues.module';
import { PlatformModule, PlatformOptions } from './platform/platform.module';
import { SafetyModule } from './safety/safety.module';
import { assignRequestId, correlationIdOf, requestIdFor } from './common/trace-ids';
import { CallerThrottlerGuard } from './common/rate-limit';
import { HitQueueThrottlerStorage } from './common/hit-queue-throttler-storage';

export interface AppOptions extends PlatformOptions {
  /** The built console to serve at /console/ (dist/console for `npm start`); none when absent. */
  consoleDir?: string;
}

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(assignRequestId, HttpMetricsMiddleware).forRoutes('*path');
  }

  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          // At level silent no request line is ever written, yet pino-http would still build three child loggers
          // per request (9% of a trivial request's CPU); then it runs on no route and `assignRequestId` alone
          // gives each request its id.
          ...(options.settings.logLevel === 'silent' ? { forRoutes: [] } : {}),
          pinoHttp: {
            level: options.settings.logLevel,
            genReqId: requestIdFor,
            // Method, route and status only: never bodies, query strings or credentials.
            serializers: {
              req: (request: { id: string; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                path: request.url.split('?')[0],
              }),
              // pino's wrapped response reads the status only once headers went out; the raw response always knows it.
              res: (response: { statusCode: number | null; raw?: { statusCode: number } }) => ({
                statusCode: response.raw?.statusCode ?? response.statusCode,
              }),
            },
            redact: { paths: ['req.headers', 'res.headers'], remove: true },
            // Whatever a log line carries, values under personal-looking keys never reach the output.
            formatters: { log: (object: Record<string, unknown>) => redact(object) },
            customProps: (request: IncomingMessage) => ({
              correlationId: correlationIdOf(request),
            }),
          },
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: options.settings.rateLimitPerMinute }],
          skipIf: () => options.settings.rateLimitPerMinute === 0,
          storage: new HitQueueThrottlerStorage(),
        }),
        CqrsModule.forRoot(),
        PlatformModule.forRoot(options),
        HealthModule,
        MetricsModule,
        ProjectionsModule,
        DirectoryModule,
        CasesModule,
        EvaluationModule,
        HandoffsModule,
        QueuesModule,
        SafetyModule,
        ...(options.consoleDir ? [ConsoleModule.forRoot(options.consoleDir)] : []),
      ],
      // The development sign-in exists only in the embedded development mode, never beside an OpenID provider.
      controllers: options.settings.developmentMode
        ? [MeController, ConsoleSignInController, DevelopmentSignInController]
        : [MeController, ConsoleSignInController],
      providers: [{ provide: APP_GUARD, useClass: CallerThrottlerGuard }],
    };
  }
}
