import { sql, type SqlBool } from 'kysely';
import {
  REFERRAL_STATUSES,
  type DeclineReason,
  type ReferralStatus,
  type ReferralWithdrawalReason,
  type SharedField,
} from '@helpline/domain';
import type { ProjectionDb, TableNames } from '../projection';
import { recordFromRow, type ReferralPipelineTable } from './referral-pipeline.projection';
import {
  columnInstant,
  decodeCursor,
  encodeCursor,
  linesToFilter,
  pageLimit,
  pageOf,
  ReadModelQueryError,
  toInstant,
  type InstantInput,
  type LineScope,
  type Page,
  type PageRequest,
} from './read-model-values';

/** A referral in the pipeline. Times are ISO-8601 UTC instants; `sharedFields` are names, never values. */
export interface ReferralPipelineItem {
  readonly caseId: string;
  readonly lineId: string | null;
  readonly referralId: string;
  readonly serviceId: string;
  readonly status: ReferralStatus;
  readonly proposedAt: string;
  readonly sentAt: string | null;
  readonly acceptedAt: string | null;
  readonly declinedAt: string | null;
  /** When the caller is expected at the service (the latest schedule). */
  readonly appointmentAt: string | null;
  /** When the appointment was last set (the domain's `appointmentScheduledAt`: the latest scheduling). */
  readonly appointmentScheduledAt: string | null;
  readonly attendedAt: string | null;
  readonly missedAt: string | null;
  readonly takenIntoCareAt: string | null;
  readonly withdrawnAt: string | null;
  readonly expiredAt: string | null;
  readonly lastEscalatedAt: string | null;
  readonly escalations: number;
  readonly sharedFields: readonly SharedField[];
  readonly declineReason: DeclineReason | null;
  readonly withdrawalReason: ReferralWithdrawalReason | null;
  /** The time of the referral's latest event. */
  readonly updatedAt: string;
}

export interface ReferralPipelineFilter {
  readonly serviceId?: string;
  readonly status?: ReferralStatus | readonly ReferralStatus[];
  /** Omitted: every line (a service's staff see their service's referrals from any line). */
  readonly lines?: LineScope;
}

export interface ReferralFunnelQuery {
  readonly serviceId?: string;
  /** Referrals proposed in [from, to). */
  readonly from: InstantInput;
  readonly to: InstantInput;
  /** Omitted: every line. Pass the lines evaluators may see (Line.aggregatesVisibleToEvaluators). */
  readonly lines?: LineScope;
}

/** Per service, how many referrals proposed in the period ever reached each step. */
export interface ReferralFunnelRow {
  readonly serviceId: string;
  readonly counts: Readonly<Record<ReferralStatus, number>>;
  /** accepted / (accepted + declined); null when the service answered none. */
  readonly acceptanceRate: number | null;
  readonly medianHoursSentToAccepted: number | null;
  readonly medianHoursSentToTakenIntoCare: number | null;
}

/** A handoff sent and not answered (accepted or declined) for longer than the service's agreed response time. */
export interface OverdueHandoff {
  readonly caseId: string;
  readonly lineId: string | null;
  readonly referralId: string;
  readonly serviceId: string;
  readonly sentAt: string;
  readonly agreedHours: number;
  readonly hoursWaiting: number;
  readonly escalations: number;
  readonly lastEscalatedAt: string | null;
}

/** A service's agreed response time in hours; undefined when none is agreed (its handoffs are never flagged). */
export type AgreedHoursByService = ((serviceId: string) => number | undefined) | ReadonlyMap<string, number>;

export interface OverdueHandoffsOptions {
  readonly serviceId?: string;
  readonly lines?: LineScope;
  readonly page?: PageRequest;
}

export const REFERRAL_PIPELINE_LIVE_TABLES: TableNames<ReferralPipelineTable> = Object.freeze({
  referral_pipeline: 'referral_pipeline',
  referral_pipeline_cases: 'referral_pipeline_cases',
});

const PIPELINE_LISTING = 'referral-pipeline.by-proposal';
const INBOX_LISTING = 'referral-pipeline.handoff-inbox';
const OVERDUE_LISTING = 'referral-pipeline.overdue-handoffs';
const HOUR_MS = 3_600_000;

/** What the steps are counted from: a referral reached a step when the step's time is set. */
const STEP_COLUMN: Readonly<Record<ReferralStatus, string>> = {
  proposed: 'proposed_at',
  sent: 'sent_at',
  accepted: 'accepted_at',
  declined: 'declined_at',
  appointment_set: 'appointment_scheduled_at',
  attended: 'attended_at',
  no_show: 'missed_at',
  taken_into_care: 'taken_into_care_at',
  withdrawn: 'withdrawn_at',
  expired: 'expired_at',
};

/** The referral pipeline's listings and figures, over the live tables (or another mapping, e.g. an as-of schema). */
export class ReferralPipelineQueries {
  constructor(
    private readonly db: ProjectionDb,
    private readonly tables: TableNames<ReferralPipelineTable> = REFERRAL_PIPELINE_LIVE_TABLES,
  ) {}

  /** Referrals by service and status, the oldest proposal first. */
  async byServiceAndStatus(filter: ReferralPipelineFilter, page?: PageRequest): Promise<Page<ReferralPipelineItem>> {
    const limit = pageLimit(page);
    const lineIds = filter.lines === undefined ? null : linesToFilter(filter.lines);
    const statuses =
      filter.status === undefined ? null : typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    if (statuses?.some((status) => !REFERRAL_STATUSES.includes(status))) {
      throw new ReadModelQueryError('INVALID_VALUE', 'status', `must be among ${REFERRAL_STATUSES.join(', ')}`);
    }
    if (lineIds?.length === 0 || statuses?.length === 0) return { items: [], nextCursor: null };
    let query = this.db.selectFrom(`${this.tables.referral_pipeline} as r`).selectAll('r');
    if (filter.serviceId !== undefined) query = query.where('r.service_id', '=', filter.serviceId);
    if (statuses) query = query.where('r.status', 'in', statuses);
    if (lineIds) query = query.where('r.line_id', 'in', lineIds);
    if (page?.after) {
      const [proposedAt, caseId, referralId] = decodeCursor(PIPELINE_LISTING, page.after, [
        'instant',
        'string',
        'string',
      ]);
      query = query.where(
        sql<SqlBool>`(r.proposed_at, r.case_id, r.referral_id) > (${proposedAt}::timestamptz, ${caseId}, ${referralId})`,
      );
    }
    const rows = await query
      .orderBy('r.proposed_at')
      .orderBy('r.case_id')
      .orderBy('r.referral_id')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, itemOf, (row) =>
      encodeCursor(PIPELINE_LISTING, [columnInstant(row.proposed_at), row.case_id, row.referral_id]),
    );
  }

  /**
   * A service's handoff inbox: the referrals actually sent to it (never the ones only proposed), in the order they
   * were sent, the longest waiting first; optionally only some statuses.
   */
  async handoffInbox(
    serviceId: string,
    statuses: readonly ReferralStatus[] | undefined,
    page?: PageRequest,
  ): Promise<Page<ReferralPipelineItem>> {
    const limit = pageLimit(page);
    if (statuses?.some((status) => !REFERRAL_STATUSES.includes(status))) {
      throw new ReadModelQueryError('INVALID_VALUE', 'status', `must be among ${REFERRAL_STATUSES.join(', ')}`);
    }
    if (statuses?.length === 0) return { items: [], nextCursor: null };
    let query = this.db
      .selectFrom(`${this.tables.referral_pipeline} as r`)
      .selectAll('r')
      .where('r.service_id', '=', serviceId)
      .where('r.sent_at', 'is not', null);
    if (statuses) query = query.where('r.status', 'in', [...statuses]);
    if (page?.after) {
      const [sentAt, caseId, referralId] = decodeCursor(INBOX_LISTING, page.after, ['instant', 'string', 'string']);
      query = query.where(
        sql<SqlBool>`(r.sent_at, r.case_id, r.referral_id) > (${sentAt}::timestamptz, ${caseId}, ${referralId})`,
      );
    }
    const rows = await query
      .orderBy('r.sent_at')
      .orderBy('r.case_id')
      .orderBy('r.referral_id')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, itemOf, (row) =>
      encodeCursor(INBOX_LISTING, [columnInstant(row.sent_at), row.case_id, row.referral_id]),
    );
  }

  /**
   * The cohort of referrals proposed in [from, to), per service: how many ever reached each step, the acceptance
   * rate, and the median hours from sending to acceptance and to taking into care (PostgreSQL's
   * percentile_cont(0.5): the mean of the two middle values for an even count). Counts are raw: suppress small
   * cells before showing them to evaluators.
   */
  async funnel(query: ReferralFunnelQuery): Promise<ReferralFunnelRow[]> {
    const from = toInstant(query.from, 'from');
    const to = toInstant(query.to, 'to');
    if (from > to) throw new ReadModelQueryError('INVALID_VALUE', 'to', 'must not be before from');
    const lineIds = query.lines === undefined ? null : linesToFilter(query.lines);
    if (lineIds?.length === 0) return [];
    const hoursBetween = (start: string, end: string) =>
      sql<number>`(extract(epoch from (${sql.ref(`r.${end}`)} - ${sql.ref(`r.${start}`)})) / 3600)::float8`;
    let select = this.db
      .selectFrom(`${this.tables.referral_pipeline} as r`)
      .select('r.service_id')
      .select(
        REFERRAL_STATUSES.map((status) =>
          sql<number>`count(${sql.ref(`r.${STEP_COLUMN[status]}`)})`.as(`reached_${status}`),
        ),
      )
      .select([
        sql<number | null>`percentile_cont(0.5) within group (order by ${hoursBetween('sent_at', 'accepted_at')})`.as(
          'median_sent_to_accepted',
        ),
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by ${hoursBetween('sent_at', 'taken_into_care_at')})`.as(
          'median_sent_to_care',
        ),
      ])
      .where('r.proposed_at', '>=', from)
      .where('r.proposed_at', '<', to);
    if (query.serviceId !== undefined) select = select.where('r.service_id', '=', query.serviceId);
    if (lineIds) select = select.where('r.line_id', 'in', lineIds);
    const rows = await select.groupBy('r.service_id').orderBy('r.service_id').execute();
    return rows.map((row) => {
      const counts = Object.fromEntries(
        REFERRAL_STATUSES.map((status) => [status, Number(row[`reached_${status}`])]),
      ) as Record<ReferralStatus, number>;
      const answered = counts.accepted + counts.declined;
      return {
        serviceId: row.service_id as string,
        counts,
        acceptanceRate: answered === 0 ? null : counts.accepted / answered,
        medianHoursSentToAccepted: numberOrNull(row.median_sent_to_accepted),
        medianHoursSentToTakenIntoCare: numberOrNull(row.median_sent_to_care),
      };
    });
  }

  /**
   * Handoffs the service has not answered (status `sent`) for longer than its agreed response time at `now`, the
   * longest waiting first. Services with no agreed time are left out.
   */
  async overdueHandoffs(
    now: InstantInput,
    agreedHoursByService: AgreedHoursByService,
    options: OverdueHandoffsOptions = {},
  ): Promise<Page<OverdueHandoff>> {
    const at = toInstant(now, 'now');
    const limit = pageLimit(options.page);
    const lineIds = options.lines === undefined ? null : linesToFilter(options.lines);
    if (lineIds?.length === 0) return { items: [], nextCursor: null };
    const agreedHoursOf = (serviceId: string) =>
      typeof agreedHoursByService === 'function'
        ? agreedHoursByService(serviceId)
        : agreedHoursByService.get(serviceId);

    let waiting = this.db
      .selectFrom(`${this.tables.referral_pipeline} as r`)
      .select('r.service_id')
      .distinct()
      .where('r.status', '=', 'sent');
    if (options.serviceId !== undefined) waiting = waiting.where('r.service_id', '=', options.serviceId);
    if (lineIds) waiting = waiting.where('r.line_id', 'in', lineIds);
    const agreed = new Map<string, number>();
    for (const { service_id } of await waiting.execute()) {
      const hours = agreedHoursOf(service_id as string);
      if (hours === undefined) continue;
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
        throw new ReadModelQueryError(
          'INVALID_VALUE',
          'agreedHoursByService',
          'must give a finite, non-negative number of hours',
        );
      }
      agreed.set(service_id as string, hours);
    }
    if (agreed.size === 0) return { items: [], nextCursor: null };

    let query = this.db
      .selectFrom(`${this.tables.referral_pipeline} as r`)
      .selectAll('r')
      .where('r.status', '=', 'sent')
      .where((eb) =>
        eb.or(
          [...agreed].map(([serviceId, hours]) =>
            eb.and([
              eb('r.service_id', '=', serviceId),
              eb('r.sent_at', '<', new Date(Date.parse(at) - hours * HOUR_MS).toISOString()),
            ]),
          ),
        ),
      );
    if (lineIds) query = query.where('r.line_id', 'in', lineIds);
    if (options.page?.after) {
      const [sentAt, caseId, referralId] = decodeCursor(OVERDUE_LISTING, options.page.after, [
        'instant',
        'string',
        'string',
      ]);
      query = query.where(
        sql<SqlBool>`(r.sent_at, r.case_id, r.referral_id) > (${sentAt}::timestamptz, ${caseId}, ${referralId})`,
      );
    }
    const rows = await query
      .orderBy('r.sent_at')
      .orderBy('r.case_id')
      .orderBy('r.referral_id')
      .limit(limit + 1)
      .execute();
    return pageOf(
      rows,
      limit,
      (row) => {
        const item = itemOf(row);
        return {
          caseId: item.caseId,
          lineId: item.lineId,
          referralId: item.referralId,
          serviceId: item.serviceId,
          sentAt: item.sentAt!,
          agreedHours: agreed.get(item.serviceId)!,
          hoursWaiting: (Date.parse(at) - Date.parse(item.sentAt!)) / HOUR_MS,
          escalations: item.escalations,
          lastEscalatedAt: item.lastEscalatedAt,
        };
      },
      (row) => encodeCursor(OVERDUE_LISTING, [columnInstant(row.sent_at), row.case_id, row.referral_id]),
    );
  }
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function itemOf(row: Record<string, unknown>): ReferralPipelineItem {
  const record = recordFromRow(row);
  return {
    caseId: record.case_id,
    lineId: record.line_id,
    referralId: record.referral_id,
    serviceId: record.service_id,
    status: record.status,
    proposedAt: record.proposed_at,
    sentAt: record.sent_at,
    acceptedAt: record.accepted_at,
    declinedAt: record.declined_at,
    appointmentAt: record.appointment_at,
    appointmentScheduledAt: record.appointment_scheduled_at,
    attendedAt: record.attended_at,
    missedAt: record.missed_at,
    takenIntoCareAt: record.taken_into_care_at,
    withdrawnAt: record.withdrawn_at,
    expiredAt: record.expired_at,
    lastEscalatedAt: record.last_escalated_at,
    escalations: record.escalations,
    sharedFields: record.shared_fields,
    declineReason: record.decline_reason,
    withdrawalReason: record.withdrawal_reason,
    updatedAt: record.updated_at,
  };
}
