import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { CasePhase, CounsellingPhase, RiskLevel } from '@helpline/domain';
import type { ProjectionDb, TableNames } from '../projection';
import type { CaseQueueTable } from './case-queue.projection';
import type { FollowUpReason, NextAction } from './case-queue.state';
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

/** A case in an operator's queue. Times are ISO-8601 UTC instants; nothing personal. */
export interface CaseQueueItem {
  readonly caseId: string;
  readonly lineId: string;
  readonly phase: CasePhase;
  /** The furthest point of the counselling path the case ever reached. */
  readonly furthestPhase: CounsellingPhase | null;
  readonly assignedOperatorId: string | null;
  /** The level of the latest risk assessment, null when none was made. */
  readonly riskLevel: RiskLevel | null;
  /** Risk high or imminent, or a safety escalation since the case was last closed. */
  readonly atRisk: boolean;
  /** Safety escalations since the case was last closed. */
  readonly safetyEscalations: number;
  readonly openedAt: string;
  readonly reopenedAt: string | null;
  readonly lastInboundContactAt: string;
  /** The later of the last inbound contact and the (re)opening: how long the caller has been waiting. */
  readonly waitingSince: string;
  /** Call-backs still to make: pending, with a number neither discarded nor erased. */
  readonly pendingCallbacks: number;
  /** The earliest due time of the pending call-backs (the line's promise, counted in its opening hours). */
  readonly callbackDueAt: string | null;
  readonly followUpDueAt: string | null;
  readonly followUpReason: FollowUpReason | null;
  readonly nextAction: NextAction | null;
  readonly nextActionDueAt: string | null;
  readonly openReferrals: number;
  /** What the caller raised at the first contact. */
  readonly concern: string | null;
  /** How the caller's last contact came in (a voicemail stands out when triaging). */
  readonly channel: string | null;
  /** Whether that contact came out of the line's opening hours. */
  readonly outOfHours: boolean;
  /** 0 (first) to 7: at risk (4), call-back overdue (2), follow-up overdue (1), each counting when absent. */
  readonly priority: number;
  readonly callbackOverdue: boolean;
  readonly followUpOverdue: boolean;
  readonly nextActionOverdue: boolean;
}

export interface CaseQueuePage extends Page<CaseQueueItem> {
  /** The instant the overdue flags and the order were computed at (a later page keeps its first page's). */
  readonly now: string;
}

export interface CaseQueueFilter {
  /** Must be one of the reader's lines to return anything. */
  readonly lineId?: string;
  readonly phase?: CasePhase;
  readonly atRisk?: boolean;
}

export const CASE_QUEUE_LIVE_TABLES: TableNames<CaseQueueTable> = Object.freeze({
  case_queue: 'case_queue',
  case_queue_cases: 'case_queue_cases',
});

const PRIORITY_LISTING = 'case-queue.priority';
const CALLBACK_LISTING = 'case-queue.callbacks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type QueueQuery = SelectQueryBuilder<any, any, any>;

/**
 * The operator queue's listings, over the live tables (or another mapping, e.g. an as-of schema).
 *
 * Listings in priority order sort by: at risk first, then a call-back overdue, then a follow-up overdue, then
 * the longest waiting, then the case id: `priority` (0-7, from the three flags) then `waitingSince` then
 * `caseId`. "Overdue" means due at or before `now`. The cursor of such a listing pins the `now` of its first
 * page, so a case does not change place between pages while the clock moves; ask again without a cursor to
 * see the queue as of a new `now`.
 */
export class CaseQueueQueries {
  constructor(
    private readonly db: ProjectionDb,
    private readonly tables: TableNames<CaseQueueTable> = CASE_QUEUE_LIVE_TABLES,
  ) {}

  /** The open cases assigned to the operator, in the reader's lines, in priority order. */
  async myQueue(operatorId: string, lines: LineScope, now: InstantInput, page?: PageRequest): Promise<CaseQueuePage> {
    if (typeof operatorId !== 'string' || operatorId.trim() === '')
      throw new ReadModelQueryError('INVALID_VALUE', 'operatorId', 'is required');
    return this.inPriorityOrder(lines, now, page, (query) => query.where('q.assigned_operator_id', '=', operatorId));
  }

  /** The open cases no operator is assigned to, in the reader's lines, in priority order. */
  async unassigned(lines: LineScope, now: InstantInput, page?: PageRequest): Promise<CaseQueuePage> {
    return this.inPriorityOrder(lines, now, page, (query) => query.where('q.assigned_operator_id', 'is', null));
  }

  /** The open cases of the reader's lines, narrowed to one line, one phase or the cases at risk, in priority order. */
  async byLineAndPhase(
    lines: LineScope,
    filter: CaseQueueFilter,
    now: InstantInput,
    page?: PageRequest,
  ): Promise<CaseQueuePage> {
    return this.inPriorityOrder(lines, now, page, (query) => {
      let narrowed = query;
      if (filter.lineId !== undefined) narrowed = narrowed.where('q.line_id', '=', filter.lineId);
      if (filter.phase !== undefined) narrowed = narrowed.where('q.phase', '=', filter.phase);
      if (filter.atRisk !== undefined) narrowed = narrowed.where('q.at_risk', '=', filter.atRisk);
      return narrowed;
    });
  }

  /** The open cases with pending call-backs, the earliest due first; `callbackOverdue` against `now`. */
  async callbackQueue(lines: LineScope, now: InstantInput, page?: PageRequest): Promise<CaseQueuePage> {
    const at = toInstant(now, 'now');
    const limit = pageLimit(page);
    const lineIds = linesToFilter(lines);
    if (lineIds?.length === 0) return { items: [], nextCursor: null, now: at };
    let query = this.select(at).where('q.callback_due_at', 'is not', null);
    if (lineIds) query = query.where('q.line_id', 'in', lineIds);
    if (page?.after) {
      const [dueAt, caseId] = decodeCursor(CALLBACK_LISTING, page.after, ['instant', 'string']);
      query = query.where(sql<SqlBool>`(q.callback_due_at, q.case_id) > (${dueAt}::timestamptz, ${caseId})`);
    }
    const rows = await query
      .orderBy('q.callback_due_at')
      .orderBy('q.case_id')
      .limit(limit + 1)
      .execute();
    return {
      ...pageOf(rows, limit, itemOf, (row) =>
        encodeCursor(CALLBACK_LISTING, [columnInstant(row.callback_due_at), row.case_id]),
      ),
      now: at,
    };
  }

  private async inPriorityOrder(
    lines: LineScope,
    now: InstantInput,
    page: PageRequest | undefined,
    narrow: (query: QueueQuery) => QueueQuery,
  ): Promise<CaseQueuePage> {
    const limit = pageLimit(page);
    let at = toInstant(now, 'now');
    let after: { priority: number; waitingSince: string; caseId: string } | undefined;
    if (page?.after) {
      const [pinnedNow, priority, waitingSince, caseId] = decodeCursor(PRIORITY_LISTING, page.after, [
        'instant',
        'number',
        'instant',
        'string',
      ]);
      at = pinnedNow as string;
      after = { priority: priority as number, waitingSince: waitingSince as string, caseId: caseId as string };
    }
    const lineIds = linesToFilter(lines);
    if (lineIds?.length === 0) return { items: [], nextCursor: null, now: at };
    const listing = () => {
      const query = narrow(this.select(at));
      return lineIds ? query.where('q.line_id', 'in', lineIds) : query;
    };
    // One branch per priority (0-7), each a page of that priority's cases in waiting order, which the indexes on
    // (line or operator, waiting_since, case_id) and the partial ones on at_risk and the due times serve without
    // sorting the queue; the page is the first of their union. Sorting every open case by a priority computed
    // at `now` cost a scan of the whole queue per request (docs/benchmarks.md).
    const branches: QueueQuery[] = [];
    for (let priority = 0; priority <= WAITING_ONLY; priority++) {
      if (after && priority < after.priority) continue;
      let branch = listing()
        .where('q.at_risk', '=', priority < 4)
        .where(
          priority & 2
            ? sql<SqlBool>`(q.callback_due_at is null or q.callback_due_at > ${at}::timestamptz)`
            : sql<SqlBool>`q.callback_due_at <= ${at}::timestamptz`,
        )
        .where(
          priority & 1
            ? sql<SqlBool>`(q.followup_due_at is null or q.followup_due_at > ${at}::timestamptz)`
            : sql<SqlBool>`q.followup_due_at <= ${at}::timestamptz`,
        );
      if (after && priority === after.priority) {
        branch = branch.where(
          sql<SqlBool>`(q.waiting_since, q.case_id) > (${after.waitingSince}::timestamptz, ${after.caseId})`,
        );
      }
      branches.push(
        this.db
          .selectFrom(
            branch
              .orderBy('q.waiting_since')
              .orderBy('q.case_id')
              .limit(limit + 1)
              .as(`p${priority}`),
          )
          .selectAll(),
      );
    }
    if (branches.length === 0) return { items: [], nextCursor: null, now: at };
    const union = branches.slice(1).reduce((all, branch) => all.unionAll(branch), branches[0]!);
    const rows = await this.db
      .selectFrom(union.as('page'))
      .selectAll()
      .orderBy('priority')
      .orderBy('waiting_since')
      .orderBy('case_id')
      .limit(limit + 1)
      .execute();
    const cursorOf = (row: Record<string, unknown>) =>
      encodeCursor(PRIORITY_LISTING, [
        at,
        Number(row.priority),
        columnInstant(row.waiting_since),
        row.case_id as string,
      ]);
    return { ...pageOf(rows, limit, itemOf, cursorOf), now: at };
  }

  private select(at: string): QueueQuery {
    return this.db
      .selectFrom(`${this.tables.case_queue} as q`)
      .selectAll('q')
      .select([
        priorityOf(at).as('priority'),
        overdue(sql.ref('q.callback_due_at'), at).as('callback_overdue'),
        overdue(sql.ref('q.followup_due_at'), at).as('followup_overdue'),
        overdue(sql.ref('q.next_action_due_at'), at).as('next_action_overdue'),
      ]);
  }
}

function overdue(dueAt: Expression<unknown>, at: string) {
  return sql<boolean>`coalesce(${dueAt} <= ${at}::timestamptz, false)`;
}

/** The priority of a case neither at risk nor overdue: the last, and most of the queue. */
const WAITING_ONLY = 7;

/** The sortable priority at `at`: lower first. Lexicographic on (at risk, call-back overdue, follow-up overdue). */
function priorityOf(at: string) {
  return sql<number>`(case when q.at_risk then 0 else 4 end
    + case when q.callback_due_at <= ${at}::timestamptz then 0 else 2 end
    + case when q.followup_due_at <= ${at}::timestamptz then 0 else 1 end)`;
}

function itemOf(row: Record<string, unknown>): CaseQueueItem {
  return {
    caseId: row.case_id as string,
    lineId: row.line_id as string,
    phase: row.phase as CasePhase,
    furthestPhase: (row.furthest_phase as CounsellingPhase | null) ?? null,
    assignedOperatorId: (row.assigned_operator_id as string | null) ?? null,
    riskLevel: (row.risk_level as RiskLevel | null) ?? null,
    atRisk: row.at_risk as boolean,
    safetyEscalations: Number(row.safety_escalations),
    openedAt: columnInstant(row.opened_at)!,
    reopenedAt: columnInstant(row.reopened_at),
    lastInboundContactAt: columnInstant(row.last_inbound_contact_at)!,
    waitingSince: columnInstant(row.waiting_since)!,
    pendingCallbacks: Number(row.pending_callbacks),
    callbackDueAt: columnInstant(row.callback_due_at),
    followUpDueAt: columnInstant(row.followup_due_at),
    followUpReason: (row.followup_reason as FollowUpReason | null) ?? null,
    nextAction: (row.next_action as NextAction | null) ?? null,
    nextActionDueAt: columnInstant(row.next_action_due_at),
    openReferrals: Number(row.open_referrals),
    concern: (row.concern as string | null) ?? null,
    channel: (row.channel as string | null) ?? null,
    outOfHours: row.out_of_hours === true,
    priority: Number(row.priority),
    callbackOverdue: row.callback_overdue as boolean,
    followUpOverdue: row.followup_overdue as boolean,
    nextActionOverdue: row.next_action_overdue as boolean,
  };
}
