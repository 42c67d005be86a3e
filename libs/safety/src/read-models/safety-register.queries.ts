import { sql, type SqlBool } from 'kysely';
import type { AnyKysely } from '@helpline/database';
import {
  minutesFromCallToDispatch,
  minutesFromDispatchToArrival,
  type SafetyEmergencyState,
  type SafetyRequestState,
} from '@helpline/domain';
import { SafetyQueryError } from '../safety-errors';
import { parseJson, type SafetyRecordKind } from './safety-register.projection';

/**
 * One line of the register. Requests and emergencies share the shape (a field that does not apply is null), so the
 * register reads as one table and exports as one CSV. Nothing personal: ids, units, vocabularies, times, counts.
 */
export interface SafetyRegisterItem {
  readonly kind: SafetyRecordKind;
  readonly id: string;
  readonly unitId: string;
  readonly status: string;
  readonly openedAt: string;
  // preventive requests
  readonly risk: string | null;
  readonly meetingAt: string | null;
  readonly sentAt: string | null;
  readonly late: boolean | null;
  readonly noticeMinutes: number | null;
  readonly acknowledgedAt: string | null;
  readonly informationRequests: number | null;
  readonly answer: 'confirmed' | 'declined' | null;
  readonly answeredAt: string | null;
  readonly officers: number | null;
  readonly declineReason: string | null;
  readonly outcome: string | null;
  readonly incidentKind: string | null;
  readonly cancelledAt: string | null;
  readonly cancellationReason: string | null;
  /** The emergency an incident at the meeting opened (for a request), or the request it came from (for an emergency). */
  readonly linkedId: string | null;
  // emergencies
  readonly emergencyKind: string | null;
  readonly operationsCentreCalledAt: string | null;
  readonly patrolDispatchedAt: string | null;
  readonly patrolArrivedAt: string | null;
  readonly minutesFromCallToDispatch: number | null;
  readonly minutesFromDispatchToArrival: number | null;
  readonly forcesAlerted: readonly string[] | null;
  readonly reportFiledAt: string | null;
  readonly sharedWithDirectorate: readonly string[] | null;
  readonly closedAt: string | null;
  /** When the area director erased the record's personal data; null while they are kept. */
  readonly personalDataErasedAt: string | null;
}

export const SAFETY_REGISTER_COLUMNS = [
  'kind',
  'id',
  'unitId',
  'status',
  'openedAt',
  'risk',
  'meetingAt',
  'sentAt',
  'late',
  'noticeMinutes',
  'acknowledgedAt',
  'informationRequests',
  'answer',
  'answeredAt',
  'officers',
  'declineReason',
  'outcome',
  'incidentKind',
  'cancelledAt',
  'cancellationReason',
  'linkedId',
  'emergencyKind',
  'operationsCentreCalledAt',
  'patrolDispatchedAt',
  'patrolArrivedAt',
  'minutesFromCallToDispatch',
  'minutesFromDispatchToArrival',
  'forcesAlerted',
  'reportFiledAt',
  'sharedWithDirectorate',
  'closedAt',
  'personalDataErasedAt',
] as const satisfies ReadonlyArray<keyof SafetyRegisterItem>;

/** A unit's staff read their own unit's register, drafts included; the area director reads every unit's, once sent. */
export type SafetyRegisterScope = { readonly unitId: string } | 'all';

export interface SafetyRegisterFilter {
  readonly kind?: SafetyRecordKind;
  readonly status?: string;
  /** For the director: one unit only. */
  readonly unitId?: string;
  /** Records opened in [from, to). */
  readonly from?: string;
  readonly to?: string;
}

export interface SafetyRegisterPage {
  readonly items: SafetyRegisterItem[];
  readonly nextCursor: string | null;
}

const LISTING = 'safety-register';
export const MAX_REGISTER_PAGE = 200;
/** The CSV export's ceiling; a register larger than this is exported month by month (from/to). */
export const MAX_REGISTER_EXPORT = 50_000;

export class SafetyRegisterQueries {
  constructor(private readonly db: AnyKysely) {}

  /** The newest records first, a page at a time (keyset cursor). */
  async list(
    scope: SafetyRegisterScope,
    filter: SafetyRegisterFilter,
    page: { limit?: number; after?: string | null } = {},
  ): Promise<SafetyRegisterPage> {
    const limit = page.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REGISTER_PAGE)
      throw new SafetyQueryError('limit', `must be a whole number from 1 to ${MAX_REGISTER_PAGE}`);
    let query = this.filtered(scope, filter);
    if (page.after) {
      const [openedAt, kind, id] = decodeCursor(page.after);
      query = query.where(
        sql<SqlBool>`(r.opened_at, r.record_kind, r.record_id) < (${openedAt}::timestamptz, ${kind}, ${id})`,
      );
    }
    const rows = await query
      .orderBy('r.opened_at', 'desc')
      .orderBy('r.record_kind', 'desc')
      .orderBy('r.record_id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(itemOf);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.openedAt, last.kind, last.id]) : null,
    };
  }

  /**
   * The police liaison's worklist: preventive requests sent and not yet answered (neither confirmed nor declined, nor
   * cancelled), oldest sending first. Every unit's: the liaison answers them all.
   */
  async awaitingPoliceAnswer(): Promise<SafetyRegisterItem[]> {
    const rows = await this.db
      .selectFrom('safety_register as r')
      .select(['r.record_kind', 'r.record_id', 'r.unit_id', 'r.status', 'r.opened_at', 'r.state'])
      .where('r.record_kind', '=', 'request')
      .where('r.status', '=', 'sent')
      .where('r.sent_at', 'is not', null)
      .orderBy('r.sent_at')
      .orderBy('r.record_id')
      .limit(MAX_REGISTER_EXPORT)
      .execute();
    return rows.map(itemOf).filter((item) => item.answer === null);
  }

  /** Every record in scope, oldest first, for the CSV export. */
  async all(scope: SafetyRegisterScope, filter: SafetyRegisterFilter): Promise<SafetyRegisterItem[]> {
    const rows = await this.filtered(scope, filter)
      .orderBy('r.opened_at')
      .orderBy('r.record_kind')
      .orderBy('r.record_id')
      .limit(MAX_REGISTER_EXPORT)
      .execute();
    return rows.map(itemOf);
  }

  private filtered(scope: SafetyRegisterScope, filter: SafetyRegisterFilter) {
    let query = this.db
      .selectFrom('safety_register as r')
      .select(['r.record_kind', 'r.record_id', 'r.unit_id', 'r.status', 'r.opened_at', 'r.state']);
    if (scope === 'all') {
      // The director learns of a request when it is sent; a draft is the unit's own work.
      query = query.where('r.sent_at', 'is not', null);
      if (filter.unitId !== undefined) query = query.where('r.unit_id', '=', filter.unitId);
    } else {
      query = query.where('r.unit_id', '=', scope.unitId);
    }
    if (filter.kind !== undefined) query = query.where('r.record_kind', '=', filter.kind);
    if (filter.status !== undefined) query = query.where('r.status', '=', filter.status);
    if (filter.from !== undefined) query = query.where('r.opened_at', '>=', new Date(filter.from));
    if (filter.to !== undefined) query = query.where('r.opened_at', '<', new Date(filter.to));
    return query;
  }
}

function instant(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

function itemOf(row: Record<string, unknown>): SafetyRegisterItem {
  const kind = row.record_kind as SafetyRecordKind;
  const base = {
    kind,
    id: row.record_id as string,
    unitId: row.unit_id as string,
    status: row.status as string,
    openedAt: instant(row.opened_at),
  };
  const none = {
    risk: null,
    meetingAt: null,
    sentAt: null,
    late: null,
    noticeMinutes: null,
    acknowledgedAt: null,
    informationRequests: null,
    answer: null,
    answeredAt: null,
    officers: null,
    declineReason: null,
    outcome: null,
    incidentKind: null,
    cancelledAt: null,
    cancellationReason: null,
    linkedId: null,
    emergencyKind: null,
    operationsCentreCalledAt: null,
    patrolDispatchedAt: null,
    patrolArrivedAt: null,
    minutesFromCallToDispatch: null,
    minutesFromDispatchToArrival: null,
    forcesAlerted: null,
    reportFiledAt: null,
    sharedWithDirectorate: null,
    closedAt: null,
    personalDataErasedAt: null,
  };
  if (kind === 'request') {
    const s = parseJson(row.state) as SafetyRequestState;
    return {
      ...base,
      ...none,
      risk: s.risk,
      meetingAt: s.meetingAt,
      sentAt: s.sentAt,
      late: s.late,
      noticeMinutes: s.noticeMinutes,
      acknowledgedAt: s.acknowledgedAt,
      informationRequests: s.informationRequests,
      answer: s.answer?.kind ?? null,
      answeredAt: s.answer?.answeredAt ?? null,
      officers: s.answer?.kind === 'confirmed' ? s.answer.officers : null,
      declineReason: s.answer?.kind === 'declined' ? s.answer.reason : null,
      outcome: s.outcome,
      incidentKind: s.incidentKind,
      cancelledAt: s.cancelledAt,
      cancellationReason: s.cancellationReason,
      linkedId: s.emergencyId,
      // Rows folded before erasure existed have no such field.
      personalDataErasedAt: s.personalDataErasedAt ?? null,
    };
  }
  const s = parseJson(row.state) as SafetyEmergencyState;
  return {
    ...base,
    ...none,
    sentAt: s.recordedAt,
    linkedId: s.requestId,
    emergencyKind: s.kind,
    operationsCentreCalledAt: s.operationsCentreCalledAt,
    patrolDispatchedAt: s.patrolDispatchedAt,
    patrolArrivedAt: s.patrolArrivedAt,
    minutesFromCallToDispatch: minutesFromCallToDispatch(s),
    minutesFromDispatchToArrival: minutesFromDispatchToArrival(s),
    forcesAlerted: s.forcesAlerted,
    reportFiledAt: s.reportFiledAt,
    sharedWithDirectorate: s.sharedWithDirectorate,
    closedAt: s.closedAt,
    personalDataErasedAt: s.personalDataErasedAt ?? null,
  };
}

function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify([LISTING, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 4 ||
    decoded[0] !== LISTING ||
    !decoded.slice(1).every((value) => typeof value === 'string') ||
    !Number.isFinite(Date.parse(decoded[1] as string))
  ) {
    throw new SafetyQueryError('after', 'is not a cursor returned by this listing');
  }
  return decoded.slice(1) as [string, string, string];
}

/** The register as CSV: one line per record, the columns of `SAFETY_REGISTER_COLUMNS`, lists joined with `|`. */
export function safetyRegisterCsv(items: readonly SafetyRegisterItem[]): string {
  const lines = [SAFETY_REGISTER_COLUMNS.join(',')];
  for (const item of items) lines.push(SAFETY_REGISTER_COLUMNS.map((column) => csvField(item[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return csvField(value.join('|'));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  // A spreadsheet would run a field starting like a formula: unit ids come from tokens, so neutralise it.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
