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

/**
 * First contacts for the HTTP benchmark's open cases, on the three lines by weight, with each line's vocabulary
 * and timetable. Decided by the domain (`decide`) before they are appended, as the application does.
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

export interface Actor {
  readonly actorId: string;
  readonly actorRole: string;
}

const LINES: ReadonlyArray<readonly [LineId, number]> = [
  ['sostienimi', 0.8],
  ['psych-emergency', 0.12],
  ['employee-support', 0.08],
];

const iso = (at: number) => new Date(at).toISOString();

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
