import { DateTime } from 'luxon';
import {
  AGE_BANDS,
  CALLER_TYPES,
  CONCERNS,
  findLine,
  GENDERS,
  HEARD_OF_LINE_SOURCES,
  isWithinOpeningHours,
  PROBLEM_CATEGORIES,
  REQUEST_CATEGORIES,
  GOAL_KINDS,
  type CaseCommand,
  type Line,
  type LineId,
  type Sealed,
} from '@helpline/domain';

/**
 * Simulated case lives for the benchmarks' histories: what operators, services and the maintenance jobs of a
 * helpline do to a case over weeks, as domain commands with the times they happen. Every command is decided by
 * the domain (`decide`) against the case's state before its events are appended, as the application does.
 */

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same history. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll <= 0) return item;
    }
    return items[items.length - 1][0];
  }
  uuid(): string {
    const hex = (n: number) =>
      Array.from({ length: n }, () => Math.floor(this.next() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(this.next() * 4)]}${hex(3)}-${hex(12)}`;
  }
  hex(n: number): string {
    return Array.from({ length: n }, () => Math.floor(this.next() * 16).toString(16)).join('');
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Actor {
  readonly actorId: string;
  readonly actorRole: string;
}

export interface LifeStep {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly command: CaseCommand;
  readonly actor: Actor;
}

const SERVICES_BY_CONCERN: Record<string, readonly string[]> = {
  alcohol: ['esempio-serd-alcologia', 'esempio-serd-centro', 'esempio-smi-porta-romana'],
  gambling: ['esempio-serd-gioco', 'esempio-smi-lambrate'],
  gaming_internet: ['esempio-smi-spazio-giovani', 'esempio-consultorio-adolescenti'],
  default: ['esempio-serd-centro', 'esempio-serd-nord', 'esempio-serd-sud', 'esempio-smi-porta-romana', 'esempio-smi-lambrate', 'esempio-mts-centro'],
};

const LINES: ReadonlyArray<readonly [LineId, number]> = [
  ['sostienimi', 0.8],
  ['psych-emergency', 0.12],
  ['employee-support', 0.08],
];

/** A sealed value as the vault writes it (AES-GCM ciphertext, base64): the domain only checks its shape. */
function sealed(rng: Rng, keyId: string, plaintextLength: number): Sealed {
  const bytes = plaintextLength + 28;
  return { keyId, ciphertext: rng.hex(Math.ceil((bytes * 4) / 3)) };
}

const iso = (at: number) => new Date(at).toISOString();

/** A command as a script writes it: the life adds the case id and the time. */
type Draft = { readonly type: CaseCommand['type'] } & Record<string, unknown>;

/** A case's first contact at `at` on a line (picked by weight), with the line's vocabulary and timetable. */
export function firstContact(rng: Rng, caseId: string, at: number, lineId: LineId = rng.weighted(LINES)): { command: CaseCommand; line: Line } {
  const line = findLine(lineId)!;
  const occurredAt = iso(at);
  const outOfHours = !isWithinOpeningHours(line, occurredAt);
  const channels = outOfHours && line.outOfHoursChannels.length > 0 ? line.outOfHoursChannels : line.channels;
  const collects = (field: string) => (line.collectedFields as readonly string[]).includes(field);
  const command: CaseCommand = {
    type: 'RecordFirstContact',
    caseId,
    occurredAt,
    lineId,
    channel: channels[0] === 'phone' && rng.chance(0.6) ? 'phone' : rng.pick(channels),
    callerType: rng.weighted(CALLER_TYPES.map((type, index) => [type, index === 0 ? 5 : index === 1 ? 3 : 0.5] as const)),
    ageBand: collects('age_band') ? rng.pick(AGE_BANDS.filter((band) => band !== 'unknown')) : 'unknown',
    gender: collects('gender') ? rng.pick(GENDERS.filter((gender) => gender !== 'not_stated')) : 'not_stated',
    concern: collects('concern') ? rng.pick(CONCERNS.filter((concern) => concern !== 'not_stated')) : 'not_stated',
    heardOfLine: collects('heard_of_line') ? rng.pick(HEARD_OF_LINE_SOURCES.filter((source) => source !== 'not_stated')) : 'not_stated',
    outOfHours,
  } as CaseCommand;
  return { command, line };
}

/**
 * One case's life from its first contact at `openedAt`: yields its commands in time order. Probabilities are
 * rough shapes of a help line's month (most cases are a contact or two; a third are framed and oriented; some
 * are referred to a service and followed until taken into care; most are closed within weeks).
 */
export function* caseLife(rng: Rng, caseId: string, openedAt: number): Generator<LifeStep> {
  const { command: opening, line } = firstContact(rng, caseId, openedAt);
  const concern = (opening as { concern: string }).concern;
  const operator: Actor = { actorId: `operator-${rng.int(1, 40)}`, actorRole: 'operator' };
  const system: Actor = { actorId: 'system:maintenance', actorRole: 'system' };
  const caseKey = `case-key-${caseId}`;
  let t = openedAt;
  const step = (command: Draft, actor: Actor = operator): LifeStep =>
    ({ at: t, actor, command: { ...command, caseId, occurredAt: iso(t) } as CaseCommand });
  const later = (minMs: number, maxMs: number) => {
    t += minMs + Math.floor(rng.next() * (maxMs - minMs));
  };
  const note = (length: number) => sealed(rng, caseKey, length);

  yield { at: t, actor: operator, command: opening };

  if (rng.chance(0.85)) {
    later(5 * MINUTE, 2 * HOUR);
    yield step({ type: 'AssignOperator', operatorId: operator.actorId });
  }

  if (line.id === 'employee-support' || rng.chance(0.25)) {
    const callbackId = rng.uuid();
    const callbackKey = `callback-key-${callbackId}`;
    later(MINUTE, 10 * MINUTE);
    yield step({
      type: 'RequestCallback',
      callbackId,
      number: sealed(rng, callbackKey, 13),
      callerPseudonym: rng.hex(64),
      ...(line.collectedFields.includes('first_name_alias') ? { nameOrAlias: sealed(rng, callbackKey, 8) } : {}),
    });
    const failed = rng.int(0, 2);
    for (let attempt = 0; attempt < failed; attempt++) {
      later(30 * MINUTE, 5 * HOUR);
      yield step({ type: 'RecordCallbackAttempt', callbackId, outcome: rng.pick(['no_answer', 'busy', 'voicemail_left']) });
    }
    later(30 * MINUTE, 5 * HOUR);
    if (rng.chance(0.9)) {
      yield step({ type: 'RecordCallbackAttempt', callbackId, outcome: 'reached' });
      yield step({ type: 'CompleteCallback', callbackId, resolution: 'caller_reached' });
    } else {
      yield step({ type: 'CompleteCallback', callbackId, resolution: 'attempts_exhausted' });
    }
  }

  let framed = false;
  if (rng.chance(0.75)) {
    framed = true;
    later(10 * MINUTE, 2 * HOUR);
    yield step({
      type: 'FrameRequest',
      categories: [rng.pick(REQUEST_CATEGORIES), ...(rng.chance(0.3) ? [rng.pick(REQUEST_CATEGORIES)] : [])],
      ...(rng.chance(0.7) ? { note: note(rng.int(60, 400)) } : {}),
    });
  }

  const riskProbability = line.id === 'psych-emergency' ? 0.35 : 0.08;
  if (rng.chance(riskProbability)) {
    later(5 * MINUTE, 3 * DAY);
    const level = rng.weighted([
      ['low', 3],
      ['moderate', 3],
      ['high', 2],
      ['imminent', 0.5],
    ] as const);
    yield step({ type: 'FlagRisk', level, kind: rng.pick(['self_harm', 'harm_to_others', 'overdose', 'violence_suffered', 'medical', 'other']), ...(rng.chance(0.8) ? { note: note(rng.int(40, 200)) } : {}) });
    if (level === 'high' || level === 'imminent' || rng.chance(0.1)) {
      later(MINUTE, 30 * MINUTE);
      yield step({ type: 'EscalateSafety', action: rng.pick(['supervisor_alerted', 'caller_directed_to_emergency_services', 'psychiatric_emergency_contacted']) });
    }
  }

  const followUps = rng.weighted([
    [0, 4],
    [1, 3],
    [2, 2],
    [3, 1],
    [5, 0.6],
    [8, 0.3],
  ] as const);
  let reframed = false;
  let goal = false;
  for (let contact = 0; contact < followUps; contact++) {
    later(8 * HOUR, 8 * DAY);
    const channel = rng.chance(0.6) ? 'phone' : rng.pick(line.channels);
    yield step({ type: 'RecordFollowUpContact', channel, direction: rng.chance(0.7) ? 'inbound' : 'outbound', outOfHours: !isWithinOpeningHours(line, iso(t)) });
    if (framed && !reframed && rng.chance(0.6)) {
      reframed = true;
      later(5 * MINUTE, 40 * MINUTE);
      yield step({ type: 'ReframeProblem', categories: [rng.pick(PROBLEM_CATEGORIES)], ...(rng.chance(0.7) ? { note: note(rng.int(80, 500)) } : {}) });
    } else if (reframed && !goal && rng.chance(0.6)) {
      goal = true;
      later(5 * MINUTE, 40 * MINUTE);
      yield step({ type: 'SetGoal', goalKind: rng.pick(GOAL_KINDS), ...(rng.chance(0.5) ? { description: note(rng.int(40, 200)) } : {}) });
    }
    if (rng.chance(0.04)) {
      later(MINUTE, 20 * MINUTE);
      yield step({ type: 'GiveLegalAdvice', topic: rng.pick(['drug_law_sanctions', 'criminal_proceedings', 'family_law', 'employment', 'debt']), ...(rng.chance(0.5) ? { note: note(80) } : {}) });
    }
    if (rng.chance(0.06)) {
      later(HOUR, DAY);
      yield step({ type: 'AddSupervisionNote', supervisorId: `supervisor-${rng.int(1, 5)}`, note: note(rng.int(60, 300)) }, { actorId: `supervisor-${rng.int(1, 5)}`, actorRole: 'supervisor' });
    }
  }

  if (line.id !== 'employee-support' && rng.chance(0.12)) {
    const sessionId = rng.uuid();
    later(HOUR, DAY);
    const scheduledFor = t + rng.int(1, 10) * DAY;
    yield step({ type: 'ScheduleSession', sessionId, scheduledFor: iso(scheduledFor), mode: line.channels.includes('video') && rng.chance(0.5) ? 'video' : 'phone', professionalId: `professional-${rng.int(1, 8)}` });
    t = scheduledFor;
    yield rng.chance(0.8) ? step({ type: 'RecordSessionHeld', sessionId, ...(rng.chance(0.6) ? { note: note(200) } : {}) }) : step({ type: 'RecordSessionMissed', sessionId });
    if (rng.chance(0.2)) {
      later(HOUR, DAY);
      yield step({ type: 'TakeInChargeByLine', professionalId: `professional-${rng.int(1, 8)}` });
    }
  }

  let outcome: string = rng.chance(0.15) ? 'not_reachable' : 'information_given';
  if (line.id !== 'employee-support' && rng.chance(framed ? 0.45 : 0.1)) {
    const referralId = rng.uuid();
    const serviceId = rng.pick(SERVICES_BY_CONCERN[concern] ?? SERVICES_BY_CONCERN.default);
    const staff: Actor = { actorId: `staff-${serviceId}`, actorRole: 'service_staff' };
    later(10 * MINUTE, 2 * DAY);
    yield step({ type: 'ProposeReferral', referralId, serviceId });
    outcome = 'referred_to_service';
    if (rng.chance(0.85)) {
      later(HOUR, 3 * DAY);
      const shareSummary = rng.chance(0.4);
      yield step({
        type: 'SendHandoff',
        referralId,
        consent: { given: true, method: rng.pick(['verbal', 'verbal', 'written', 'message']) },
        sharedFields: ['age_band', 'concern', ...(shareSummary ? (['summary_note'] as const) : [])],
        ...(shareSummary ? { summaryNote: note(rng.int(200, 600)) } : {}),
      });
      const answer = rng.weighted([
        ['accept', 7],
        ['decline', 1.5],
        ['silence', 1.5],
      ] as const);
      if (answer === 'accept') {
        later(4 * HOUR, 5 * DAY);
        const appointmentAt = t + rng.int(3, 20) * DAY;
        const withDate = rng.chance(0.7);
        yield step({ type: 'AcceptHandoff', referralId, ...(withDate ? { appointmentAt: iso(appointmentAt) } : {}) }, staff);
        const last = yield* appointment(rng, step, staff, referralId, appointmentAt, withDate, (ms) => (t = ms), () => t);
        if (last) outcome = 'taken_into_care';
      } else if (answer === 'decline') {
        later(4 * HOUR, 5 * DAY);
        yield step({ type: 'DeclineHandoff', referralId, reason: rng.pick(['no_capacity', 'outside_catchment_area', 'not_eligible', 'not_appropriate_for_service']) }, staff);
      } else {
        later(3 * DAY, 4 * DAY);
        yield step({ type: 'EscalateHandoff', referralId }, system);
        later(10 * DAY, 14 * DAY);
        yield step({ type: 'ExpireReferral', referralId }, system);
      }
    } else {
      later(DAY, 10 * DAY);
      yield step({ type: 'WithdrawReferral', referralId, reason: rng.pick(['caller_changed_mind', 'caller_unreachable']) });
    }
  }

  // One case in eight stays open at the end of its script (still being worked, or forgotten).
  if (rng.chance(0.125)) return;
  later(DAY, 20 * DAY);
  yield step({ type: 'CloseCase', outcome, ...(rng.chance(0.5) ? { note: note(rng.int(60, 300)) } : {}) });
  if (rng.chance(0.04)) {
    later(10 * DAY, 60 * DAY);
    yield step({ type: 'ReopenCase', reason: 'caller_recontacted' });
    yield step({ type: 'RecordFollowUpContact', channel: 'phone', direction: 'inbound', outOfHours: !isWithinOpeningHours(line, iso(t)) });
    later(DAY, 10 * DAY);
    yield step({ type: 'CloseCase', outcome: 'information_given' });
  }
  if (rng.chance(0.01)) {
    later(DAY, 30 * DAY);
    yield step({ type: 'ErasePersonalData', reason: 'caller_request' }, { actorId: `supervisor-${rng.int(1, 5)}`, actorRole: 'supervisor' });
  }
}

function* appointment(
  rng: Rng,
  step: (command: Draft, actor?: Actor) => LifeStep,
  staff: Actor,
  referralId: string,
  appointmentAt: number,
  scheduledAlready: boolean,
  setTime: (ms: number) => void,
  time: () => number,
): Generator<LifeStep, boolean> {
  // An accepted handoff without a date gets one a few days later.
  if (!scheduledAlready) {
    setTime(time() + rng.int(1, 4) * DAY);
    yield step({ type: 'ScheduleAppointment', referralId, appointmentAt: iso(appointmentAt) }, staff);
  }
  setTime(Math.max(time() + HOUR, appointmentAt));
  if (rng.chance(0.75)) {
    yield step({ type: 'RecordAppointmentAttended', referralId }, staff);
    if (rng.chance(0.8)) {
      setTime(time() + rng.int(0, 7) * DAY + HOUR);
      yield step({ type: 'RecordTakenIntoCare', referralId }, staff);
      return true;
    }
    return false;
  }
  yield step({ type: 'RecordAppointmentMissed', referralId }, staff);
  return false;
}

/** An opening time in the year (Rome), more often in the daytime. */
export function openingTime(rng: Rng, yearStart: number, yearEnd: number, fraction: number): number {
  const day = DateTime.fromMillis(yearStart + Math.floor(fraction * (yearEnd - yearStart)), { zone: 'Europe/Rome' }).startOf('day');
  const hour = rng.chance(0.75) ? rng.int(9, 20) : rng.pick([0, 1, 6, 7, 8, 21, 22, 23]);
  return day.plus({ hours: hour, minutes: rng.int(0, 59), seconds: rng.int(0, 59) }).toMillis();
}
