import { randomUUID } from 'node:crypto';
import type { SafetyEmergencyEvent } from '@helpline/domain';
import type { AppendResult, EventMetadata, ExpectedVersion } from '@helpline/event-store';
import { SafetyStreamRepository } from './safety-stream.repository';
import {
  contextFor,
  draftAndSend,
  hoursFromNow,
  liaison,
  officer,
  safetyOnTestDatabase,
  worker,
} from './testing/safety-harness';

/** A store that loses the emergency's append once (a crash between the request's event and the emergency's). */
class FlakyEmergencyStreams extends SafetyStreamRepository {
  failNextEmergency = false;

  override async appendEmergency(
    id: string,
    events: readonly SafetyEmergencyEvent[],
    expected: ExpectedVersion,
    metadata: EventMetadata,
    key?: string,
  ): Promise<AppendResult> {
    if (this.failNextEmergency) {
      this.failNextEmergency = false;
      throw Object.assign(new Error('connection terminated'), { code: '57P01' });
    }
    return super.appendEmergency(id, events, expected, metadata, key);
  }
}

describe('the safety command path', () => {
  let safety: Awaited<ReturnType<typeof safetyOnTestDatabase>>;
  let streams: FlakyEmergencyStreams;

  beforeAll(async () => {
    safety = await safetyOnTestDatabase((store) => (streams = new FlakyEmergencyStreams(store)));
  });
  afterAll(async () => {
    await safety?.close();
  });

  const incident = {
    incidentKind: 'verbal_aggression' as const,
    startedAt: hoursFromNow(-23.5),
    colleaguesCalled: false,
    location: 'Via Esempio 2',
  };

  it('opens the emergency of an incident even when the first attempt stopped after the request was written: the retry heals it', async () => {
    const { requestId } = await draftAndSend(safety.executor, { meetingInHours: -24 });
    const context = contextFor(worker, 'outcome-fingerprint-1');
    const request = { requestId, context, occurredAt: hoursFromNow(-23), incident, newEmergencyId: randomUUID() };
    streams.failNextEmergency = true;
    await expect(safety.executor.recordMeetingOutcome(request)).rejects.toMatchObject({ code: '57P01' });
    const afterCrash = await safety.streams.loadRequest(requestId);
    expect(afterCrash.state.outcome).toBe('incident');
    const emergencyId = afterCrash.state.emergencyId!;
    expect((await safety.streams.loadEmergency(emergencyId)).version).toBe(0);

    // The client retries the same request (no Idempotency-Key): answered from the first append, emergency opened.
    const retried = await safety.executor.recordMeetingOutcome({ ...request, newEmergencyId: randomUUID() });
    expect(retried).toMatchObject({ requestId, replayed: true, emergency: { emergencyId, version: 1 } });
    const emergency = await safety.streams.loadEmergency(emergencyId);
    expect(emergency.state).toMatchObject({
      status: 'in_progress',
      requestId,
      kind: 'verbal_aggression',
      unitId: 'unit-municipio-4',
    });
    // And once more: nothing new anywhere.
    const again = await safety.executor.recordMeetingOutcome({ ...request, newEmergencyId: randomUUID() });
    expect(again.emergency).toMatchObject({ emergencyId, version: 1, replayed: true });
    expect((await safety.streams.loadRequest(requestId)).version).toBe(afterCrash.version);
    expect((await safety.streams.loadEmergency(emergencyId)).version).toBe(1);
  });

  it('writes nothing when the emergency the incident would open is refused', async () => {
    const { requestId } = await draftAndSend(safety.executor, { meetingInHours: -24 });
    const before = (await safety.streams.loadRequest(requestId)).version;
    // The event cannot have begun after it was reported.
    await expect(
      safety.executor.recordMeetingOutcome({
        requestId,
        context: contextFor(worker),
        occurredAt: hoursFromNow(-23),
        incident: { ...incident, startedAt: hoursFromNow(-22) },
        newEmergencyId: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: 'STARTED_AFTER_RECORDING' });
    expect((await safety.streams.loadRequest(requestId)).version).toBe(before);
  });

  it('seals the personal values with the record key, readable only through the vault', async () => {
    const { requestId } = await draftAndSend(safety.executor, { meetingInHours: 72 });
    await safety.executor.executeRequestCommand({
      requestId,
      context: contextFor(liaison),
      build: async (b) => ({
        type: 'RequestMoreInformation',
        requestId,
        occurredAt: b.occurredAt,
        actor: b.actor,
        question: await b.seal('question', 'Precedenti?'),
      }),
    });
    const loaded = await safety.streams.loadRequest(requestId);
    const raw = JSON.stringify(loaded.events.map(({ recorded }) => recorded.data));
    expect(raw).not.toContain('Cognome Nome');
    expect(raw).not.toContain('Precedenti?');
    const asked = loaded.events.map(({ event }) => event).find((event) => event.type === 'MoreInformationRequested');
    expect(
      asked?.type === 'MoreInformationRequested' &&
        (await safety.vault.open(loaded.streamId, 'question', asked.data.question)),
    ).toBe('Precedenti?');
  });

  it('answers a record another unit owns as not found, before anything is decided', async () => {
    const { requestId } = await draftAndSend(safety.executor, { meetingInHours: 72 });
    const stranger = { ...officer, id: 'po-9', unitId: 'unit-municipio-8' };
    await expect(
      safety.executor.executeRequestCommand({
        requestId,
        context: contextFor(stranger),
        build: (b) => ({
          type: 'CancelSafetyRequest',
          requestId,
          occurredAt: b.occurredAt,
          actor: b.actor,
          reason: 'other',
        }),
      }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'SAFETY_REQUEST_NOT_FOUND' });
  });
});
