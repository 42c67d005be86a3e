import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiProblem } from '../../api/client';
import { StaleCaseProblem } from '../../components/case-changes';

/**
 * One next step on a case: sent with `If-Match: "<the version on screen>"`, so that a write made meanwhile by someone
 * else is refused (412) rather than applied to a case the operator has not seen; then the case is read again, and
 * the form shows what changed since its version (StaleCaseProblem) and lets the step be sent again.
 */
export function useCaseStep<T, V = void>(
  caseId: string,
  version: number,
  send: (ifMatch: string, variables: V) => Promise<T>,
  /** Once the step is recorded and the case read again, even if the form is gone by then (a sent handoff's). */
  onRecorded?: (answer: T) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) =>
      send(`"${version}"`, variables).catch((error: unknown) => {
        throw error instanceof ApiProblem && error.isStale ? new StaleCaseProblem(error, caseId, version) : error;
      }),
    onSuccess: async (answer) => {
      await reload(client, caseId);
      onRecorded?.(answer);
    },
    onError: async (error) => {
      if (error instanceof StaleCaseProblem) await reload(client, caseId);
    },
  });
}

export function reload(client: ReturnType<typeof useQueryClient>, caseId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['case', caseId] }),
    client.invalidateQueries({ queryKey: ['history', caseId] }),
    client.invalidateQueries({ queryKey: ['queue'] }),
  ]);
}

/** The id of the case's referrals heading, where the focus goes once a handoff is sent (its form is then gone). */
export const REFERRALS_HEADING = 'case-referrals';
