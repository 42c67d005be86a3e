import { findSealedValues } from '../shared/sealed';
import {
  foldSafetyEmergencyEvents,
  decideSafetyEmergency,
  initialSafetyEmergencyState,
} from './safety-emergency.decider';
import { decideSafetyRequest, foldSafetyRequestEvents } from './safety-request.decider';
import type { IncidentAtMeetingReported, SafetyRequestEvent } from './safety-request.events';
import { openEmergencyFromIncidentCommand, safetyEmergencyStreamName, safetyRequestStreamName } from './safety.streams';
import {
  EMERGENCY_KEY,
  HOUR,
  REQUEST_ID,
  UNIT_ID,
  at,
  confirmed,
  drafted,
  emergencySpec,
  emergencyEvent,
  requestCommand,
  sealedForEmergency,
  sent,
  worker,
} from './testing/safety-fixtures';

describe('stream names', () => {
  it('puts each request and each emergency in a stream of its own', () => {
    expect(safetyRequestStreamName('0b6c3f0e-1111-4222-8333-444455556666')).toBe(
      'safety-request-0b6c3f0e-1111-4222-8333-444455556666',
    );
    expect(safetyEmergencyStreamName('0b6c3f0e-1111-4222-8333-444455556666')).toBe(
      'safety-emergency-0b6c3f0e-1111-4222-8333-444455556666',
    );
  });
});

describe('an incident at a meeting opens an emergency record', () => {
  const EMERGENCY_ID = 'emergency-from-incident';
  const history: SafetyRequestEvent[] = [drafted(), sent(), confirmed()];

  // What a handler does: decide the outcome on the request, then open the emergency the outcome names.
  function reportIncident(): { reported: IncidentAtMeetingReported; requestEvents: SafetyRequestEvent[] } {
    const request = foldSafetyRequestEvents(history);
    const [reported] = decideSafetyRequest(
      requestCommand('RecordMeetingOutcome', {
        outcome: 'incident',
        incidentKind: 'physical_aggression',
        emergencyId: EMERGENCY_ID,
        occurredAt: at(73 * HOUR),
      }),
      request,
    );
    return { reported: reported as IncidentAtMeetingReported, requestEvents: [...history, reported!] };
  }

  it('builds the opening command from the request and its outcome event', () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: true,
      operationsCentreCalledAt: at(72 * HOUR + 22),
    });
    expect(command).toEqual({
      type: 'OpenEmergencyFromIncident',
      emergencyId: EMERGENCY_ID,
      requestId: REQUEST_ID,
      unitId: UNIT_ID,
      kind: 'physical_aggression',
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: true,
      operationsCentreCalledAt: at(72 * HOUR + 22),
      actor: worker,
      occurredAt: at(73 * HOUR),
    });
  });

  it('starts the emergency stream with its own first event, linked to the request', () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: false,
      operationsCentreCalledAt: at(72 * HOUR + 22),
    });
    emergencySpec
      .given([])
      .when(command)
      .then([
        emergencyEvent('EmergencyOpenedFromIncident', {
          emergencyId: EMERGENCY_ID,
          requestId: REQUEST_ID,
          unitId: UNIT_ID,
          kind: 'physical_aggression',
          startedAt: at(72 * HOUR + 20),
          colleaguesCalled: false,
          occurredAt: at(73 * HOUR),
        }),
        emergencyEvent('OperationsCentreCalled', { occurredAt: at(72 * HOUR + 22) }),
      ]);
  });

  it("does not copy the meeting's address: without a location the place is the request's", () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: false,
    });
    const events = decideSafetyEmergency(command, initialSafetyEmergencyState);
    expect(findSealedValues(events)).toEqual([]);
    expect(foldSafetyEmergencyEvents(events)).toMatchObject({
      status: 'in_progress',
      requestId: REQUEST_ID,
      sealingKeyId: null,
    });
  });

  it("takes a location elsewhere, sealed with the emergency's own key", () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: false,
      location: sealedForEmergency('stairwell'),
    });
    const state = foldSafetyEmergencyEvents(decideSafetyEmergency(command, initialSafetyEmergencyState));
    expect(state.sealingKeyId).toBe(EMERGENCY_KEY);
  });

  it('refuses an incident that started after it was reported', () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(74 * HOUR),
      colleaguesCalled: false,
    });
    emergencySpec.given([]).when(command).thenThrows('STARTED_AFTER_RECORDING', 'startedAt');
  });

  it('refuses opening the same emergency twice', () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(reported, foldSafetyRequestEvents(requestEvents), {
      startedAt: at(72 * HOUR + 20),
      colleaguesCalled: false,
    });
    const opened = decideSafetyEmergency(command, initialSafetyEmergencyState);
    emergencySpec.given(opened).when(command).thenThrows('EMERGENCY_ALREADY_RECORDED');
  });

  it('refuses opening it from a request of another unit', () => {
    const { reported, requestEvents } = reportIncident();
    const command = openEmergencyFromIncidentCommand(
      reported,
      foldSafetyRequestEvents(
        requestEvents.map((event) =>
          event.type === 'SafetyRequestDrafted' ? drafted({ unitId: 'unit-municipio-8' }) : event,
        ),
      ),
      { startedAt: at(72 * HOUR + 20), colleaguesCalled: false },
    );
    emergencySpec.given([]).when(command).thenThrows('OTHER_UNIT', 'actor.unitId');
  });
});
