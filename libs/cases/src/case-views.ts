import type { Principal } from '@helpline/auth';
import { CaseState, findSealedValues, isSealed } from '@helpline/domain';
import { formatPosition } from '@helpline/event-store';
import type { PersonalDataVault, SealedField } from '@helpline/privacy';
import { callbackSubject, caseStreamId, LoadedCase } from './case-stream.repository';

/** A case as operators and supervisors see it: where it stands, with nothing personal in it. */
export function caseView(loaded: LoadedCase) {
  const state: CaseState = loaded.state;
  return {
    caseId: loaded.caseId,
    version: loaded.version,
    lineId: state.lineId,
    status: state.status,
    phase: state.phase,
    furthestPhase: state.furthestPhase,
    openedAt: state.openedAt,
    closedAt: state.closedAt,
    outcome: state.outcome,
    contacts: state.contacts,
    lastContactAt: state.lastContactAt,
    assignedOperatorId: state.assignedOperatorId,
    risk: state.risk,
    safetyEscalations: state.safetyEscalations,
    takenInChargeByLine: state.takenInChargeByLine,
    callbacks: Object.values(state.callbacks).map((callback) => ({
      callbackId: callback.callbackId,
      requestedAt: callback.requestedAt,
      dueAt: callback.dueAt,
      status: callback.status,
      attempts: callback.attempts,
      lastAttemptOutcome: callback.lastAttemptOutcome,
      resolution: callback.resolution,
      completedAt: callback.completedAt,
      numberKept: callback.number !== null,
    })),
    referrals: Object.values(state.referrals).map((referral) => ({ ...referral })),
    sessions: Object.values(state.sessions),
    personalDataErased: state.personalDataErased,
    erasedAt: state.erasedAt,
  };
}

/**
 * A personal value as shown to someone allowed to read it; `erased` once its key is destroyed; `withheld` when it
 * is kept but is not for this reader (a call-back's number and name are for whoever makes the call).
 */
export interface OpenedValue {
  value: string | null;
  erased: boolean;
  withheld?: true;
}

/**
 * The case's history for operators and supervisors of its line: every event with who recorded it and when,
 * personal values opened with the case's keys (or marked erased). A call-back's number and name are opened only
 * for the operator the case is assigned to, who makes the call: the others read that a number is kept, not which.
 */
export async function caseHistory(loaded: LoadedCase, vault: PersonalDataVault, principal: Principal) {
  const seen: Array<{ eventIndex: number; path: string; field: SealedField }> = [];
  const shown = loaded.events.map(({ event }) => withoutCallerPseudonym(event.data));
  shown.forEach((data, eventIndex) => {
    const event = loaded.events[eventIndex]!.event;
    for (const { path, value } of findSealedValues(data)) {
      const subject =
        event.type === 'CallbackRequested'
          ? callbackSubject(loaded.caseId, (event.data as { callbackId: string }).callbackId)
          : caseStreamId(loaded.caseId);
      seen.push({ eventIndex, path, field: { subjectId: subject, field: lastSegment(path), sealed: value } });
    }
  });
  const opened =
    principal.role === 'operator' || principal.role === 'supervisor'
      ? await vault.openMany(seen.map((s) => s.field))
      : seen.map(() => undefined);
  const openedAt = new Map(seen.map((s, i) => [`${s.eventIndex}|${s.path}`, opened[i]]));
  const makesTheCall = principal.role === 'operator' && principal.id === loaded.state.assignedOperatorId;
  return {
    caseId: loaded.caseId,
    version: loaded.version,
    events: loaded.events.map(({ recorded, event }, eventIndex) => ({
      version: recorded.streamVersion,
      position: formatPosition(recorded.position),
      type: event.type,
      occurredAt: recorded.occurredAt,
      recordedAt: recorded.recordedAt,
      actor: { id: recorded.metadata.actorId, role: recorded.metadata.actorRole },
      data: replaceSealed(shown[eventIndex], '', (path): OpenedValue => {
        const value = openedAt.get(`${eventIndex}|${path}`);
        if (value === undefined) return { value: null, erased: true };
        if (event.type === 'CallbackRequested' && !makesTheCall) return { value: null, erased: false, withheld: true };
        return { value, erased: false };
      }),
    })),
  };
}

/**
 * A call-back's caller pseudonym (and its hint) is how the line recognises a number that calls again: nobody
 * reads it, and a version-1 event keeps it in clear even after erasure, so the history never shows it.
 */
function withoutCallerPseudonym(data: object): object {
  if (!('callerLookupHint' in data)) return data;
  const {
    callerPseudonym: _sealed,
    callerLookupHint: _hint,
    legacyCallerPseudonym: _legacy,
    ...shown
  } = data as Record<string, unknown>;
  return shown;
}

function lastSegment(path: string): string {
  const parts = path.split('.');
  return parts.at(-1)!;
}

function replaceSealed(value: unknown, path: string, open: (path: string) => OpenedValue): unknown {
  if (isSealed(value)) return open(path);
  if (Array.isArray(value)) return value.map((item, index) => replaceSealed(item, `${path}[${index}]`, open));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceSealed(item, path ? `${path}.${key}` : key, open)]),
    );
  }
  return value;
}
