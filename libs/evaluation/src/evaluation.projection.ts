import { upcastCaseEvent, type CaseEvent, type CaseEventOf, type CaseEventType } from '@helpline/domain';
import type { RecordedEvent } from '@helpline/event-store';
import { defineProjection, indexName, type ProjectionTransaction, type TableNames } from '@helpline/projections';
import {
  callerHash,
  earlier,
  CallbackRecord,
  CallerCaseRecord,
  CaseRecord,
  ClosingRecord,
  ContactRecord,
  instant,
  monthOf,
  PHASE_OF_EVENT,
  RECOVERING_RESOLUTIONS,
  ReferralRecord,
  withPhase,
} from './evaluation.records';

export const EVALUATION_TABLES = [
  'evaluation_cases',
  'evaluation_contacts',
  'evaluation_callbacks',
  'evaluation_referrals',
  'evaluation_closings',
  'evaluation_callers',
] as const;
export type EvaluationTable = (typeof EVALUATION_TABLES)[number];

/**
 * Raise it whenever what the projection stores changes meaning (an indicator's definition): the runner then
 * rebuilds the read model from the whole log at start-up, and every report says which version it was made with.
 */
export const EVALUATION_PROJECTION_VERSION = 3;

const HANDLED: readonly CaseEventType[] = [
  'FirstContactRecorded',
  'FollowUpContactRecorded',
  'CallbackRequested',
  'CallbackCompleted',
  'RequestFramed',
  'ProblemReframed',
  'GoalSet',
  'ReferralProposed',
  'HandoffSent',
  'HandoffAccepted',
  'HandoffDeclined',
  'TakenIntoCare',
  'TakenInChargeByLine',
  'SessionScheduled',
  'SessionHeld',
  'CaseClosed',
  'PersonalDataErased',
];

const PRIMARY_KEYS: Record<EvaluationTable, readonly string[]> = {
  evaluation_cases: ['case_id'],
  evaluation_contacts: ['contact_id'],
  evaluation_callbacks: ['case_id', 'callback_id'],
  evaluation_referrals: ['case_id', 'referral_id'],
  evaluation_closings: ['closing_id'],
  evaluation_callers: ['caller_hash', 'case_id'],
};

const TIME_COLUMNS = new Set([
  'opened_at',
  'framing_at',
  'reframing_at',
  'goal_at',
  'orientation_at',
  'accompaniment_at',
  'first_proposed_at',
  'first_sent_at',
  'first_accepted_at',
  'first_declined_at',
  'first_care_at',
  'occurred_at',
  'recovered_at',
  'requested_at',
  'proposed_at',
  'sent_at',
  'accepted_at',
  'declined_at',
  'care_at',
  'closed_at',
]);

/**
 * The evaluation read model: per case (its first contact's profile, when it reached each phase and each referral
 * step), per contact, per referral, per closing, and the callers recognised by their pseudonym (hashed again).
 * The monthly indicators, the cohorts and the reports are computed from these rows (EvaluationQueries), in
 * Rome months, so that a report for any period, for any line, as of any date, comes from one definition.
 */
export const evaluationProjection = defineProjection<EvaluationTable>({
  name: 'evaluation',
  version: EVALUATION_PROJECTION_VERSION,
  handles: HANDLED,
  tables: EVALUATION_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<EvaluationTable>) {
    const ts = 'timestamptz' as const;
    await trx.schema
      .createTable(tables.evaluation_cases)
      .addColumn('case_id', 'text', (c) => c.primaryKey())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('opened_at', ts, (c) => c.notNull())
      .addColumn('opened_month', 'text', (c) => c.notNull())
      .addColumn('caller_type', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('age_band', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('concern', 'text', (c) => c.notNull())
      .addColumn('heard_of_line', 'text', (c) => c.notNull())
      .addColumn('out_of_hours', 'boolean', (c) => c.notNull())
      .addColumn('furthest_phase', 'text', (c) => c.notNull())
      .addColumn('framing_at', ts)
      .addColumn('reframing_at', ts)
      .addColumn('goal_at', ts)
      .addColumn('orientation_at', ts)
      .addColumn('accompaniment_at', ts)
      .addColumn('first_proposed_at', ts)
      .addColumn('first_sent_at', ts)
      .addColumn('first_accepted_at', ts)
      .addColumn('first_declined_at', ts)
      .addColumn('first_care_at', ts)
      .addColumn('caller_status', 'text')
      .addColumn('last_contact_id', 'text', (c) => c.notNull())
      .execute();
    await trx.schema
      .createIndex(indexName(tables.evaluation_cases, 'by_month'))
      .on(tables.evaluation_cases)
      .columns(['line_id', 'opened_month'])
      .execute();
    await trx.schema
      .createTable(tables.evaluation_contacts)
      .addColumn('contact_id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', ts, (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('out_of_hours', 'boolean', (c) => c.notNull())
      .addColumn('caller_type', 'text', (c) => c.notNull())
      .addColumn('age_band', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('concern', 'text', (c) => c.notNull())
      .addColumn('heard_of_line', 'text', (c) => c.notNull())
      .addColumn('recovered_at', ts)
      .execute();
    await trx.schema
      .createIndex(indexName(tables.evaluation_contacts, 'by_month'))
      .on(tables.evaluation_contacts)
      .columns(['line_id', 'month'])
      .execute();
    await trx.schema
      .createTable(tables.evaluation_callbacks)
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('callback_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('requested_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint(indexName(tables.evaluation_callbacks, 'pkey'), ['case_id', 'callback_id'])
      .execute();
    await trx.schema
      .createTable(tables.evaluation_referrals)
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('referral_id', 'text', (c) => c.notNull())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('proposed_at', ts, (c) => c.notNull())
      .addColumn('sent_at', ts)
      .addColumn('accepted_at', ts)
      .addColumn('declined_at', ts)
      .addColumn('care_at', ts)
      .addPrimaryKeyConstraint(indexName(tables.evaluation_referrals, 'pkey'), ['case_id', 'referral_id'])
      .execute();
    await trx.schema
      .createTable(tables.evaluation_closings)
      .addColumn('closing_id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('closed_at', ts, (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .execute();
    await trx.schema
      .createTable(tables.evaluation_callers)
      .addColumn('caller_hash', 'text', (c) => c.notNull())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(indexName(tables.evaluation_callers, 'pkey'), ['caller_hash', 'case_id'])
      .execute();
    await trx.schema
      .createIndex(indexName(tables.evaluation_callers, 'by_case'))
      .on(tables.evaluation_callers)
      .column('case_id')
      .execute();
  },

  async apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames<EvaluationTable>) {
    const decoded = caseEventsOf(events);
    if (decoded.length === 0) return;
    const fold = new EvaluationFold();
    await fold.load(trx, tables, decoded);
    for (const item of decoded) fold.apply(item);
    await fold.flush(trx, tables);
  },
});

interface DecodedEvent {
  readonly eventId: string;
  readonly caseId: string;
  readonly event: CaseEvent;
}

function caseEventsOf(events: readonly RecordedEvent[]): DecodedEvent[] {
  const decoded: DecodedEvent[] = [];
  for (const recorded of events) {
    if (!recorded.streamId.startsWith('case-')) continue;
    decoded.push({
      eventId: recorded.id,
      caseId: recorded.streamId.slice('case-'.length),
      event: upcastCaseEvent(recorded.type, recorded.schemaVersion, recorded.data),
    });
  }
  return decoded;
}

const key = (...parts: string[]) => parts.join('\u0000');

/**
 * The caller's pseudonym in clear, which only version-1 call-back requests carry; since version 2 it is sealed
 * with the case's key and the event says itself whether the line knew the caller.
 */
function callerPseudonymOf(event: Extract<CaseEvent, { type: 'CallbackRequested' }>): string | null {
  return event.data.legacyCallerPseudonym ?? null;
}

/**
 * One batch folded in memory: the rows the batch touches are read once, the events applied in log order, the
 * changed rows written back once. Applying [e1, e2] gives what [e1] then [e2] gives, as the runner requires.
 * An event that names something the model does not know (a case whose first contact is not in it, an unknown
 * referral) changes nothing: that happens in an as-of replay that cuts a stream whose times go back.
 */
class EvaluationFold {
  private readonly cases = new Map<string, CaseRecord>();
  private readonly contacts = new Map<string, ContactRecord>();
  private readonly callbacks = new Map<string, CallbackRecord>();
  private readonly referrals = new Map<string, ReferralRecord>();
  /** Each caller hash the batch touches, with the cases of that caller the model still links to it. */
  private readonly callers = new Map<string, Set<string>>();
  private readonly lineOfCaller = new Map<string, string>();
  private readonly closings: ClosingRecord[] = [];
  private readonly changed = {
    cases: new Set<string>(),
    contacts: new Set<string>(),
    callbacks: new Set<string>(),
    referrals: new Set<string>(),
    callers: new Set<string>(),
  };

  async load(
    trx: ProjectionTransaction,
    tables: TableNames<EvaluationTable>,
    decoded: readonly DecodedEvent[],
  ): Promise<void> {
    const caseIds = unique(decoded.map((item) => item.caseId));
    for (const row of await selectIn(trx, tables.evaluation_cases, 'case_id', caseIds))
      this.cases.set(row.case_id as string, fromRow<CaseRecord>(row));

    const completedIn = unique(
      decoded.filter(({ event }) => event.type === 'CallbackCompleted').map((item) => item.caseId),
    );
    for (const row of await selectIn(trx, tables.evaluation_callbacks, 'case_id', completedIn)) {
      const record = fromRow<CallbackRecord>(row);
      this.callbacks.set(key(record.case_id, record.callback_id), record);
    }
    // The contact a completed call-back recovers: known from its stored call-back, or (for a call-back requested
    // in this batch) the case's latest contact, which may be a stored one.
    const contactIds = unique([
      ...[...this.callbacks.values()].map((callback) => callback.contact_id),
      ...completedIn.flatMap((caseId) => (this.cases.has(caseId) ? [this.cases.get(caseId)!.last_contact_id] : [])),
    ]);
    for (const row of await selectIn(trx, tables.evaluation_contacts, 'contact_id', contactIds))
      this.contacts.set(row.contact_id as string, fromRow<ContactRecord>(row));

    const referralCaseIds = unique(
      decoded
        .filter(({ event }) => 'referralId' in event.data && event.type !== 'ReferralProposed')
        .map((item) => item.caseId),
    );
    for (const row of await selectIn(trx, tables.evaluation_referrals, 'case_id', referralCaseIds)) {
      const record = fromRow<ReferralRecord>(row);
      this.referrals.set(key(record.case_id, record.referral_id), record);
    }

    const lineOfCase = new Map<string, string>(
      [...this.cases.values()].map((record) => [record.case_id, record.line_id]),
    );
    for (const { caseId, event } of decoded)
      if (event.type === 'FirstContactRecorded' && !lineOfCase.has(caseId)) lineOfCase.set(caseId, event.data.lineId);
    const hashes = unique(
      decoded.flatMap(({ caseId, event }) => {
        const lineId = lineOfCase.get(caseId);
        const pseudonym = event.type === 'CallbackRequested' ? callerPseudonymOf(event) : null;
        return pseudonym && lineId ? [callerHash(lineId, pseudonym)] : [];
      }),
    );
    // An erased case's caller is forgotten: the hashes it is linked to, and every case linked to those.
    const erasedIn = unique(
      decoded.filter(({ event }) => event.type === 'PersonalDataErased').map((item) => item.caseId),
    );
    for (const row of await selectIn(trx, tables.evaluation_callers, 'case_id', erasedIn))
      hashes.push(row.caller_hash as string);
    for (const hash of hashes) this.callers.set(hash, new Set());
    for (const row of await selectIn(trx, tables.evaluation_callers, 'caller_hash', unique(hashes))) {
      this.callers.get(row.caller_hash as string)!.add(row.case_id as string);
      this.lineOfCaller.set(row.caller_hash as string, row.line_id as string);
    }
  }

  apply({ eventId, caseId, event }: DecodedEvent): void {
    const at = instant(event.data.occurredAt);
    if (event.type === 'FirstContactRecorded') {
      if (this.cases.has(caseId)) return;
      const data = event.data;
      this.setCase({
        case_id: caseId,
        line_id: data.lineId,
        opened_at: at,
        opened_month: monthOf(at),
        caller_type: data.callerType,
        channel: data.channel,
        age_band: data.ageBand,
        gender: data.gender,
        concern: data.concern,
        heard_of_line: data.heardOfLine,
        out_of_hours: data.outOfHours,
        furthest_phase: 'first_contact',
        framing_at: null,
        reframing_at: null,
        goal_at: null,
        orientation_at: null,
        accompaniment_at: null,
        first_proposed_at: null,
        first_sent_at: null,
        first_accepted_at: null,
        first_declined_at: null,
        first_care_at: null,
        caller_status: null,
        last_contact_id: eventId,
      });
      this.addContact(this.cases.get(caseId)!, eventId, at, 'first', data.channel, 'inbound', data.outOfHours);
      return;
    }
    const record = this.cases.get(caseId);
    if (!record) return;
    const phase = PHASE_OF_EVENT[event.type];
    let current = phase ? withPhase(record, phase, at) : record;

    switch (event.type) {
      case 'FollowUpContactRecorded':
        current = { ...current, last_contact_id: eventId };
        this.addContact(
          current,
          eventId,
          at,
          'follow_up',
          event.data.channel,
          event.data.direction,
          event.data.outOfHours,
        );
        break;
      case 'CallbackRequested': {
        const callbackKey = key(caseId, event.data.callbackId);
        if (!this.callbacks.has(callbackKey)) {
          this.callbacks.set(callbackKey, {
            case_id: caseId,
            callback_id: event.data.callbackId,
            contact_id: current.last_contact_id,
            requested_at: at,
          });
          this.changed.callbacks.add(callbackKey);
        }
        if (current.caller_status === null) current = { ...current, caller_status: this.callerStatus(current, event) };
        break;
      }
      case 'CallbackCompleted': {
        const callback = this.callbacks.get(key(caseId, event.data.callbackId));
        const contact = callback ? this.contacts.get(callback.contact_id) : undefined;
        if (contact && contact.recovered_at === null && RECOVERING_RESOLUTIONS.includes(event.data.resolution)) {
          this.contacts.set(contact.contact_id, { ...contact, recovered_at: at });
          this.changed.contacts.add(contact.contact_id);
        }
        break;
      }
      case 'ReferralProposed': {
        const referralKey = key(caseId, event.data.referralId);
        if (!this.referrals.has(referralKey)) {
          this.referrals.set(referralKey, {
            case_id: caseId,
            referral_id: event.data.referralId,
            line_id: current.line_id,
            proposed_at: at,
            sent_at: null,
            accepted_at: null,
            declined_at: null,
            care_at: null,
          });
          this.changed.referrals.add(referralKey);
        }
        current = { ...current, first_proposed_at: earlier(current.first_proposed_at, at) };
        break;
      }
      case 'HandoffSent':
        current = this.referralStep(current, event.data.referralId, 'sent_at', 'first_sent_at', at);
        break;
      case 'HandoffAccepted':
        current = this.referralStep(current, event.data.referralId, 'accepted_at', 'first_accepted_at', at);
        break;
      case 'HandoffDeclined':
        current = this.referralStep(current, event.data.referralId, 'declined_at', 'first_declined_at', at);
        break;
      case 'TakenIntoCare':
        current = this.referralStep(current, event.data.referralId, 'care_at', 'first_care_at', at);
        break;
      case 'CaseClosed':
        this.closings.push({
          closing_id: eventId,
          case_id: caseId,
          line_id: current.line_id,
          closed_at: at,
          month: monthOf(at),
          outcome: event.data.outcome,
        });
        break;
      case 'PersonalDataErased':
        // The caller is forgotten, whichever of their cases this was: a later case from the same number is new.
        for (const [hash, cases] of this.callers) {
          if (!cases.has(caseId)) continue;
          this.callers.set(hash, new Set());
          this.changed.callers.add(hash);
        }
        break;
      default:
        break;
    }
    if (current !== record) this.setCase(current);
  }

  async flush(trx: ProjectionTransaction, tables: TableNames<EvaluationTable>): Promise<void> {
    // A changed caller's links are written whole: deleted, then what the batch left inserted again.
    for (const hashes of chunks([...this.changed.callers]))
      await trx.deleteFrom(tables.evaluation_callers).where('caller_hash', 'in', hashes).execute();
    await upsert(
      trx,
      tables.evaluation_cases,
      PRIMARY_KEYS.evaluation_cases,
      [...this.changed.cases].map((id) => this.cases.get(id)!),
    );
    await upsert(
      trx,
      tables.evaluation_contacts,
      PRIMARY_KEYS.evaluation_contacts,
      [...this.changed.contacts].map((id) => this.contacts.get(id)!),
    );
    await upsert(
      trx,
      tables.evaluation_callbacks,
      PRIMARY_KEYS.evaluation_callbacks,
      [...this.changed.callbacks].map((id) => this.callbacks.get(id)!),
    );
    await upsert(
      trx,
      tables.evaluation_referrals,
      PRIMARY_KEYS.evaluation_referrals,
      [...this.changed.referrals].map((id) => this.referrals.get(id)!),
    );
    await upsert(trx, tables.evaluation_closings, PRIMARY_KEYS.evaluation_closings, this.closings);
    const callerCases: CallerCaseRecord[] = [...this.changed.callers].flatMap((hash) =>
      [...this.callers.get(hash)!].map((caseId) => ({
        caller_hash: hash,
        line_id: this.lineOfCaller.get(hash)!,
        case_id: caseId,
      })),
    );
    await upsert(trx, tables.evaluation_callers, PRIMARY_KEYS.evaluation_callers, callerCases);
  }

  private setCase(record: CaseRecord): void {
    this.cases.set(record.case_id, record);
    this.changed.cases.add(record.case_id);
  }

  private addContact(
    record: CaseRecord,
    contactId: string,
    at: string,
    kind: ContactRecord['kind'],
    channel: string,
    direction: ContactRecord['direction'],
    outOfHours: boolean,
  ): void {
    this.contacts.set(contactId, {
      contact_id: contactId,
      case_id: record.case_id,
      line_id: record.line_id,
      occurred_at: at,
      month: monthOf(at),
      kind,
      channel,
      direction,
      out_of_hours: outOfHours,
      caller_type: record.caller_type,
      age_band: record.age_band,
      gender: record.gender,
      concern: record.concern,
      heard_of_line: record.heard_of_line,
      recovered_at: null,
    });
    this.changed.contacts.add(contactId);
  }

  /**
   * Since version 2 the call-back says whether the line already knew the caller (the pseudonym is sealed, so
   * nothing here can compare callers); version-1 events carry the pseudonym in clear and are recognised here.
   */
  private callerStatus(record: CaseRecord, event: CaseEventOf<'CallbackRequested'>): 'new' | 'returning' | null {
    const { returningCaller, legacyCallerPseudonym } = event.data;
    if (returningCaller !== undefined) return returningCaller ? 'returning' : 'new';
    return legacyCallerPseudonym === undefined ? null : this.recogniseCaller(record, legacyCallerPseudonym);
  }

  /** `returning` when another case the model still links to this caller came first; the case is linked either way. */
  private recogniseCaller(record: CaseRecord, pseudonym: string): 'new' | 'returning' {
    const hash = callerHash(record.line_id, pseudonym);
    const cases = this.callers.get(hash) ?? new Set<string>();
    const returning = [...cases].some((caseId) => caseId !== record.case_id);
    cases.add(record.case_id);
    this.callers.set(hash, cases);
    this.lineOfCaller.set(hash, record.line_id);
    this.changed.callers.add(hash);
    return returning ? 'returning' : 'new';
  }

  private referralStep(
    record: CaseRecord,
    referralId: string,
    step: 'sent_at' | 'accepted_at' | 'declined_at' | 'care_at',
    caseStep: 'first_sent_at' | 'first_accepted_at' | 'first_declined_at' | 'first_care_at',
    at: string,
  ): CaseRecord {
    const referralKey = key(record.case_id, referralId);
    const referral = this.referrals.get(referralKey);
    if (!referral) return record;
    const stepAt = earlier(referral[step], at);
    if (stepAt !== referral[step]) {
      this.referrals.set(referralKey, { ...referral, [step]: stepAt });
      this.changed.referrals.add(referralKey);
    }
    const caseStepAt = earlier(record[caseStep], at);
    return caseStepAt === record[caseStep] ? record : { ...record, [caseStep]: caseStepAt };
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function selectIn(
  trx: ProjectionTransaction,
  table: string,
  column: string,
  values: readonly string[],
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const part of chunks(values))
    rows.push(...(await trx.selectFrom(table).selectAll().where(column, 'in', part).execute()));
  return rows;
}

/** A stored row in the fold's form: timestamps (Date from pg and PGlite) back to ISO strings. */
export function fromRow<T>(row: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    record[column] =
      TIME_COLUMNS.has(column) && value !== null && value !== undefined
        ? (value instanceof Date ? value : new Date(value as string)).toISOString()
        : value;
  }
  return record as T;
}

async function upsert(
  trx: ProjectionTransaction,
  table: string,
  primaryKey: readonly string[],
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((column) => !primaryKey.includes(column));
  const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length));
  for (const part of chunks(rows, size)) {
    await trx
      .insertInto(table)
      .values(part as Record<string, unknown>[])
      .onConflict((oc) =>
        oc
          .columns(primaryKey)
          .doUpdateSet((eb) => Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}
