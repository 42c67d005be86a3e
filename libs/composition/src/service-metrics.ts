import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '@helpline/database';
import { registerSafetyMailMetrics } from '@helpline/safety';

/**
 * The metrics every process of the service exposes: Node's and the process's under their stock names (so stock
 * Node.js dashboards work), and the service's own under `helpline_`: the safety outbox here, the projections'
 * lag when a runner is given this registry, the API's requests in the API.
 */
export function createServiceMetrics(database: Database): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerSafetyMailMetrics(registry, database);
  return registry;
}
