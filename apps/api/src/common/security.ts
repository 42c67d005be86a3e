import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Browser-facing hardening for every response: helmet's headers (a content security policy that the OpenAPI page
 * and the self-contained HTML report both satisfy: scripts from this origin only, inline styles allowed for the
 * report's own <style>), no X-Powered-By, and `Cache-Control: no-store` on everything but the OpenAPI page's static
 * files and the console's fingerprinted assets, since almost every answer opens a case, a queue or a report that no shared cache may keep.
 */
export function applySecurityHeaders(app: INestApplication, options: { consoleOidcAuthority?: string } = {}): void {
  // The console signing in with an OpenID provider reads its discovery document and exchanges the code for tokens
  // there (authorization code with PKCE, from the browser): that origin, and no other, is added to connect-src.
  const provider = options.consoleOidcAuthority ? [new URL(options.consoleOidcAuthority).origin] : [];
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", ...provider],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!/^\/(docs\/.+\.(js|css|png|html)|console\/assets\/.+)$/.test(request.path))
      response.setHeader('Cache-Control', 'no-store');
    next();
  });
}
