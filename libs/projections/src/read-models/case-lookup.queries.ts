import type { AnyKysely } from '@helpline/database';
import type { Sealed } from '@helpline/domain';
import { ALL_LINES, columnInstant, type LineScope } from './read-model-values';

/** A case found by reference or by caller: where to go next, nothing personal. */
export interface CaseLookupItem {
  readonly caseId: string;
  readonly reference: string;
  readonly lineId: string;
  readonly openedAt: string;
  readonly closed: boolean;
}

/** A call-back of a case, with its caller's pseudonym as the log keeps it (sealed; in clear before version 2). */
export interface CallerCandidate extends CaseLookupItem {
  readonly sealedPseudonym: Sealed | null;
  readonly legacyPseudonym: string | null;
}

/** At most this many cases answer a look-up. */
const MAX_FOUND = 100;

/** Reads the case-lookup read model (see caseLookupProjection), within the lines the reader may see. */
export class CaseLookupQueries {
  constructor(private readonly db: AnyKysely) {}

  /** The cases whose reference is this one (normally one), newest first. */
  async byReference(reference: string, lines: LineScope): Promise<CaseLookupItem[]> {
    return this.found(
      this.scoped(lines)
        .where('c.reference', '=', reference.toUpperCase())
        .orderBy('c.opened_at', 'desc')
        .orderBy('c.case_id'),
    );
  }

  /**
   * The call-backs whose caller pseudonym has this hint, in cases of the reader's lines, newest case first: the
   * candidates a caller look-up opens and compares (see CallerLookup in libs/cases).
   */
  async callerCandidates(lookupHint: string, lines: LineScope): Promise<CallerCandidate[]> {
    const rows = await this.scoped(lines)
      .innerJoin('case_callers as k', 'k.case_id', 'c.case_id')
      .select(['k.pseudonym_key_id', 'k.pseudonym_ciphertext', 'k.legacy_pseudonym'])
      .where('k.lookup_hint', '=', lookupHint)
      .orderBy('c.opened_at', 'desc')
      .orderBy('c.case_id')
      .execute();
    return rows.map((row: Record<string, unknown>) => ({
      ...itemOf(row),
      sealedPseudonym:
        row.pseudonym_key_id === null
          ? null
          : { keyId: row.pseudonym_key_id as string, ciphertext: row.pseudonym_ciphertext as string },
      legacyPseudonym: (row.legacy_pseudonym as string | null) ?? null,
    }));
  }

  private scoped(lines: LineScope) {
    const query = this.db
      .selectFrom('case_lookup as c')
      .select(['c.case_id', 'c.reference', 'c.line_id', 'c.opened_at', 'c.closed']);
    if (lines === ALL_LINES || lines.includes(ALL_LINES)) return query;
    return query.where('c.line_id', 'in', lines.length > 0 ? [...lines] : ['']);
  }

  private async found(query: ReturnType<CaseLookupQueries['scoped']>): Promise<CaseLookupItem[]> {
    const rows = await query.distinct().limit(MAX_FOUND).execute();
    return rows.map(itemOf);
  }
}

function itemOf(row: Record<string, unknown>): CaseLookupItem {
  return {
    caseId: row.case_id as string,
    reference: row.reference as string,
    lineId: row.line_id as string,
    openedAt: columnInstant(row.opened_at)!,
    closed: row.closed === true,
  };
}
