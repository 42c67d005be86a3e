import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Table } from 'design-react-kit';
import { answer, api, fetchText } from '../../api/client';
import type { DirectoryService, Page } from '../../api/responses';
import { ProblemMessage, TextField } from '../../components/fields';

/** The resource directory: search, rename with the stale-edit check, retire and reactivate, export and import HSDS. */
export function DirectoryPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [imported, setImported] = useState<string>();
  const services = useQuery({
    queryKey: ['directory', search],
    queryFn: () =>
      answer(
        api.GET('/directory/services', {
          params: { query: { includeRetired: true, limit: 50, ...(search ? { text: search } : {}) } as never },
        }),
      ) as Promise<Page<DirectoryService>>,
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const body = JSON.parse(await file.text()) as Record<string, never>;
      return answer(api.POST('/directory/import', { body }));
    },
    onSuccess: (result) => {
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      setImported(t('directory.imported', { created: sum(result.created), changed: sum(result.changed) }));
      return client.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  const exportJson = async () => {
    const { text: json } = await fetchText('/directory/export?format=json');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    link.download = 'directory-hsds.json';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <h1>{t('directory.title')}</h1>
      <form
        className="row align-items-end"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(text);
        }}
      >
        <div className="col-md-8">
          <TextField label={t('forms.referral.text')} value={text} onChange={setText} />
        </div>
        <div className="col-md-4 mb-4">
          <Button type="submit" color="primary">
            {t('forms.referral.search')}
          </Button>
        </div>
      </form>
      <div className="d-flex gap-3 align-items-center mb-3">
        <Button color="primary" outline onClick={() => void exportJson()}>
          {t('directory.export')}
        </Button>
        <label htmlFor="directory-import" className="mb-0">
          {t('directory.import')}
        </label>
        <input
          id="directory-import"
          type="file"
          accept="application/json"
          onChange={(event) => event.target.files?.[0] && importFile.mutate(event.target.files[0])}
        />
      </div>
      {imported && <Alert color="success">{imported}</Alert>}
      <ProblemMessage error={services.error ?? importFile.error} />
      {services.data && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('directory.name')}</th>
              <th scope="col">{t('directory.type')}</th>
              <th scope="col">{t('directory.status')}</th>
              <th scope="col">{t('directory.version')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {services.data.items.map((service) => (
              <ServiceRow key={service.id} service={service} />
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

function ServiceRow({ service }: { service: DirectoryService }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState(service.name);
  const act = useMutation({
    mutationFn: (action: 'rename' | 'retire' | 'reactivate') => {
      const params = { path: { id: service.id } };
      // The version on screen goes with every change: someone else's edit meanwhile is refused, not overwritten.
      if (action === 'rename')
        return answer(
          api.PATCH('/directory/services/{id}', { params, body: { name, expectedVersion: service.version } }),
        );
      if (action === 'retire')
        return answer(
          api.POST('/directory/services/{id}/retirement', { params, body: { expectedVersion: service.version } }),
        );
      return answer(
        api.POST('/directory/services/{id}/reactivation', { params, body: { expectedVersion: service.version } }),
      );
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['directory'] }),
  });
  return (
    <tr>
      <td>
        <span className="d-block fw-semibold">{service.name}</span>
        <label htmlFor={`name-${service.id}`} className="visually-hidden">
          {t('directory.edit')}
        </label>
        <input
          id={`name-${service.id}`}
          className="form-control"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <ProblemMessage error={act.error} />
      </td>
      <td>{t(`vocab.serviceType.${service.serviceType}`, { defaultValue: service.serviceType })}</td>
      <td>{t(`directory.status_${service.status}`, { defaultValue: service.status })}</td>
      <td>{service.version}</td>
      <td className="d-flex gap-2">
        <Button
          size="sm"
          color="primary"
          outline
          disabled={act.isPending || name === service.name}
          onClick={() => act.mutate('rename')}
        >
          {t('directory.save')}
        </Button>
        {service.status === 'active' ? (
          <Button size="sm" color="danger" outline disabled={act.isPending} onClick={() => act.mutate('retire')}>
            {t('directory.retire')}
          </Button>
        ) : (
          <Button size="sm" color="secondary" outline disabled={act.isPending} onClick={() => act.mutate('reactivate')}>
            {t('directory.reactivate')}
          </Button>
        )}
      </td>
    </tr>
  );
}
