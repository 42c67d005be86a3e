import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import type { ProjectionStatus } from '../../api/responses';
import { ProblemMessage } from '../../components/fields';

/** The read models: where each stands, rebuilt without downtime or retried after a failure. */
export function ProjectionsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ['projections'],
    queryFn: () => answer(api.GET('/admin/projections')) as Promise<ProjectionStatus[]>,
    refetchInterval: 5_000,
  });
  const act = useMutation({
    mutationFn: ({ name, action }: { name: string; action: 'rebuild' | 'retry' }) =>
      action === 'rebuild'
        ? answer(api.POST('/admin/projections/{name}/rebuild', { params: { path: { name } } })).then(() => undefined)
        : answer(api.POST('/admin/projections/{name}/retry', { params: { path: { name } } })).then(() => undefined),
    onSuccess: () => client.invalidateQueries({ queryKey: ['projections'] }),
  });
  return (
    <>
      <h1>{t('projections.title')}</h1>
      <ProblemMessage error={status.error ?? act.error} />
      {status.data && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('projections.name')}</th>
              <th scope="col">{t('projections.status')}</th>
              <th scope="col">{t('projections.lag')}</th>
              <th scope="col">{t('projections.error')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {status.data.map((projection) => (
              <tr key={projection.name}>
                <td>{projection.name}</td>
                <td>{projection.status}</td>
                <td>{projection.lagEvents}</td>
                <td>{projection.error ?? '—'}</td>
                <td className="d-flex gap-2">
                  <Button
                    size="sm"
                    color="primary"
                    outline
                    disabled={act.isPending || projection.rebuilding}
                    onClick={() => act.mutate({ name: projection.name, action: 'rebuild' })}
                  >
                    {t('projections.rebuild')}
                  </Button>
                  {projection.error && (
                    <Button
                      size="sm"
                      color="secondary"
                      outline
                      disabled={act.isPending}
                      onClick={() => act.mutate({ name: projection.name, action: 'retry' })}
                    >
                      {t('projections.retry')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
