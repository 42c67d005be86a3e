import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@helpline/database';
import { createServiceMetrics } from '@helpline/composition';
import { startOperationsServer, type OperationsServer } from './operations-server';

describe('the projector process answers health and metrics', () => {
  let database: TestDatabase;
  let server: OperationsServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startOperationsServer(0, database, createServiceMetrics(database), '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('is alive and ready while its database answers', async () => {
    expect((await get('/health')).status).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('exposes stock process metrics and the safety outbox under their names', async () => {
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).not.toMatch(/^helpline_process_/m);
    expect(text).toMatch(/^helpline_safety_mail_outbox_pending 0$/m);
    expect(text).toMatch(/^helpline_safety_mail_outbox_oldest_pending_age_seconds 0$/m);
  });

  it('shows a stuck e-mail: the pending count and the age of the oldest', async () => {
    await sql`insert into safety_mail_outbox
                (event_id, recipient, kind, request_id, unit_id, late, event_occurred_at, created_at)
              values ('event-1', 'police_command', 'preventive_request_sent', 'request-1', 'unit-1', false,
                      now() - interval '2 hours', now() - interval '2 hours')`.execute(database.db);
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/^helpline_safety_mail_outbox_pending 1$/m);
    const age = Number(/^helpline_safety_mail_outbox_oldest_pending_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(7200);
    expect(age).toBeLessThan(7200 + 600);
  });

  it('says not ready once its database is gone, and stays alive', async () => {
    await database.close();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect((await get('/health')).status).toBe(200);
  });
});
