import { callerLookupHintOf } from '@helpline/domain';
import type { PersonalDataVault } from '@helpline/privacy';
import type { CaseLookupItem, CaseLookupQueries, LineScope } from '@helpline/projections';
import { caseStreamId } from './case-stream.repository';

const MAX_CASES = 100;

/**
 * The cases of a caller, found by the pseudonym of their number: the call-backs with the pseudonym's hint are
 * read from the case-lookup read model and their sealed pseudonyms opened with each case's key and compared.
 * An erased case cannot match: its rows are gone and its key with them.
 */
export class CallerLookup {
  constructor(
    private readonly lookup: CaseLookupQueries,
    private readonly vault: PersonalDataVault,
  ) {}

  /** Newest case first, each case once, at most 100. */
  async casesOf(pseudonym: string, lines: LineScope): Promise<CaseLookupItem[]> {
    const candidates = await this.lookup.callerCandidates(callerLookupHintOf(pseudonym), lines);
    const sealed = candidates.flatMap((candidate, index) =>
      candidate.sealedPseudonym === null
        ? []
        : [
            {
              index,
              subjectId: caseStreamId(candidate.caseId),
              field: 'callerPseudonym',
              sealed: candidate.sealedPseudonym,
            },
          ],
    );
    const opened = await this.vault.openMany(sealed);
    const pseudonyms = candidates.map((candidate) => candidate.legacyPseudonym ?? undefined);
    sealed.forEach(({ index }, at) => (pseudonyms[index] = opened[at]));
    const found = new Map<string, CaseLookupItem>();
    candidates.forEach(({ caseId, reference, lineId, openedAt, closed }, index) => {
      if (pseudonyms[index] === pseudonym && !found.has(caseId)) {
        found.set(caseId, { caseId, reference, lineId, openedAt, closed });
      }
    });
    return [...found.values()].slice(0, MAX_CASES);
  }
}
