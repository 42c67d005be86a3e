import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '@helpline/database';

export interface OperationsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * What an orchestrator and Prometheus ask a projector: `/health` (the process answers), `/health/ready` (its
 * database answers: while it does not, the runner keeps retrying and this says 503), `/metrics`. No routes
 * beyond these, no bodies read, nothing personal.
 */
export async function startOperationsServer(
  port: number,
  database: Database,
  registry: Registry,
  host = '0.0.0.0',
): Promise<OperationsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return json(405, { code: 'METHOD_NOT_ALLOWED' });
    if (path === '/health') return json(200, { status: 'ok' });
    if (path === '/health/ready') {
      sql`select 1`.execute(database.db).then(
        () => json(200, { status: 'ok', database: 'up' }),
        () => json(503, { status: 'error', database: 'down' }),
      );
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'Content-Type': registry.contentType });
          response.end(text);
        },
        () => json(500, { code: 'METRICS_FAILED' }),
      );
      return;
    }
    json(404, { code: 'NOT_FOUND' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
