import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { decide } from '@helpline/domain';
import { CallbackNumberRetention } from './callback-number-retention';
import { callbackSubject } from './case-stream.repository';
import { casesOnTestDatabase, contextFor } from './testing/cases-harness';

const operator = { id: 'operator-1', role: 'operator' as const, lines: ['sostienimi'] };

describe('call-back number retention', () => {
  let cases: Awaited<ReturnType<typeof casesOnTestDatabase>>;
  let retention: CallbackNumberRetention;

  beforeAll(async () => {
    cases = await casesOnTestDatabase({ callbackNumberRetentionHours: 72 });
    retention = new CallbackNumberRetention(cases.database, cases.streams, cases.executor, cases.vault, cases.settings);
  });
  afterAll(async () => cases?.close());

  async function caseWithCallback(requestedAt: string): Promise<{ caseId: string; callbackId: string }> {
    const caseId = randomUUID();
    const callbackId = randomUUID();
    await cases.executor.execute({
      caseId,
      opensCase: true,
      context: contextFor(operator),
      occurredAt: requestedAt,
      build: ({ occurredAt }) => ({
        type: 'RecordFirstContact',
        caseId,
        occurredAt,
        lineId: 'sostienimi',
        channel: 'voicemail',
        callerType: 'person_concerned',
        ageBand: '30_40',
        gender: 'male',
        concern: 'gambling',
        heardOfLine: 'press',
        outOfHours: true,
      }),
    });
    await cases.executor.execute({
      caseId,
      context: contextFor(operator),
      occurredAt: requestedAt,
      build: async (b) => ({
        type: 'RequestCallback',
        caseId,
        occurredAt: b.occurredAt,
        callbackId,
        number: await b.sealFor(`callback-${callbackId}`, 'number', '+393331234567'),
        callerPseudonym: await b.seal('callerPseudonym', 'ps_test'),
        callerLookupHint: 't',
        returningCaller: false,
      }),
    });
    return { caseId, callbackId };
  }

  it('discards a number kept longer than the configured time, once, and leaves a recent one alone', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const old = await caseWithCallback('2026-11-21T09:00:00Z'); // 99 hours before
    const recent = await caseWithCallback('2026-11-25T09:00:00Z');

    expect(await retention.sweep(now)).toEqual({ discarded: 1, orphanKeysDestroyed: 0 });
    const oldEvents = (await cases.streams.load(old.caseId)).events.map(({ event }) => event.type);
    expect(oldEvents).toEqual(['FirstContactRecorded', 'CallbackRequested', 'CallbackNumberDiscarded']);
    const loaded = await cases.streams.load(old.caseId);
    const requested = loaded.events[1]!.event;
    expect(
      await cases.vault.open(
        callbackSubject(old.caseId, old.callbackId),
        'number',
        (requested.data as { number: { keyId: string; ciphertext: string } }).number,
      ),
    ).toBeUndefined();
    expect((await cases.streams.load(recent.caseId)).events).toHaveLength(2);

    expect(await retention.sweep(now)).toEqual({ discarded: 0, orphanKeysDestroyed: 0 });
    expect((await cases.streams.load(old.caseId)).events).toHaveLength(3);
  });

  it('destroys a key whose number the case no longer holds (a crash between the event and the erasure)', async () => {
    const { caseId, callbackId } = await caseWithCallback('2026-11-25T09:00:00Z');
    // Append the completion the way the executor does, but without its erasure step, as a crash would leave it.
    const loaded = await cases.streams.load(caseId);
    const events = decide(
      {
        type: 'CompleteCallback',
        caseId,
        occurredAt: '2026-11-25T10:00:00Z',
        callbackId,
        resolution: 'caller_reached',
      },
      loaded.state,
    );
    await cases.streams.append(caseId, events, loaded.version, { actorId: 'operator-1', actorRole: 'operator' });
    const liveKeys = () =>
      sql<{
        n: number;
      }>`select count(*)::int as n from subject_keys where subject_id = ${callbackSubject(caseId, callbackId)} and wrapped_key is not null`.execute(
        cases.database.db,
      );
    expect((await liveKeys()).rows[0]!.n).toBe(1);

    expect(await retention.sweep(new Date('2026-11-25T12:00:00Z'))).toEqual({ discarded: 0, orphanKeysDestroyed: 1 });
    expect((await liveKeys()).rows[0]!.n).toBe(0);
  });
});
