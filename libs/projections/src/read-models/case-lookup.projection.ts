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
    for (const part of chunks(caseEventsOf(events), 200)) {
      for (const { caseId, event } of part) {
        switch (event.type) {
          case 'FirstContactRecorded':
            await trx
              .insertInto(tables.case_lookup)
              .values({
                case_id: caseId,
                reference: caseReference(caseId),
                line_id: event.data.lineId,
                opened_at: eventInstant(event.data.occurredAt),
                closed: false,
              })
              .onConflict((oc) => oc.column('case_id').doNothing())
              .execute();
            break;
          case 'CallbackRequested':
            await trx
              .insertInto(tables.case_callers)
              .values({
                case_id: caseId,
                callback_id: event.data.callbackId,
                lookup_hint: event.data.callerLookupHint,
                pseudonym_key_id: event.data.callerPseudonym?.keyId ?? null,
                pseudonym_ciphertext: event.data.callerPseudonym?.ciphertext ?? null,
                legacy_pseudonym: event.data.legacyCallerPseudonym ?? null,
                requested_at: eventInstant(event.data.occurredAt),
              })
              .onConflict((oc) => oc.columns(['case_id', 'callback_id']).doNothing())
              .execute();
            break;
          case 'CaseClosed':
          case 'CaseReopened':
            await trx
              .updateTable(tables.case_lookup)
              .set({ closed: event.type === 'CaseClosed' })
              .where('case_id', '=', caseId)
              .execute();
            break;
          case 'PersonalDataErased':
            await trx.deleteFrom(tables.case_callers).where('case_id', '=', caseId).execute();
            break;
          default:
            break;
        }
      }
    }
  },
});
