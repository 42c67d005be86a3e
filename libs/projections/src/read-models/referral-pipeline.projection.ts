import { sql } from 'kysely';
import {
  entryOf,
  evolve,
  initialState,
  type CaseEvent,
  type CaseEventType,
  type DeclineReason,
  type ReferralState,
  type ReferralStatus,
  type ReferralWithdrawalReason,
  type SharedField,
} from '@helpline/domain';
import { defineProjection, type ProjectionTransaction, type TableNames } from '../projection';
import { indexName } from '../table-names';
import { caseEventsOf, chunks } from './case-log-events';
import { columnInstant, eventInstant, later } from './read-model-values';

export const REFERRAL_PIPELINE_TABLES = ['referral_pipeline', 'referral_pipeline_cases'] as const;
/** `referral_pipeline`: one row per referral. `referral_pipeline_cases`: the line of each case, for the referrals' rows. */
export type ReferralPipelineTable = (typeof REFERRAL_PIPELINE_TABLES)[number];

const REFERRAL_EVENTS = [
  'ReferralProposed',
  'HandoffSent',
  'HandoffAccepted',
  'HandoffDeclined',
  'AppointmentScheduled',
  'AppointmentAttended',
  'AppointmentMissed',
  'TakenIntoCare',
  'ReferralWithdrawn',
  'HandoffEscalated',
  'ReferralExpired',
] as const satisfies readonly CaseEventType[];
type ReferralEvent = Extract<CaseEvent, { type: (typeof REFERRAL_EVENTS)[number] }>;

const HANDLED: readonly CaseEventType[] = ['FirstContactRecorded', ...REFERRAL_EVENTS];

/**
 * A referral as stored (column names): the domain's `ReferralState` mapped by `pipelineRowOf`, so each time means
 * what it means on `GET /cases/{id}`. `appointment_at` is when the caller is expected at the service,
 * `appointment_scheduled_at` when the appointment was last set (the latest scheduling, as the domain keeps it).
 * `shared_fields` names what the service received, never a value. `referral` is the domain's state itself, folded
 * on by the next event.
 */
export interface ReferralRecord {
  case_id: string;
  referral_id: string;
  line_id: string | null;
  service_id: string;
  status: ReferralStatus;
  proposed_at: string;
  sent_at: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  appointment_at: string | null;
  appointment_scheduled_at: string | null;
  attended_at: string | null;
  missed_at: string | null;
  taken_into_care_at: string | null;
  withdrawn_at: string | null;
  expired_at: string | null;
  last_escalated_at: string | null;
  escalations: number;
  shared_fields: SharedField[];
  decline_reason: DeclineReason | null;
  withdrawal_reason: ReferralWithdrawalReason | null;
  updated_at: string;
  referral: ReferralState;
}

const TIME_COLUMNS = [
  'proposed_at',
  'sent_at',
  'accepted_at',
  'declined_at',
  'appointment_at',
  'appointment_scheduled_at',
  'attended_at',
  'missed_at',
  'taken_into_care_at',
  'withdrawn_at',
  'expired_at',
  'last_escalated_at',
  'updated_at',
] as const satisfies readonly (keyof ReferralRecord)[];

const UPDATED_COLUMNS = [
  'line_id',
  'service_id',
  'status',
  ...TIME_COLUMNS,
  'escalations',
  'shared_fields',
  'decline_reason',
  'withdrawal_reason',
  'referral',
] as const satisfies readonly (keyof ReferralRecord)[];

/**
 * The referral pipeline: every referral of every case through its closed loop (proposed → sent → accepted |
 * declined → appointment → attended | no-show → taken into care; withdrawn or expired on the way), with the time
 * of each step, for services' work lists, the operators' follow-up and the evaluators' funnel.
 *
 * There is one referral lifecycle, the domain's: each row keeps the referral's `ReferralState` (column `referral`),
 * the next event is folded into it with the domain's own `evolve`, and `pipelineRowOf` maps the state to the row.
 * Where the pipeline used to fold differently the domain's meaning won (version 2): `appointment_scheduled_at` is
 * the latest scheduling, as `GET /cases/{id}` serves it, no longer the first.
 */
export const referralPipelineProjection = defineProjection<ReferralPipelineTable>({
  name: 'referral-pipeline',
  version: 2,
  handles: HANDLED,
  tables: REFERRAL_PIPELINE_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<ReferralPipelineTable>) {
    const pipeline = tables.referral_pipeline;
    await trx.schema
      .createTable(tables.referral_pipeline_cases)
      .addColumn('case_id', 'text', (col) => col.primaryKey())
      .addColumn('line_id', 'text', (col) => col.notNull())
      .execute();
    await trx.schema
      .createTable(pipeline)
      .addColumn('case_id', 'text', (col) => col.notNull())
      .addColumn('referral_id', 'text', (col) => col.notNull())
      .addColumn('line_id', 'text')
      .addColumn('service_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('proposed_at', 'timestamptz', (col) => col.notNull())
      .addColumn('sent_at', 'timestamptz')
      .addColumn('accepted_at', 'timestamptz')
      .addColumn('declined_at', 'timestamptz')
      .addColumn('appointment_at', 'timestamptz')
      .addColumn('appointment_scheduled_at', 'timestamptz')
      .addColumn('attended_at', 'timestamptz')
      .addColumn('missed_at', 'timestamptz')
      .addColumn('taken_into_care_at', 'timestamptz')
      .addColumn('withdrawn_at', 'timestamptz')
      .addColumn('expired_at', 'timestamptz')
      .addColumn('last_escalated_at', 'timestamptz')
      .addColumn('escalations', 'integer', (col) => col.notNull())
      .addColumn('shared_fields', 'jsonb', (col) => col.notNull())
      .addColumn('decline_reason', 'text')
      .addColumn('withdrawal_reason', 'text')
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
      .addColumn('referral', 'jsonb', (col) => col.notNull())
      .addPrimaryKeyConstraint(indexName(pipeline, 'pkey'), ['case_id', 'referral_id'])
      .execute();
    const keyset = ['proposed_at', 'case_id', 'referral_id'];
    await trx.schema
      .createIndex(indexName(pipeline, 'by_service_status'))
      .on(pipeline)
      .columns(['service_id', 'status', ...keyset])
      .execute();
    await trx.schema
      .createIndex(indexName(pipeline, 'by_status'))
      .on(pipeline)
      .columns(['status', ...keyset])
      .execute();
    await trx.schema.createIndex(indexName(pipeline, 'by_proposed')).on(pipeline).columns(keyset).execute();
    await trx.schema
      .createIndex(indexName(pipeline, 'awaiting_service'))
      .on(pipeline)
      .columns(['service_id', 'sent_at', 'case_id', 'referral_id'])
      .where(sql.ref('status'), '=', 'sent')
      .execute();
  },

  async apply(trx: ProjectionTransaction, events, tables: TableNames<ReferralPipelineTable>) {
    const decoded = caseEventsOf(events);
    if (decoded.length === 0) return;

    const linesOfCases = new Map<string, string>();
    const opened = decoded.flatMap(({ caseId, event }) =>
      event.type === 'FirstContactRecorded' ? [{ case_id: caseId, line_id: event.data.lineId }] : [],
    );
    for (const row of opened) if (!linesOfCases.has(row.case_id)) linesOfCases.set(row.case_id, row.line_id);
    for (const part of chunks(opened)) {
      await trx
        .insertInto(tables.referral_pipeline_cases)
        .values(part)
        .onConflict((oc) => oc.column('case_id').doNothing())
        .execute();
    }

    const referralEvents = decoded.filter((item): item is { caseId: string; event: ReferralEvent } =>
      isReferralEvent(item.event),
    );
    if (referralEvents.length === 0) return;
    const unknownLines = [...new Set(referralEvents.map(({ caseId }) => caseId))].filter(
      (caseId) => !linesOfCases.has(caseId),
    );
    for (const ids of chunks(unknownLines)) {
      const rows = await trx
        .selectFrom(tables.referral_pipeline_cases)
        .select(['case_id', 'line_id'])
        .where('case_id', 'in', ids)
        .execute();
      for (const row of rows) linesOfCases.set(row.case_id as string, row.line_id as string);
    }

    const records = new Map<string, ReferralRecord>();
    const referralIds = [...new Set(referralEvents.map(({ event }) => event.data.referralId))];
    for (const ids of chunks(referralIds)) {
      const rows = await trx.selectFrom(tables.referral_pipeline).selectAll().where('referral_id', 'in', ids).execute();
      for (const row of rows) records.set(keyOf(row.case_id as string, row.referral_id as string), recordFromRow(row));
    }
    const changed = new Set<string>();
    for (const { caseId, event } of referralEvents) {
      const key = keyOf(caseId, event.data.referralId);
      const stored = records.get(key);
      const referral = evolveReferral(stored?.referral, event);
      if (!referral) continue;
      const at = eventInstant(event.data.occurredAt);
      records.set(
        key,
        pipelineRowOf(referral, {
          caseId,
          lineId: stored?.line_id ?? linesOfCases.get(caseId) ?? null,
          updatedAt: stored ? later(stored.updated_at, at)! : at,
        }),
      );
      changed.add(key);
    }
    const rows = [...changed]
      .map((key) => records.get(key)!)
      .map((record) => ({
        ...record,
        shared_fields: JSON.stringify(record.shared_fields),
        referral: JSON.stringify(record.referral),
      }));
    for (const part of chunks(rows, 200)) {
      await trx
        .insertInto(tables.referral_pipeline)
        .values(part)
        .onConflict((oc) =>
          oc
            .columns(['case_id', 'referral_id'])
            .doUpdateSet((eb) =>
              Object.fromEntries(UPDATED_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])),
            ),
        )
        .execute();
    }
  },
});

function isReferralEvent(event: CaseEvent): event is ReferralEvent {
  return (REFERRAL_EVENTS as readonly string[]).includes(event.type);
}

function keyOf(caseId: string, referralId: string): string {
  return `${caseId}\u0000${referralId}`;
}

/**
 * The referral after one more of its events, folded by the domain's own `evolve` (the case around it holds only
 * this referral: nothing else of the case changes a referral). Undefined when the event names a referral the
 * pipeline never saw proposed.
 */
function evolveReferral(referral: ReferralState | undefined, event: ReferralEvent): ReferralState | undefined {
  const { referralId } = event.data;
  const before = { ...initialState, referrals: referral ? { [referralId]: referral } : {} };
  return entryOf(evolve(before, event).referrals, referralId);
}

/** The pipeline's row of a referral: the one place the domain's `ReferralState` becomes columns. */
export function pipelineRowOf(
  referral: ReferralState,
  context: { caseId: string; lineId: string | null; updatedAt: string },
): ReferralRecord {
  const instantOrNull = (value: string | null) => (value === null ? null : eventInstant(value));
  return {
    case_id: context.caseId,
    referral_id: referral.referralId,
    line_id: context.lineId,
    service_id: referral.serviceId,
    status: referral.status,
    proposed_at: eventInstant(referral.proposedAt),
    sent_at: instantOrNull(referral.sentAt),
    accepted_at: instantOrNull(referral.acceptedAt),
    declined_at: instantOrNull(referral.declinedAt),
    appointment_at: instantOrNull(referral.appointmentAt),
    appointment_scheduled_at: instantOrNull(referral.appointmentScheduledAt),
    attended_at: instantOrNull(referral.attendedAt),
    missed_at: instantOrNull(referral.missedAt),
    taken_into_care_at: instantOrNull(referral.takenIntoCareAt),
    withdrawn_at: instantOrNull(referral.withdrawnAt),
    expired_at: instantOrNull(referral.expiredAt),
    last_escalated_at: instantOrNull(referral.lastEscalatedAt),
    escalations: referral.escalations,
    shared_fields: [...referral.sharedFields],
    decline_reason: referral.declineReason,
    withdrawal_reason: referral.withdrawalReason,
    updated_at: context.updatedAt,
    referral,
  };
}

/** A stored row read back (timestamps come as Date) in the fold's form. */
export function recordFromRow(row: Record<string, unknown>): ReferralRecord {
  const times = Object.fromEntries(TIME_COLUMNS.map((column) => [column, columnInstant(row[column])]));
  return {
    ...(row as unknown as ReferralRecord),
    ...(times as Pick<ReferralRecord, (typeof TIME_COLUMNS)[number]>),
    escalations: Number(row.escalations),
    shared_fields: (typeof row.shared_fields === 'string'
      ? JSON.parse(row.shared_fields)
      : row.shared_fields) as SharedField[],
    referral: (typeof row.referral === 'string' ? JSON.parse(row.referral) : row.referral) as ReferralState,
  };
}
