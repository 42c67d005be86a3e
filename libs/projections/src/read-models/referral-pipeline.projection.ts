import { sql } from 'kysely';
import type {
  CaseEvent,
  CaseEventType,
  DeclineReason,
  ReferralStatus,
  ReferralWithdrawalReason,
  SharedField,
} from '@helpline/domain';
import { defineProjection, type ProjectionTransaction, type TableNames } from '../projection';
import { indexName } from '../table-names';
import { caseEventsOf, chunks } from './case-log-events';
import { columnInstant, eventInstant } from './read-model-values';

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
 * A referral as stored (column names). Each step's time is when the step was first reached; `appointment_at` is
 * when the caller is expected at the service (the latest schedule), `appointment_scheduled_at` when an
 * appointment was first set. `shared_fields` names what the service received, never a value.
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
] as const satisfies readonly (keyof ReferralRecord)[];

/**
 * The referral pipeline: every referral of every case through its closed loop (proposed → sent → accepted |
 * declined → appointment → attended | no-show → taken into care; withdrawn or expired on the way), with the time
 * of each step, for services' work lists, the operators' follow-up and the evaluators' funnel.
 */
export const referralPipelineProjection = defineProjection<ReferralPipelineTable>({
  name: 'referral-pipeline',
  version: 1,
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
      const next = evolveReferral(records.get(key), event, caseId, linesOfCases.get(caseId) ?? null);
      if (next) {
        records.set(key, next);
        changed.add(key);
      }
    }
    const rows = [...changed]
      .map((key) => records.get(key)!)
      .map((record) => ({ ...record, shared_fields: JSON.stringify(record.shared_fields) }));
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

/** The referral after one more of its events; undefined when the event names a referral never proposed. */
export function evolveReferral(
  record: ReferralRecord | undefined,
  event: ReferralEvent,
  caseId: string,
  lineId: string | null,
): ReferralRecord | undefined {
  const at = eventInstant(event.data.occurredAt);
  if (event.type === 'ReferralProposed') {
    if (record) return record;
    return {
      case_id: caseId,
      referral_id: event.data.referralId,
      line_id: lineId,
      service_id: event.data.serviceId,
      status: 'proposed',
      proposed_at: at,
      sent_at: null,
      accepted_at: null,
      declined_at: null,
      appointment_at: null,
      appointment_scheduled_at: null,
      attended_at: null,
      missed_at: null,
      taken_into_care_at: null,
      withdrawn_at: null,
      expired_at: null,
      last_escalated_at: null,
      escalations: 0,
      shared_fields: [],
      decline_reason: null,
      withdrawal_reason: null,
      updated_at: at,
    };
  }
  if (!record) return undefined;
  const base = {
    ...record,
    line_id: record.line_id ?? lineId,
    updated_at: at > record.updated_at ? at : record.updated_at,
  };
  switch (event.type) {
    case 'HandoffSent':
      return {
        ...base,
        status: 'sent',
        sent_at: record.sent_at ?? at,
        service_id: event.data.serviceId,
        shared_fields: [...event.data.sharedFields],
      };
    case 'HandoffAccepted':
      return { ...base, status: 'accepted', accepted_at: record.accepted_at ?? at };
    case 'HandoffDeclined':
      return { ...base, status: 'declined', declined_at: record.declined_at ?? at, decline_reason: event.data.reason };
    case 'AppointmentScheduled':
      return {
        ...base,
        status: 'appointment_set',
        appointment_at: eventInstant(event.data.appointmentAt),
        appointment_scheduled_at: record.appointment_scheduled_at ?? at,
      };
    case 'AppointmentAttended':
      return { ...base, status: 'attended', attended_at: record.attended_at ?? at };
    case 'AppointmentMissed':
      return { ...base, status: 'no_show', missed_at: record.missed_at ?? at };
    case 'TakenIntoCare':
      return { ...base, status: 'taken_into_care', taken_into_care_at: record.taken_into_care_at ?? at };
    case 'ReferralWithdrawn':
      return {
        ...base,
        status: 'withdrawn',
        withdrawn_at: record.withdrawn_at ?? at,
        withdrawal_reason: event.data.reason,
      };
    case 'ReferralExpired':
      return { ...base, status: 'expired', expired_at: record.expired_at ?? at };
    case 'HandoffEscalated':
      // The referral stays where it was: the escalation is a reminder to the service, not a step.
      return { ...base, escalations: record.escalations + 1, last_escalated_at: at };
  }
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
  };
}
