import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';

/**
 * One next step on a case: sent with `If-Match: "<the version on screen>"`, so that a write made meanwhile by someone
 * else is refused (412) rather than applied to a case the operator has not seen; then the case is read again, and
 * the page says that someone else changed it.
 */
export function useCaseStep<T, V = void>(
  caseId: string,
  version: number,
  send: (ifMatch: string, variables: V) => Promise<T>,
) {
  const client = useQueryClient();
  const [stale, setStale] = useState(false);
  const mutation = useMutation({
    mutationFn: (variables: V) => send(`"${version}"`, variables),
    onMutate: () => setStale(false),
    onSuccess: () => reload(client, caseId),
    onError: async (error) => {
      if (error instanceof ApiProblem && error.isStale) {
        setStale(true);
        await reload(client, caseId);
      }
    },
  });
  return { ...mutation, stale };
}

export function reload(client: ReturnType<typeof useQueryClient>, caseId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['case', caseId] }),
    client.invalidateQueries({ queryKey: ['history', caseId] }),
    client.invalidateQueries({ queryKey: ['queue'] }),
  ]);
}
