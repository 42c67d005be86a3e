import type { CaseEventType } from '@helpline/domain';
import { defineProjection, type ProjectionTransaction, type TableNames } from '../projection';
import { indexName } from '../table-names';
import { caseEventsOf, chunks } from './case-log-events';
import { eventInstant } from './read-model-values';

export const CASE_LOOKUP_TABLES = ['case_lookup', 'case_callers'] as const;
/** `case_lookup`: one row per case, found by its reference. `case_callers`: one row per call-back of a case. */
export type CaseLookupTable = (typeof CASE_LOOKUP_TABLES)[number];

/**
 * A case's reference: what an operator reads out or writes on a note, short enough to say on the phone. The case has
 * no number of its own, so the reference is the first eight hex digits of its id, in two groups (`3F1C-2A9E`):
 * derived, never stored in an event, the same for the same case everywhere.
 */
export function caseReference(caseId: string): string {
  const hex = caseId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

const HANDLED: readonly CaseEventType[] = [
  'FirstContactRecorded',
  'CallbackRequested',
  'CaseClosed',
  'CaseReopened',
  'PersonalDataErased',
];

/**
 * Finding a case: by its reference, or by a returning caller's number. A call-back's row keeps the caller's
 * pseudonym sealed with the case's key, as the event does, and its one-character hint in clear: the look-up reads
 * the rows of the hint and opens their pseudonyms (CallerLookup in libs/cases). Nothing here can tell two
 * callers apart, and an erased case's rows are deleted (what a rebuild writes again stays sealed under a
 * destroyed key). Version-1 events kept the pseudonym in clear: their rows keep it in `legacy_pseudonym`.
 */
export const caseLookupProjection = defineProjection<CaseLookupTable>({
  name: 'case-lookup',
  version: 2,
  handles: HANDLED,
  tables: CASE_LOOKUP_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<CaseLookupTable>) {
    await trx.schema
      .createTable(tables.case_lookup)
      .addColumn('case_id', 'text', (col) => col.primaryKey())
      .addColumn('reference', 'text', (col) => col.notNull())
      .addColumn('line_id', 'text', (col) => col.notNull())
      .addColumn('opened_at', 'timestamptz', (col) => col.notNull())
      .addColumn('closed', 'boolean', (col) => col.notNull())
      .execute();
    await trx.schema
      .createIndex(indexName(tables.case_lookup, 'by_reference'))
      .on(tables.case_lookup)
      .columns(['reference'])
      .execute();
    await trx.schema
      .createTable(tables.case_callers)
      .addColumn('case_id', 'text', (col) => col.notNull())
      .addColumn('callback_id', 'text', (col) => col.notNull())
      .addColumn('lookup_hint', 'text', (col) => col.notNull())
      .addColumn('pseudonym_key_id', 'text')
      .addColumn('pseudonym_ciphertext', 'text')
      .addColumn('legacy_pseudonym', 'text')
      .addColumn('requested_at', 'timestamptz', (col) => col.notNull())
      .addPrimaryKeyConstraint(indexName(tables.case_callers, 'pk'), ['case_id', 'callback_id'])
      .execute();
    await trx.schema
      .createIndex(indexName(tables.case_callers, 'by_hint'))
      .on(tables.case_callers)
      .columns(['lookup_hint'])
      .execute();
  },

  async apply(trx: ProjectionTransaction, events, tables: TableNames<CaseLookupTable>) {
    let writes = new LookupWrites();
    for (const { caseId, event } of caseEventsOf(events)) {
      switch (event.type) {
        case 'FirstContactRecorded':
          // A case closed or reopened earlier in the batch, before its first contact, must see the row absent.
          if (writes.closedOf.has(caseId)) {
            await writes.flush(trx, tables);
            writes = new LookupWrites();
          }
          if (!writes.cases.has(caseId))
            writes.cases.set(caseId, {
              case_id: caseId,
              reference: caseReference(caseId),
              line_id: event.data.lineId,
              opened_at: eventInstant(event.data.occurredAt),
              closed: false,
            });
          break;
        case 'CallbackRequested': {
          const key = `${caseId}\u0000${event.data.callbackId}`;
          if (!writes.callers.has(key))
            writes.callers.set(key, {
              case_id: caseId,
              callback_id: event.data.callbackId,
              lookup_hint: event.data.callerLookupHint,
              pseudonym_key_id: event.data.callerPseudonym?.keyId ?? null,
              pseudonym_ciphertext: event.data.callerPseudonym?.ciphertext ?? null,
              legacy_pseudonym: event.data.legacyCallerPseudonym ?? null,
              requested_at: eventInstant(event.data.occurredAt),
            });
          break;
        }
        case 'CaseClosed':
        case 'CaseReopened':
          writes.closedOf.set(caseId, event.type === 'CaseClosed');
          break;
        case 'PersonalDataErased':
          // Every call-back row of the case goes, those of this batch too; later ones are written after the delete.
          for (const [key, row] of writes.callers) if (row.case_id === caseId) writes.callers.delete(key);
          writes.erased.add(caseId);
          break;
        default:
          break;
      }
    }
    await writes.flush(trx, tables);
  },
});

/**
 * A batch's writes, gathered in log order and sent as a few multi-row statements: what one statement per event
 * gave, in the order delete erased call-backs → insert cases → insert call-backs → set `closed`. Inserts keep the
 * first row of a key (`on conflict do nothing`, as one by one), `closed` the last event's value.
 */
class LookupWrites {
  readonly cases = new Map<string, Record<string, unknown>>();
  readonly callers = new Map<string, Record<string, unknown>>();
  readonly closedOf = new Map<string, boolean>();
  readonly erased = new Set<string>();

  async flush(trx: ProjectionTransaction, tables: TableNames<CaseLookupTable>): Promise<void> {
    for (const part of chunks([...this.erased]))
      await trx.deleteFrom(tables.case_callers).where('case_id', 'in', part).execute();
    for (const part of chunks([...this.cases.values()], 1000))
      await trx
        .insertInto(tables.case_lookup)
        .values(part)
        .onConflict((oc) => oc.column('case_id').doNothing())
        .execute();
    for (const part of chunks([...this.callers.values()], 1000))
      await trx
        .insertInto(tables.case_callers)
        .values(part)
        .onConflict((oc) => oc.columns(['case_id', 'callback_id']).doNothing())
        .execute();
    for (const closed of [true, false]) {
      const ids = [...this.closedOf].filter(([, value]) => value === closed).map(([caseId]) => caseId);
      for (const part of chunks(ids))
        await trx.updateTable(tables.case_lookup).set({ closed }).where('case_id', 'in', part).execute();
    }
  }
}
