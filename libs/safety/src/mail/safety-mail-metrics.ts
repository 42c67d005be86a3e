import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '@helpline/database';

/**
 * The police e-mails waiting in the outbox, read at every scrape: how many are pending and how long the oldest has
 * waited. A stuck dispatcher (SMTP down, wrong credentials) shows as an age that keeps growing; see
 * docs/deploy.md for the alert to set on it.
 */
export function registerSafetyMailMetrics(registry: Registry, database: Database): void {
  let last: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
  // One query per scrape, shared by both gauges.
  const read = () =>
    (last ??= sql<{ pending: number; oldest_age_seconds: number | null }>`
      select count(*)::int as pending,
             extract(epoch from now() - min(created_at))::float8 as oldest_age_seconds
        from safety_mail_outbox
       where status = 'pending'`
      .execute(database.db)
      .then(({ rows }) => ({ pending: rows[0]?.pending ?? 0, oldestAgeSeconds: rows[0]?.oldest_age_seconds ?? 0 }))
      .finally(() => setImmediate(() => (last = undefined))));
  new Gauge({
    name: 'helpline_safety_mail_outbox_pending',
    help: 'Safety-protocol e-mails not yet delivered',
    registers: [registry],
    async collect() {
      this.set((await read().catch(() => ({ pending: Number.NaN }))).pending);
    },
  });
  new Gauge({
    name: 'helpline_safety_mail_outbox_oldest_pending_age_seconds',
    help: 'How long the oldest undelivered safety-protocol e-mail has waited (0 when none waits)',
    registers: [registry],
    async collect() {
      this.set((await read().catch(() => ({ oldestAgeSeconds: Number.NaN }))).oldestAgeSeconds);
    },
  });
}
