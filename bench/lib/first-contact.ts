import {
  AGE_BANDS,
  CALLER_TYPES,
  CONCERNS,
  findLine,
  GENDERS,
  HEARD_OF_LINE_SOURCES,
  isWithinOpeningHours,
  type CaseCommand,
  type Line,
  type LineId,
} from '@helpline/domain';
import { Prng } from '@helpline/seed-history';

/**
 * First contacts for the HTTP benchmark's open cases, on the three lines by weight, with each line's vocabulary
 * and timetable. Decided by the domain (`decide`) before they are appended, as the application does.
 */

/** `n` random hex digits from the seeded generator (fake ciphertexts and pseudonyms of the right shape). */
export function randomHex(rng: Prng, n: number): string {
  return Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');
}

export interface Actor {
  readonly actorId: string;
  readonly actorRole: string;
}

const LINES: Readonly<Record<LineId, number>> = { sostienimi: 0.8, 'psych-emergency': 0.12, 'employee-support': 0.08 };

const iso = (at: number) => new Date(at).toISOString();

/** A case's first contact at `at` on a line (picked by weight), with the line's vocabulary and timetable. */
export function firstContact(
  rng: Prng,
  caseId: string,
  at: number,
  lineId: LineId = rng.weighted(LINES),
): { command: CaseCommand; line: Line } {
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
    callerType: rng.weighted(
      Object.fromEntries(CALLER_TYPES.map((type, index) => [type, index === 0 ? 5 : index === 1 ? 3 : 0.5])),
    ),
    ageBand: collects('age_band') ? rng.pick(AGE_BANDS.filter((band) => band !== 'unknown')) : 'unknown',
    gender: collects('gender') ? rng.pick(GENDERS.filter((gender) => gender !== 'not_stated')) : 'not_stated',
    concern: collects('concern') ? rng.pick(CONCERNS.filter((concern) => concern !== 'not_stated')) : 'not_stated',
    heardOfLine: collects('heard_of_line')
      ? rng.pick(HEARD_OF_LINE_SOURCES.filter((source) => source !== 'not_stated'))
      : 'not_stated',
    outOfHours,
  } as CaseCommand;
  return { command, line };
}
