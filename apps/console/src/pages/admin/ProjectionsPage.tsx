import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { FormProblem } from '../../components/field-faults';
import { formatInstant } from '../../lib/time';

/** The read models: where each stands, rebuilt without downtime or retried after a failure. */
export function ProjectionsPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const status = useQuery({
    queryKey: ['projections'],
    queryFn: () => answer(api.GET('/admin/projections')),
    refetchInterval: 5_000,
  });
  const act = useMutation({
    mutationFn: async ({ name, action }: { name: string; action: 'rebuild' | 'retry' }) => {
      const params = { params: { path: { name } } };
      if (action === 'rebuild') {
        await answer(api.POST('/admin/projections/{name}/rebuild', params));
        return t('projections.rebuildStarted', { name });
      }
      const retried = await answer(api.POST('/admin/projections/{name}/retry', params));
      return t(retried.resumed ? 'projections.resumed' : 'projections.notStopped', { name });
    },
    onSuccess: (message) => {
      setNotice(message);
      return client.invalidateQueries({ queryKey: ['projections'] });
    },
  });
  return (
    <>
      <h1>{t('projections.title')}</h1>
      {notice && (
        <Alert color="success" role="status">
          {notice}
        </Alert>
      )}
      <FormProblem error={status.error ?? act.error} />
      {status.data && (
        <Table responsive>
          <caption className="visually-hidden">{t('projections.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('projections.name')}</th>
              <th scope="col">{t('projections.status')}</th>
              <th scope="col">{t('projections.lag')}</th>
              <th scope="col">{t('projections.lastEvent')}</th>
              <th scope="col">{t('projections.error')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {status.data.map((projection) => (
              <tr key={projection.name}>
                <th scope="row">{projection.name}</th>
                <td>
                  {t(`projections.status_${projection.status}`)}
                  {projection.rebuilding && projection.rebuildProgress !== null && (
                    <> ({Math.round(projection.rebuildProgress * 100)}%)</>
                  )}
                </td>
                <td>
                  {t('projections.lagValue', {
                    events: `${projection.lagEvents}${projection.lagEventsCapped ? '+' : ''}`,
                    seconds: projection.lagSeconds,
                  })}
                </td>
                <td>{formatInstant(projection.lastEventAt, i18n.language)}</td>
                <td>{projection.error?.reason ?? '—'}</td>
                <td>
                  <div className="d-flex flex-wrap gap-2">
                    <Button
                      size="sm"
                      color="primary"
                      outline
                      aria-label={t('projections.rebuildOne', { name: projection.name })}
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
                        aria-label={t('projections.retryOne', { name: projection.name })}
                        disabled={act.isPending}
                        onClick={() => act.mutate({ name: projection.name, action: 'retry' })}
                      >
                        {t('projections.retry')}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
