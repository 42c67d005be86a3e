import { configureLines, SEED_LINES } from '@helpline/domain';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { InstantsInUtcInterceptor } from './common/instant-format';
import { conformDocument } from './common/openapi';
import { bodyParsers } from './common/request-body';
import { applySecurityHeaders } from './common/security';
import { createValidationPipe } from './common/validation';

/** Builds the HTTP application the same way for `npm start` and for the end-to-end tests. */
export async function createApiApp(options: AppOptions & { bufferLogs?: boolean }): Promise<INestApplication> {
  configureLines(options.settings.lines ?? SEED_LINES);
  // Our own body parsers (bounded in size and depth) instead of Nest's defaults.
  const app = await NestFactory.create(AppModule.forRoot(options), {
    bufferLogs: options.bufferLogs ?? true,
    bodyParser: false,
  });
  applySecurityHeaders(app, { consoleOidcAuthority: options.settings.consoleOidc?.authority });
  app.use(...bodyParsers());
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new InstantsInUtcInterceptor());
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The OpenAPI document of the app's routes, as /docs/openapi.json serves it (and the console's client is generated from). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return conformDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Helpline case routing')
        .setDescription(
          'Event-sourced case routing for city helplines: counselling cases, referrals to SerD/SMI services, operator queues and evaluation. ' +
            'Every route but /health needs a bearer token (role: operator, supervisor, service_staff, evaluator or admin).',
        )
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    ),
  );
}
