import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

const QUARTER_HOUR_MS = 15 * 60_000;
const CACHE_LIMIT = 200_000;

/**
 * An IANA time zone whose UTC offsets are remembered per quarter of an hour. Luxon asks the Intl API for the
 * offset of every instant it handles in a named zone (`formatToParts`), which was a third of a projection
 * rebuild's CPU (docs/benchmarks.md). A quarter hour is cached only when its first and last millisecond have the
 * same offset, so an instant inside a quarter hour in which the zone changes its offset is always asked afresh.
 */
class CachedIanaZone extends Zone {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number | null>();

  constructor(name: string) {
    super();
    this.zone = IANAZone.create(name);
  }

  override get type(): string {
    return this.zone.type;
  }
  override get name(): string {
    return this.zone.name;
  }
  get ianaName(): string {
    return this.zone.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.zone.isValid;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return this.zone.offset(ts);
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      const first = this.zone.offset(quarter * QUARTER_HOUR_MS);
      const last = this.zone.offset((quarter + 1) * QUARTER_HOUR_MS - 1);
      offset = first === last ? first : null;
      if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
      this.offsets.set(quarter, offset);
    }
    return offset ?? this.zone.offset(ts);
  }

  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
}

const zones = new Map<string, Zone>();

/** The named IANA zone for luxon (`setZone(timeZone('Europe/Rome'))`), with its offsets cached. */
export function timeZone(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    const created = new CachedIanaZone(name);
    if (!created.isValid) return IANAZone.create(name);
    zones.set(name, (zone = created));
  }
  return zone;
}
