import { sql } from 'kysely';
import type { CaseEventType } from '@helpline/domain';
import { defineProjection, type ProjectionTransaction, type TableNames } from '../projection';
import { indexName } from '../table-names';
import { caseEventsOf, chunks } from './case-log-events';
import {
  evolveQueueCase,
  initialQueueCaseState,
  queueRecordOf,
  type CaseQueueRecord,
  type QueueCaseState,
} from './case-queue.state';

export const CASE_QUEUE_TABLES = ['case_queue', 'case_queue_cases'] as const;
/** `case_queue`: one row per open case, what the queries read. `case_queue_cases`: the projection's working state, per case. */
export type CaseQueueTable = (typeof CASE_QUEUE_TABLES)[number];

/** The events that move a case in the queue; notes, legal advice, escalated handoffs, discarded numbers and erasure do not. */
const HANDLED: readonly CaseEventType[] = [
  'FirstContactRecorded',
  'FollowUpContactRecorded',
  'CallbackRequested',
  'CallbackAttempted',
  'CallbackCompleted',
  'RequestFramed',
  'ProblemReframed',
  'GoalSet',
  'RiskFlagged',
  'SafetyEscalated',
  'ReferralProposed',
  'HandoffSent',
  'HandoffAccepted',
  'HandoffDeclined',
  'AppointmentScheduled',
  'AppointmentAttended',
  'AppointmentMissed',
  'TakenIntoCare',
  'ReferralWithdrawn',
  'ReferralExpired',
  'OperatorAssigned',
  'SessionScheduled',
  'SessionHeld',
  'SessionMissed',
  'TakenInChargeByLine',
  'CaseClosed',
  'CaseReopened',
];

const QUEUE_COLUMNS: readonly (keyof CaseQueueRecord)[] = [
  'line_id',
  'phase',
  'furthest_phase',
  'assigned_operator_id',
  'risk_level',
  'at_risk',
  'safety_escalations',
  'opened_at',
  'reopened_at',
  'last_inbound_contact_at',
  'waiting_since',
  'pending_callbacks',
  'callback_due_at',
  'followup_due_at',
  'followup_reason',
  'next_action',
  'next_action_due_at',
  'open_referrals',
  'concern',
  'channel',
  'out_of_hours',
];

/**
 * The operator queue: one row per open case with what an operator sorts by (risk, call-backs due, follow-ups
 * due, how long the caller has waited) and nothing personal. Due times are stored; whether they are overdue is
 * decided by the query, against the `now` it is asked at (see CaseQueueQueries).
 */
export const caseQueueProjection = defineProjection<CaseQueueTable>({
  name: 'case-queue',
  // 2: channel, concern and out_of_hours of the last inbound contact. 3: no call-back whose number is gone.
  version: 3,
  handles: HANDLED,
  tables: CASE_QUEUE_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<CaseQueueTable>) {
    const queue = tables.case_queue;
    await trx.schema
      .createTable(tables.case_queue_cases)
      .addColumn('case_id', 'text', (col) => col.primaryKey())
      .addColumn('state', 'jsonb', (col) => col.notNull())
      .execute();
    await trx.schema
      .createTable(queue)
      .addColumn('case_id', 'text', (col) => col.primaryKey())
      .addColumn('line_id', 'text', (col) => col.notNull())
      .addColumn('phase', 'text', (col) => col.notNull())
      .addColumn('furthest_phase', 'text')
      .addColumn('assigned_operator_id', 'text')
      .addColumn('risk_level', 'text')
      .addColumn('at_risk', 'boolean', (col) => col.notNull())
      .addColumn('safety_escalations', 'integer', (col) => col.notNull())
      .addColumn('opened_at', 'timestamptz', (col) => col.notNull())
      .addColumn('reopened_at', 'timestamptz')
      .addColumn('last_inbound_contact_at', 'timestamptz', (col) => col.notNull())
      .addColumn('waiting_since', 'timestamptz', (col) => col.notNull())
      .addColumn('pending_callbacks', 'integer', (col) => col.notNull())
      .addColumn('callback_due_at', 'timestamptz')
      .addColumn('followup_due_at', 'timestamptz')
      .addColumn('followup_reason', 'text')
      .addColumn('next_action', 'text')
      .addColumn('next_action_due_at', 'timestamptz')
      .addColumn('open_referrals', 'integer', (col) => col.notNull())
      .addColumn('concern', 'text')
      .addColumn('channel', 'text')
      .addColumn('out_of_hours', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute();
    // The priority order depends on `now`, so no index can hold it: these find the rows a listing filters on
    // (a line, an operator, the unassigned, a phase) already in waiting order. A listing reads the cases neither
    // at risk nor overdue straight from them, in order, and sorts only the others (case-queue.queries.ts).
    const waitingOrder = ['waiting_since', 'case_id'];
    await trx.schema
      .createIndex(indexName(queue, 'by_line'))
      .on(queue)
      .columns(['line_id', ...waitingOrder])
      .execute();
    await trx.schema
      .createIndex(indexName(queue, 'by_line_phase'))
      .on(queue)
      .columns(['line_id', 'phase', ...waitingOrder])
      .execute();
    await trx.schema
      .createIndex(indexName(queue, 'by_operator'))
      .on(queue)
      .columns(['assigned_operator_id', ...waitingOrder])
      .where(sql.ref('assigned_operator_id'), 'is not', null)
      .execute();
    await trx.schema
      .createIndex(indexName(queue, 'unassigned'))
      .on(queue)
      .columns(['line_id', ...waitingOrder])
      .where(sql.ref('assigned_operator_id'), 'is', null)
      .execute();
    await trx.schema
      .createIndex(indexName(queue, 'at_risk'))
      .on(queue)
      .columns(['line_id', ...waitingOrder])
      .where(sql.ref('at_risk'), '=', true)
      .execute();
    // The call-back queue is read in this order exactly.
    await trx.schema
      .createIndex(indexName(queue, 'callback_due'))
      .on(queue)
      .columns(['line_id', 'callback_due_at', 'case_id'])
      .where(sql.ref('callback_due_at'), 'is not', null)
      .execute();
    await trx.schema
      .createIndex(indexName(queue, 'followup_due'))
      .on(queue)
      .columns(['line_id', 'followup_due_at'])
      .where(sql.ref('followup_due_at'), 'is not', null)
      .execute();
  },

  async apply(trx: ProjectionTransaction, events, tables: TableNames<CaseQueueTable>) {
    const decoded = caseEventsOf(events);
    if (decoded.length === 0) return;
    const caseIds = [...new Set(decoded.map((item) => item.caseId))];
    const states = new Map<string, QueueCaseState>();
    for (const ids of chunks(caseIds)) {
      const rows = await trx
        .selectFrom(tables.case_queue_cases)
        .select(['case_id', 'state'])
        .where('case_id', 'in', ids)
        .execute();
      for (const row of rows) states.set(row.case_id as string, row.state as QueueCaseState);
    }
    for (const { caseId, event } of decoded)
      states.set(caseId, evolveQueueCase(states.get(caseId) ?? initialQueueCaseState, event));

    const touched = caseIds.map((caseId) => ({ caseId, state: states.get(caseId)! }));
    for (const part of chunks(touched)) {
      await trx
        .insertInto(tables.case_queue_cases)
        .values(part.map(({ caseId, state }) => ({ case_id: caseId, state: JSON.stringify(state) })))
        .onConflict((oc) => oc.column('case_id').doUpdateSet((eb) => ({ state: eb.ref('excluded.state') })))
        .execute();
    }
    const queued: CaseQueueRecord[] = [];
    const leaving: string[] = [];
    for (const { caseId, state } of touched) {
      const record = queueRecordOf(caseId, state);
      if (record) queued.push(record);
      else leaving.push(caseId);
    }
    for (const part of chunks(queued, 200)) {
      await trx
        .insertInto(tables.case_queue)
        .values(part)
        .onConflict((oc) =>
          oc
            .column('case_id')
            .doUpdateSet((eb) =>
              Object.fromEntries(QUEUE_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])),
            ),
        )
        .execute();
    }
    for (const part of chunks(leaving)) await trx.deleteFrom(tables.case_queue).where('case_id', 'in', part).execute();
  },
});
