import { DateTime } from 'luxon';
import {
  isWithinOpeningHours,
  nextOpening,
  SOSTIENIMI,
  type AgeBand,
  type CallerType,
  type CaseCommand,
  type CaseOutcome,
  type Channel,
  type Concern,
  type DeclineReason,
  type Gender,
  type GoalKind,
  type HeardOfLineSource,
  type Line,
  type OpeningInterval,
  type ProblemCategory,
  type RequestCategory,
} from '@helpline/domain';
import { apportion, Prng } from './prng';

/*
 * The plan of a realistic history of SostieniMi, September 2019 to November 2020, shaped on what the line
 * published (seed 004): 952 contacts, of which 606 from people directly concerned, 313 from family and
 * acquaintances, 25 from social and health workers, 4 from the media and 4 others; callers' ages 39% 50-59,
 * 33% 40-49, 21% 25-29, the younger ones marginal; a majority of women; most found the number on the web;
 * out-of-hours callers recovered by call-backs and messages; a share accompanied to SerD and SMI. The plan is
 * pure: a seed and a scale give the same commands, ids and times every time.
 */

export const HISTORY_FIRST_MONTH = '2019-09';
export const HISTORY_LAST_MONTH = '2020-11';
const ZONE = 'Europe/Rome';
const HISTORY_END = DateTime.fromISO('2020-12-01T00:00', { zone: ZONE }).toMillis() - 1;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The published figures (seed 004): contacts by type of caller, first contacts and follow-ups together. */
export const PUBLISHED_CONTACTS: Readonly<Record<CallerType, number>> = {
  person_concerned: 606,
  family_or_acquaintance: 313,
  social_or_health_worker: 25,
  media: 4,
  other: 4,
};

/** How many of each type's contacts are follow-ups of an open case rather than new cases. */
const FOLLOW_UP_SHARE: Readonly<Record<CallerType, number>> = {
  person_concerned: 0.26,
  family_or_acquaintance: 0.23,
  social_or_health_worker: 0.16,
  media: 0,
  other: 0,
};

/** Of all contacts (seed 004: 39% 50-60, 33% 40-50, 21% 25-30, "marginal" younger ones; the rest completes 100%). */
export const PUBLISHED_AGE_SHARES: Readonly<Record<AgeBand, number>> = {
  '50_60': 0.39,
  '40_50': 0.33,
  '25_30': 0.21,
  '30_40': 0.03,
  under_25: 0.02,
  over_60: 0.01,
  unknown: 0.01,
};

/** Launch in September 2019, the spring 2020 lockdown, the autumn's second wave. */
const MONTH_WEIGHTS: Readonly<Record<string, number>> = {
  '2019-09': 38,
  '2019-10': 52,
  '2019-11': 56,
  '2019-12': 44,
  '2020-01': 55,
  '2020-02': 58,
  '2020-03': 74,
  '2020-04': 80,
  '2020-05': 66,
  '2020-06': 55,
  '2020-07': 48,
  '2020-08': 36,
  '2020-09': 58,
  '2020-10': 64,
  '2020-11': 70,
};

const GENDER_WEIGHTS: Readonly<Record<CallerType, Readonly<Record<Gender, number>>>> = {
  person_concerned: { female: 50, male: 48, non_binary: 1, not_stated: 1 },
  family_or_acquaintance: { female: 72, male: 26, non_binary: 0, not_stated: 2 },
  social_or_health_worker: { female: 70, male: 30, non_binary: 0, not_stated: 0 },
  media: { female: 50, male: 50, non_binary: 0, not_stated: 0 },
  other: { female: 50, male: 40, non_binary: 0, not_stated: 10 },
};

const CONCERN_WEIGHTS: Readonly<Record<Concern, number>> = {
  cocaine: 25,
  alcohol: 22,
  gambling: 11,
  heroin_opioids: 9,
  cannabis: 9,
  polydrug: 8,
  prescription_drugs: 3,
  synthetic_drugs: 3,
  gaming_internet: 3,
  other_behaviour: 2,
  other: 3,
  not_stated: 2,
};

const HEARD_WEIGHTS: Readonly<Record<HeardOfLineSource, number>> = {
  web_search: 46,
  social_media: 15,
  services: 12,
  word_of_mouth: 11,
  press: 6,
  posters: 5,
  other: 3,
  not_stated: 2,
};

const IN_HOURS_CHANNELS = { phone: 84, whatsapp: 6, email: 4, sms: 3, chat_social: 3 } as const satisfies Partial<
  Record<Channel, number>
>;
const OUT_OF_HOURS_CHANNELS = {
  voicemail: 45,
  whatsapp: 25,
  sms: 14,
  email: 10,
  chat_social: 6,
} as const satisfies Partial<Record<Channel, number>>;
const OUT_OF_HOURS_SHARE = 0.18;

const SERD_AND_SMI = [
  'esempio-serd-centro',
  'esempio-serd-nord',
  'esempio-serd-sud',
  'esempio-smi-porta-romana',
  'esempio-smi-lambrate',
];
/** The directory services the history refers to (they must be active in the directory). */
export const HISTORY_SERVICE_IDS = [
  ...SERD_AND_SMI,
  'esempio-serd-alcologia',
  'esempio-serd-gioco',
  'esempio-smi-spazio-giovani',
] as const;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type PlannedCaseCommand = DistributiveOmit<CaseCommand, 'caseId' | 'occurredAt'>;

/** A command of the history: a case command, or a call-back request whose number is sealed when it is sent. */
export type PlannedStep =
  | { readonly kind: 'command'; readonly command: PlannedCaseCommand }
  | { readonly kind: 'callback'; readonly callbackId: string; readonly phone: string };

export interface PlannedCommand {
  readonly caseId: string;
  /** When it happened (UTC ISO). */
  readonly at: string;
  readonly step: PlannedStep;
  /** Who sends it: the line's operator, or the staff of the service a handoff went to. */
  readonly actor: { readonly role: 'operator' } | { readonly role: 'service_staff'; readonly serviceId: string };
  readonly opensCase: boolean;
}

export interface HistoryPlan {
  readonly seed: number;
  readonly scale: number;
  readonly cases: number;
  readonly contacts: number;
  readonly contactsByCallerType: Readonly<Record<CallerType, number>>;
  /** Every command, in the order they happened. */
  readonly commands: readonly PlannedCommand[];
}

interface CaseDraft {
  readonly caseId: string;
  readonly openedAt: number;
  readonly callerType: CallerType;
  followUps: number;
  ageBand: AgeBand;
  readonly index: number;
}

interface Step {
  at: number;
  step: PlannedStep;
  actor: PlannedCommand['actor'];
}

export function planHistory(options: { seed?: number; scale?: number } = {}): HistoryPlan {
  const seed = options.seed ?? 2019;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale must be a positive number');
  const rng = new Prng(seed);
  const line = SOSTIENIMI;

  // How many contacts, cases and follow-ups of each type of caller: exactly the published figures times the scale.
  const contactsByType = Object.fromEntries(
    Object.entries(PUBLISHED_CONTACTS).map(([type, n]) => [type, Math.round(n * scale)]),
  ) as Record<CallerType, number>;
  const followUpsByType = Object.fromEntries(
    Object.entries(contactsByType).map(([type, n]) => [type, Math.round(n * FOLLOW_UP_SHARE[type as CallerType])]),
  ) as Record<CallerType, number>;
  const types = Object.keys(contactsByType) as CallerType[];
  const callerTypes = rng.shuffle(
    types.flatMap((type) => Array.from({ length: contactsByType[type] - followUpsByType[type] }, () => type)),
  );

  // When cases open: months by weight, then a day, then in hours or not.
  const perMonth = apportion(callerTypes.length, MONTH_WEIGHTS);
  const openings: number[] = [];
  for (const [month, count] of Object.entries(perMonth)) {
    const first = DateTime.fromFormat(month, 'yyyy-LL', { zone: ZONE });
    for (let i = 0; i < count; i++) {
      const day = first.plus({ days: rng.int(0, first.daysInMonth! - 1) });
      openings.push(rng.chance(OUT_OF_HOURS_SHARE) ? outOfHoursTime(line, day, rng) : inHoursTime(line, day, rng));
    }
  }
  openings.sort((a, b) => a - b);
  const cases: CaseDraft[] = openings.map((openedAt, index) => ({
    caseId: rng.uuid(),
    openedAt,
    callerType: callerTypes[index]!, // one caller type was drawn per opening
    followUps: 0,
    ageBand: 'unknown',
    index,
  }));

  // Follow-ups: spread over the cases of their type that leave room for one before the history ends.
  for (const type of types) {
    // The cases still below four follow-ups, in case order; one leaves the list when it reaches four (the same
    // picks as filtering the list again before each pick, without its quadratic cost at large scales).
    const candidates = cases.filter((c) => c.callerType === type && c.openedAt < HISTORY_END - 8 * DAY);
    for (let k = 0; k < followUpsByType[type]; k++) {
      const chosen = rng.pick(candidates);
      if (++chosen.followUps >= 4) candidates.splice(candidates.indexOf(chosen), 1);
    }
  }

  // Age bands: the published shares of all contacts, a case's contacts weighing with it.
  assignAgeBands(cases, rng);

  const phones: string[] = [];
  const steps: Array<Step & { caseIndex: number; seq: number }> = [];
  for (const draft of cases) {
    const caseSteps = planCase(draft, line, rng, phones);
    caseSteps.sort((a, b) => a.at - b.at);
    caseSteps.forEach((step, seq) => {
      if (step.at <= HISTORY_END) steps.push({ ...step, caseIndex: draft.index, seq });
    });
  }
  steps.sort((a, b) => a.at - b.at || a.caseIndex - b.caseIndex || a.seq - b.seq);
  const commands: PlannedCommand[] = steps.map((planned) => ({
    caseId: cases[planned.caseIndex]!.caseId,
    at: new Date(planned.at).toISOString(),
    step: planned.step,
    actor: planned.actor,
    opensCase: planned.seq === 0,
  }));
  const contacts = types.reduce((sum, type) => sum + contactsByType[type], 0);
  return { seed, scale, cases: cases.length, contacts, contactsByCallerType: contactsByType, commands };
}

function assignAgeBands(cases: CaseDraft[], rng: Prng): void {
  const totalContacts = cases.reduce((sum, c) => sum + 1 + c.followUps, 0);
  const targets = apportion(totalContacts, PUBLISHED_AGE_SHARES);
  const assigned = Object.fromEntries(Object.keys(targets).map((band) => [band, 0])) as Record<AgeBand, number>;
  // Heaviest cases first, each to the band furthest from its target: the shares come out within a contact or two.
  const order = rng.shuffle([...cases]).sort((a, b) => b.followUps - a.followUps);
  for (const draft of order) {
    const weight = 1 + draft.followUps;
    let best: AgeBand = 'unknown';
    let bestGap = -Infinity;
    for (const band of Object.keys(targets) as AgeBand[]) {
      const gap = targets[band] - assigned[band] - weight / 2;
      if (gap > bestGap) {
        best = band;
        bestGap = gap;
      }
    }
    draft.ageBand = best;
    assigned[best] += weight;
  }
}

/** Every step of one case, from its first contact to its closing (unordered; the caller sorts them). */
function planCase(draft: CaseDraft, line: Line, rng: Prng, phones: string[]): Step[] {
  const steps: Step[] = [];
  const operator = { role: 'operator' } as const;
  const add = (at: number, command: PlannedCaseCommand, actor: PlannedCommand['actor'] = operator) =>
    steps.push({ at, step: { kind: 'command', command }, actor });
  const t0 = draft.openedAt;
  const outOfHours = !isOpen(line, t0);
  const channel: Channel = outOfHours ? rng.weighted(OUT_OF_HOURS_CHANNELS) : rng.weighted(IN_HOURS_CHANNELS);
  const type = draft.callerType;
  add(t0, {
    type: 'RecordFirstContact',
    lineId: line.id,
    channel,
    callerType: type,
    ageBand: draft.ageBand,
    gender: rng.weighted(GENDER_WEIGHTS[type]),
    concern:
      type === 'media' || type === 'other'
        ? rng.weighted({ not_stated: 2, other: 1, cocaine: 1 })
        : rng.weighted(CONCERN_WEIGHTS),
    heardOfLine: rng.weighted(HEARD_WEIGHTS),
    outOfHours,
  });

  const newCallback = (at: number) => {
    const callbackId = rng.uuid();
    const returning = phones.length > 0 && rng.chance(0.12);
    const phone = returning ? rng.pick(phones) : `+39 3${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
    if (!returning) phones.push(phone);
    steps.push({ at, step: { kind: 'callback', callbackId, phone }, actor: operator });
    return callbackId;
  };

  // When the operator first talks with the caller: at once in hours; out of hours, when a call-back reaches them.
  let conversation: number | null = t0;
  let reachable = true;
  if (outOfHours) {
    const opening = Date.parse(nextOpening(line, new Date(t0).toISOString()));
    if (channel === 'email' || channel === 'chat_social' || !rng.chance(0.85)) {
      conversation = opening + rng.int(10, 180) * MINUTE;
    } else {
      const callbackId = newCallback(t0 + 2 * MINUTE);
      const first = opening + rng.int(5, 120) * MINUTE;
      if (rng.chance(0.75)) {
        add(first, { type: 'RecordCallbackAttempt', callbackId, outcome: 'reached' });
        add(first + MINUTE, { type: 'CompleteCallback', callbackId, resolution: 'caller_reached' });
        conversation = first + 2 * MINUTE;
      } else {
        add(first, {
          type: 'RecordCallbackAttempt',
          callbackId,
          outcome: rng.pick(['no_answer', 'busy', 'voicemail_left'] as const),
        });
        const second =
          Date.parse(nextOpening(line, new Date(first + 20 * HOUR).toISOString())) + rng.int(20, 200) * MINUTE;
        if (rng.chance(0.5)) {
          add(second, { type: 'RecordCallbackAttempt', callbackId, outcome: 'reached' });
          add(second + MINUTE, { type: 'CompleteCallback', callbackId, resolution: 'caller_reached' });
          conversation = second + 2 * MINUTE;
        } else {
          add(second, { type: 'RecordCallbackAttempt', callbackId, outcome: 'no_answer' });
          add(second + MINUTE, { type: 'CompleteCallback', callbackId, resolution: 'attempts_exhausted' });
          conversation = null;
          reachable = false;
        }
      }
    }
  } else if (type !== 'media' && rng.chance(0.12)) {
    // The caller asks to be called back at a better time.
    const callbackId = newCallback(t0 + MINUTE);
    const back = inHoursTime(line, DateTime.fromMillis(t0, { zone: ZONE }).plus({ days: 1 }).startOf('day'), rng);
    add(back, { type: 'RecordCallbackAttempt', callbackId, outcome: 'reached' });
    add(back + MINUTE, { type: 'CompleteCallback', callbackId, resolution: 'caller_reached' });
  }

  // Follow-up contacts, on distinct later days, in hours; the caller may come back even if the call-back failed.
  const base = conversation ?? t0;
  const room = Math.floor((HISTORY_END - base) / DAY) - 1;
  const days = new Set<number>();
  while (days.size < Math.min(draft.followUps, Math.max(0, room)))
    days.add(rng.int(1, Math.max(1, Math.min(45, room))));
  const followUps = [...days]
    .sort((a, b) => a - b)
    .map((d) => inHoursTime(line, DateTime.fromMillis(base, { zone: ZONE }).plus({ days: d }).startOf('day'), rng));
  for (const at of followUps) {
    add(at, {
      type: 'RecordFollowUpContact',
      channel: rng.weighted({ phone: 75, whatsapp: 15, email: 5, sms: 5 }),
      direction: rng.chance(0.55) ? 'inbound' : 'outbound',
      // Planned in the day's hours, unless the day is a holiday of the line.
      outOfHours: !isOpen(line, at),
    });
  }
  if (!reachable && followUps[0] !== undefined) conversation = followUps[0];

  let outcome: CaseOutcome = reachable ? 'information_given' : 'not_reachable';
  let last = Math.max(t0, ...steps.map((s) => s.at));
  if (conversation !== null) {
    const counselling = planCounselling(draft, conversation, followUps, rng, add);
    outcome = counselling.outcome;
    last = Math.max(last, counselling.last);
  }

  // Most cases are closed some days after the last thing that happened; some stay open.
  if (rng.chance(0.9)) {
    const closedAt = inHoursTime(
      line,
      DateTime.fromMillis(Math.max(last, ...steps.map((s) => s.at)), { zone: ZONE })
        .plus({ days: rng.int(2, 20) })
        .startOf('day'),
      rng,
    );
    add(closedAt, { type: 'CloseCase', outcome });
    if (rng.chance(0.01)) add(closedAt + 30 * DAY, { type: 'ErasePersonalData', reason: 'caller_request' });
  }
  return steps;
}

const REQUESTS: Readonly<Record<CallerType, readonly RequestCategory[]>> = {
  person_concerned: [
    'listening',
    'information_on_addictions',
    'psychological_support',
    'information_on_services',
    'accompaniment_to_services',
  ],
  family_or_acquaintance: [
    'support_for_a_relative',
    'information_on_services',
    'listening',
    'information_on_substances',
  ],
  social_or_health_worker: ['information_on_services', 'accompaniment_to_services'],
  media: ['other'],
  other: ['information_on_services', 'other', 'legal_information'],
};
const PROBLEMS: Readonly<Record<CallerType, readonly ProblemCategory[]>> = {
  person_concerned: [
    'own_substance_use',
    'own_substance_use',
    'own_behavioural_addiction',
    'mental_health',
    'loneliness_isolation',
    'work_stress',
  ],
  family_or_acquaintance: ['relative_addiction', 'relative_addiction', 'family_relationships', 'violence'],
  social_or_health_worker: ['relative_addiction', 'housing_or_income'],
  media: ['other'],
  other: ['other'],
};
const GOALS: Readonly<Record<CallerType, readonly GoalKind[]>> = {
  person_concerned: [
    'contact_a_service',
    'start_treatment',
    'reduce_or_stop_use',
    'understand_the_problem',
    'follow_up_with_line',
  ],
  family_or_acquaintance: ['support_a_relative', 'contact_a_service', 'manage_emotions', 'follow_up_with_line'],
  social_or_health_worker: ['contact_a_service'],
  media: ['other'],
  other: ['other'],
};
const DECLINE_REASONS: readonly DeclineReason[] = [
  'no_capacity',
  'outside_catchment_area',
  'not_eligible',
  'already_in_care_elsewhere',
];

/** Framing, reframing, goal, and for some an accompaniment to a SerD or SMI; returns the outcome to close with. */
function planCounselling(
  draft: CaseDraft,
  conversation: number,
  followUps: readonly number[],
  rng: Prng,
  add: (at: number, command: PlannedCaseCommand, actor?: PlannedCommand['actor']) => void,
): { outcome: CaseOutcome; last: number } {
  const type = draft.callerType;
  let last = conversation;
  const at = (time: number) => {
    last = Math.max(last, time);
    return time;
  };
  if (type === 'media' || type === 'other') {
    add(at(conversation + 3 * MINUTE), { type: 'FrameRequest', categories: [rng.pick(REQUESTS[type])] });
    return {
      outcome:
        type === 'media'
          ? 'information_given'
          : rng.pick(['information_given', 'other', 'inappropriate_contact'] as const),
      last,
    };
  }
  const counsels = type !== 'social_or_health_worker';
  if (!rng.chance(counsels ? 0.93 : 0.96))
    return { outcome: rng.pick(['caller_withdrew', 'inappropriate_contact', 'information_given'] as const), last };
  add(at(conversation + 3 * MINUTE), { type: 'FrameRequest', categories: [rng.pick(REQUESTS[type])] });
  // The "real problem" and the goal may come in the same call or at the first follow-up.
  const later = followUps[0] !== undefined && rng.chance(0.35) ? followUps[0] : conversation;
  const reframed = rng.chance(counsels ? 0.62 : 0.3);
  if (reframed) add(at(later + 12 * MINUTE), { type: 'ReframeProblem', categories: [rng.pick(PROBLEMS[type])] });
  const goal = reframed && rng.chance(0.72);
  if (goal) add(at(later + 20 * MINUTE), { type: 'SetGoal', goalKind: rng.pick(GOALS[type]) });

  if (counsels && goal && rng.chance(0.05)) {
    add(at(later + DAY + 2 * HOUR), { type: 'TakeInChargeByLine', professionalId: 'seed-psychologist' });
    return { outcome: 'taken_in_charge_by_line', last };
  }
  const referralChance =
    type === 'person_concerned' ? (goal ? 0.42 : 0.06) : type === 'family_or_acquaintance' ? (goal ? 0.3 : 0.03) : 0.35;
  if (!rng.chance(referralChance))
    return {
      outcome: rng.weighted({
        information_given: 74,
        caller_withdrew: 14,
        other: 6,
        not_reachable: 4,
        inappropriate_contact: 2,
      }),
      last,
    };

  const firstService = serviceFor(draft, rng);
  let outcome = referral(firstService, at(later + 25 * MINUTE));
  if (outcome === 'declined') {
    if (rng.chance(0.55))
      outcome = referral(rng.pick(SERD_AND_SMI.filter((id) => id !== firstService)), at(last + DAY));
    else outcome = 'information_given';
  }
  return { outcome: outcome === 'declined' ? 'information_given' : outcome, last };

  function referral(serviceId: string, proposedAt: number): CaseOutcome | 'declined' {
    const referralId = rng.uuid();
    const service = { role: 'service_staff', serviceId } as const;
    add(proposedAt, { type: 'ProposeReferral', referralId, serviceId });
    if (rng.chance(0.08)) {
      add(at(proposedAt + 3 * DAY), { type: 'WithdrawReferral', referralId, reason: 'caller_changed_mind' });
      return 'caller_withdrew';
    }
    const sentAt = at(serviceTime(proposedAt + DAY, rng));
    add(sentAt, {
      type: 'SendHandoff',
      referralId,
      consent: { given: true, method: rng.chance(0.8) ? 'verbal' : 'message' },
      sharedFields: ['age_band', 'gender', 'concern'],
    });
    const answeredAt = at(serviceTime(sentAt + rng.int(1, 6) * DAY, rng));
    if (!rng.chance(0.78)) {
      add(answeredAt, { type: 'DeclineHandoff', referralId, reason: rng.pick(DECLINE_REASONS) }, service);
      return 'declined';
    }
    const appointmentAt = serviceTime(answeredAt + rng.int(3, 14) * DAY, rng);
    add(
      answeredAt,
      { type: 'AcceptHandoff', referralId, appointmentAt: new Date(appointmentAt).toISOString() },
      service,
    );
    if (!rng.chance(0.72)) {
      add(at(appointmentAt + 2 * HOUR), { type: 'RecordAppointmentMissed', referralId }, service);
      return 'referred_to_service';
    }
    add(at(appointmentAt + HOUR), { type: 'RecordAppointmentAttended', referralId }, service);
    add(
      at(serviceTime(appointmentAt + rng.int(0, 7) * DAY + 2 * HOUR, rng)),
      { type: 'RecordTakenIntoCare', referralId },
      service,
    );
    return 'taken_into_care';
  }
}

function serviceFor(draft: CaseDraft, rng: Prng): string {
  if (draft.ageBand === 'under_25' || draft.ageBand === '25_30')
    return rng.chance(0.4) ? 'esempio-smi-spazio-giovani' : rng.pick(SERD_AND_SMI);
  return rng.chance(0.2) ? rng.pick(['esempio-serd-alcologia', 'esempio-serd-gioco']) : rng.pick(SERD_AND_SMI);
}

// ---- times ----

/** The domain's own answer, so that a contact on a holiday of the line's calendar is out of hours. */
function isOpen(line: Line, at: number): boolean {
  return isWithinOpeningHours(line, new Date(at).toISOString());
}

function intervalsOn(line: Line, day: DateTime): Array<[number, number]> {
  if (line.openingHours.kind !== 'weekly') return [[day.toMillis(), day.plus({ days: 1 }).toMillis()]];
  return line.openingHours.intervals
    .filter((interval: OpeningInterval) => interval.weekdays.includes(day.weekday as never))
    .map((interval): [number, number] => [atTime(day, interval.opens), atTime(day, interval.closes)]);
}

function atTime(day: DateTime, time: string): number {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

/** Openings are only planned on days the line is open. */
function firstIntervalOn(line: Line, day: DateTime): readonly [number, number] {
  const [first] = intervalsOn(line, day);
  if (!first) throw new Error(`line ${line.id} has no hours on ${day.toISODate()}`);
  return first;
}

/** A minute within the line's hours on that day (leaving the last ten minutes of the shift). */
function inHoursTime(line: Line, day: DateTime, rng: Prng): number {
  const [start, end] = firstIntervalOn(line, day);
  return start + rng.int(0, Math.max(0, (end - start) / MINUTE - 10)) * MINUTE;
}

/** A minute on that day between 07:00 and midnight when the line is closed. */
function outOfHoursTime(line: Line, day: DateTime, rng: Prng): number {
  const [start, end] = firstIntervalOn(line, day);
  const morning = day.set({ hour: 7 }).toMillis();
  const midnight = day.plus({ days: 1 }).startOf('day').toMillis();
  const before = Math.max(0, (start - morning) / MINUTE);
  const after = (midnight - end) / MINUTE;
  const roll = rng.int(0, before + after - 1);
  return roll < before ? morning + roll * MINUTE : end + (roll - before) * MINUTE;
}

/** A working-hours minute (10:00 to 16:00, Rome) on the day of `from` or, if that is past, the next day. */
function serviceTime(from: number, rng: Prng): number {
  let day = DateTime.fromMillis(from, { zone: ZONE }).startOf('day');
  const candidate = day.set({ hour: 10 }).toMillis() + rng.int(0, 359) * MINUTE;
  if (candidate > from) return candidate;
  day = day.plus({ days: 1 });
  return day.set({ hour: 10 }).toMillis() + rng.int(0, 359) * MINUTE;
}
