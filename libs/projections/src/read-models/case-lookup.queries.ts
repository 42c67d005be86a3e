import type { AnyKysely } from '@helpline/database';
import { ALL_LINES, columnInstant, type LineScope } from './read-model-values';

/** A case found by reference or by caller: where to go next, nothing personal. */
export interface CaseLookupItem {
  readonly caseId: string;
  readonly reference: string;
  readonly lineId: string;
  readonly openedAt: string;
  readonly closed: boolean;
}

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

  /** The cases of a caller pseudonym (computed by the caller from the number), newest first. */
  async byCallerPseudonym(pseudonym: string, lines: LineScope): Promise<CaseLookupItem[]> {
    return this.found(
      this.scoped(lines)
        .innerJoin('case_callers as k', 'k.case_id', 'c.case_id')
        .where('k.caller_pseudonym', '=', pseudonym)
        .orderBy('c.opened_at', 'desc')
        .orderBy('c.case_id'),
    );
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
    return rows.map((row: Record<string, unknown>) => ({
      caseId: row.case_id as string,
      reference: row.reference as string,
      lineId: row.line_id as string,
      openedAt: columnInstant(row.opened_at)!,
      closed: row.closed === true,
    }));
  }
}
