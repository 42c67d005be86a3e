import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { parsePosition } from '@helpline/event-store';
import { ProjectionRunner, replayProjection, tablesInSchema } from '@helpline/projections';
import { draftAndSend, safetyOnTestDatabase } from '../testing/safety-harness';
import { SafetyMailDispatcher, type SafetyMailSender } from './safety-mail.dispatcher';
import { safetyMailOutboxProjection } from './safety-mail-outbox.projection';
import { SafetyMailOutboxRepository } from './safety-mail-outbox.repository';
import type { RenderedSafetyMail } from './safety-mail';

const settings = {
  mailFrom: 'helpline@localhost',
  publicBaseUrl: 'http://localhost:3000',
  safetyPoliceCommandEmail: 'police-command@localhost',
  safetyAreaDirectorEmail: 'area-director@localhost',
};

function recordingSender(options: { failing?: () => boolean; delayMs?: number } = {}) {
  const sent: RenderedSafetyMail[] = [];
  const sender: SafetyMailSender = {
    async send(mail) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.failing?.())
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525 for police-command@localhost'), {
          code: 'ESOCKET',
        });
      sent.push(mail);
    },
    close: () => undefined,
  };
  return { sender, sent };
}

describe('the safety e-mail outbox (projection-driven) and its dispatcher', () => {
  let safety: Awaited<ReturnType<typeof safetyOnTestDatabase>>;
  let runner: ProjectionRunner;
  let outbox: SafetyMailOutboxRepository;

  beforeAll(async () => {
    safety = await safetyOnTestDatabase();
    outbox = new SafetyMailOutboxRepository(safety.database);
    runner = new ProjectionRunner({
      database: safety.database,
      eventStore: safety.store,
      projections: [safetyMailOutboxProjection],
      metrics: new Registry(),
      leaseMs: 500,
      maxPollMs: 20,
      standbyPollMs: 20,
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await safety?.close();
  });

  /** Waits until the outbox projection has applied the given append (read-your-writes). */
  const projected = async (position: string) =>
    expect(await runner.waitForPosition('safety-mail-outbox', parsePosition(position)!, 10_000)).toBe(true);
  const outboxRows = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from safety_mail_outbox`.execute(safety.database.db)).rows[0]!
      .n;

  it('writes one e-mail per recipient for each sent request, once, and never again on a rebuild or an as-of replay', async () => {
    const { requestId, sent } = await draftAndSend(safety.executor, { meetingInHours: 72 });
    await projected(sent.position);
    const entries = await outbox.list({ requestId });
    expect(entries.map((entry) => entry.recipient).sort()).toEqual(['area_director', 'police_command']);
    expect(
      entries.every(
        (entry) => entry.status === 'pending' && entry.unitId === 'unit-municipio-4' && entry.late === false,
      ),
    ).toBe(true);
    expect(sent.events[0]!.type).toBe('SafetyRequestSent');
    const before = await outboxRows();

    await runner.rebuild('safety-mail-outbox');
    expect(await outboxRows()).toBe(before);
    await replayProjection({
      database: safety.database,
      eventStore: safety.store,
      projection: safetyMailOutboxProjection,
      tables: tablesInSchema(safetyMailOutboxProjection, 'asof_outbox_check'),
    });
    expect(await outboxRows()).toBe(before);
  });

  it('delivers each e-mail once with several dispatchers at work, and marks it delivered', async () => {
    for (let index = 0; index < 4; index++)
      await projected((await draftAndSend(safety.executor, { meetingInHours: 72 })).sent.position);
    const pending = (await outbox.list({ status: 'pending' })).length;
    expect(pending).toBeGreaterThanOrEqual(8);
    const a = recordingSender({ delayMs: 5 });
    const b = recordingSender({ delayMs: 5 });
    const dispatchers = [a, b].map(
      ({ sender }, index) => new SafetyMailDispatcher({ outbox, sender, settings, ownerId: `dispatcher-${index}` }),
    );
    await Promise.all([...dispatchers.map((d) => d.runOnce()), ...dispatchers.map((d) => d.runOnce())]);
    const messageIds = [...a.sent, ...b.sent].map((mail) => mail.messageId);
    expect(messageIds).toHaveLength(pending);
    expect(new Set(messageIds).size).toBe(pending);
    const all = await outbox.list();
    expect(all.every((entry) => entry.status === 'delivered' && entry.deliveredTo && entry.messageId)).toBe(true);
    // Nothing is due any more: another round sends nothing.
    expect(await dispatchers[0]!.runOnce()).toEqual({ delivered: 0, failed: 0 });
  });

  it('leaves an e-mail pending after a failed send, due again after a growing back-off, then delivers it', async () => {
    const { requestId, sent: appended } = await draftAndSend(safety.executor, { meetingInHours: 72 });
    await projected(appended.position);
    let down = true;
    const { sender, sent } = recordingSender({ failing: () => down });
    const dispatcher = new SafetyMailDispatcher({
      outbox,
      sender,
      settings,
      tuning: { baseBackoffMs: 200, maxBackoffMs: 10_000 },
    });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, failed: 2 });
    let entries = await outbox.list({ requestId });
    expect(
      entries.every((entry) => entry.status === 'pending' && entry.attempts === 1 && entry.lastError === 'ESOCKET'),
    ).toBe(true);
    // Not due yet: the round right after does not try again.
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, failed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, failed: 2 });
    entries = await outbox.list({ requestId });
    // The second failure waits twice as long.
    const waits = entries.map((entry) => Date.parse(entry.nextAttemptAt));
    expect(entries.every((entry) => entry.attempts === 2)).toBe(true);
    down = false;
    await new Promise((resolve) => setTimeout(resolve, Math.max(...waits) - Date.now() + 50));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, failed: 0 });
    expect(sent.map((mail) => mail.to).sort()).toEqual(['area-director@localhost', 'police-command@localhost']);
  });

  it('keeps a claimed e-mail from every other dispatcher until its lease runs out (a dispatcher that died mid-send)', async () => {
    const { requestId, sent: appended } = await draftAndSend(safety.executor, { meetingInHours: 72 });
    await projected(appended.position);
    const claimed = await outbox.claimNext('dead-dispatcher', 400);
    expect(claimed?.requestId).toBe(requestId);
    const { sender, sent } = recordingSender();
    const survivor = new SafetyMailDispatcher({ outbox, sender, settings, ownerId: 'survivor' });
    expect((await survivor.runOnce()).delivered).toBe(1);
    expect(sent.map((mail) => mail.messageId)).not.toContain(
      `<safety-request-sent.${claimed!.eventId}.${claimed!.recipient}@helpline.invalid>`,
    );
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await survivor.runOnce()).delivered).toBe(1);
    // The dead dispatcher's late answer is refused: the row is no longer its own.
    expect(await outbox.markDelivered(claimed!.id, 'dead-dispatcher', 'x@localhost', '<x>')).toBe(false);
    expect((await outbox.list({ requestId })).every((entry) => entry.status === 'delivered')).toBe(true);
  });
});
