import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Table } from 'design-react-kit';
import { answer, api, fetchText } from '../../api/client';
import { CheckField, ProblemMessage, TextField } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { FormProblem } from '../../components/field-faults';
import { ServiceForm } from './ServiceForm';
import type { ServiceView } from './directory-types';

/** HSDS documents bigger than the API's general body limit travel under this type (up to 20 MB). */
const HSDS_IMPORT_TYPE = 'application/vnd.hsds+json';

/** The resource directory: search, create, change with the stale-edit check, retire and reactivate, HSDS in and out. */
export function DirectoryPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [withRetired, setWithRetired] = useState(true);
  const [search, setSearch] = useState({ text: '', withRetired: true });
  const [editing, setEditing] = useState<ServiceView | 'new'>();
  const [notice, setNotice] = useState<string>();
  const pages = useCursorPages();
  const services = useQuery({
    queryKey: ['directory', 'services', search, pages.after],
    queryFn: () =>
      answer(
        api.GET('/directory/services', {
          params: {
            query: {
              includeRetired: search.withRetired,
              limit: 50,
              ...(search.text ? { text: search.text } : {}),
              ...(pages.after ? { after: pages.after } : {}),
            },
          },
        }),
      ),
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const document = await file.text();
      return answer(
        api.POST('/directory/import', {
          params: { query: { format: 'json' } },
          body: {},
          bodySerializer: () => document,
          headers: { 'Content-Type': HSDS_IMPORT_TYPE },
        }),
      );
    },
    onSuccess: (result) => {
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      setNotice(
        t('directory.imported', {
          created: sum(result.created),
          changed: sum(result.changed),
          unchanged: sum(result.unchanged),
        }),
      );
      return client.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  const exportJson = useMutation({
    mutationFn: async () => {
      const { text: json } = await fetchText('/directory/export?format=json');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      link.download = 'directory-hsds.json';
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const done = (message: string) => {
    setEditing(undefined);
    setNotice(message);
  };
  return (
    <>
      <h1>{t('directory.title')}</h1>
      <form
        className="row align-items-end"
        role="search"
        aria-label={t('directory.searchTitle')}
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ text, withRetired });
          pages.reset();
        }}
      >
        <div className="col-md-6">
          <TextField label={t('directory.searchText')} value={text} onChange={setText} />
        </div>
        <div className="col-md-3">
          <CheckField label={t('directory.withRetired')} checked={withRetired} onChange={setWithRetired} />
        </div>
        <div className="col-md-3 mb-4">
          <Button type="submit" color="primary">
            {t('directory.search')}
          </Button>
        </div>
      </form>
      <div className="d-flex flex-wrap gap-3 align-items-center mb-3">
        <Button
          color="primary"
          onClick={() => {
            setNotice(undefined);
            setEditing('new');
          }}
        >
          {t('directory.create')}
        </Button>
        <Button color="primary" outline disabled={exportJson.isPending} onClick={() => exportJson.mutate()}>
          {t('directory.export')}
        </Button>
        <div>
          <label htmlFor="directory-import" className="d-block mb-0">
            {t('directory.import')}
          </label>
          <input
            id="directory-import"
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) importFile.mutate(file);
              event.target.value = '';
            }}
          />
        </div>
      </div>
      {notice && (
        <Alert color="success" role="status">
          {notice}
        </Alert>
      )}
      <ProblemMessage error={importFile.error ?? exportJson.error} />
      {editing && (
        <ServiceForm
          key={editing === 'new' ? 'new' : `${editing.id}@${editing.version}`}
          editing={editing === 'new' ? undefined : editing}
          onDone={done}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <ProblemMessage error={services.error} />
      {services.data?.items.length === 0 && <p>{t('app.none')}</p>}
      {services.data && services.data.items.length > 0 && (
        <Table responsive>
          <caption className="visually-hidden">{t('directory.listCaption')}</caption>
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
              <ServiceRow
                key={service.id}
                service={service}
                onEdit={() => {
                  setNotice(undefined);
                  setEditing(service);
                }}
                onDone={setNotice}
              />
            ))}
          </tbody>
        </Table>
      )}
      <PageButtons pages={pages} nextCursor={services.data?.nextCursor} />
    </>
  );
}

function ServiceRow(props: { service: ServiceView; onEdit: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { service } = props;
  const status = useMutation({
    mutationFn: (action: 'retire' | 'reactivate') => {
      // The version on screen goes as If-Match: someone else's change meanwhile is refused, not overwritten.
      const params = { path: { id: service.id }, header: { 'If-Match': `"${service.version}"` } };
      return answer(
        action === 'retire'
          ? api.POST('/directory/services/{id}/retirement', { params, body: {} })
          : api.POST('/directory/services/{id}/reactivation', { params, body: {} }),
      );
    },
    onSuccess: (saved) =>
      props.onDone(t(saved.status === 'retired' ? 'directory.retired' : 'directory.reactivated', { name: saved.name })),
    onSettled: () => client.invalidateQueries({ queryKey: ['directory'] }),
  });
  return (
    <tr>
      <th scope="row">
        <span className="d-block">{service.name}</span>
        <small className="text-muted">{service.id}</small>
        <FormProblem error={status.error} />
      </th>
      <td>{t(`vocab.serviceType.${service.serviceType}`)}</td>
      <td>{t(`directory.status_${service.status}`)}</td>
      <td>{service.version}</td>
      <td>
        <div className="d-flex flex-wrap gap-2">
          <Button
            size="sm"
            color="primary"
            outline
            aria-label={t('directory.editOne', { name: service.name })}
            onClick={props.onEdit}
          >
            {t('directory.edit')}
          </Button>
          {service.status === 'active' ? (
            <Button
              size="sm"
              color="danger"
              outline
              disabled={status.isPending}
              aria-label={t('directory.retireOne', { name: service.name })}
              onClick={() => status.mutate('retire')}
            >
              {t('directory.retire')}
            </Button>
          ) : (
            <Button
              size="sm"
              color="secondary"
              outline
              disabled={status.isPending}
              aria-label={t('directory.reactivateOne', { name: service.name })}
              onClick={() => status.mutate('reactivate')}
            >
              {t('directory.reactivate')}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}
