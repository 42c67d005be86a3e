import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { formatInstant } from '../../lib/time';
import type { DirectoryChange } from './directory-types';

/**
 * An edit refused because the service changed since it was read: who changed it, when, and each field from what
 * to what (the directory's audit, from the version read on), with the choice to load the current version.
 */
export function StaleEdit(props: { serviceId: string; readVersion: number; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const changes = useQuery({
    queryKey: ['directory', 'changes', props.serviceId, props.readVersion],
    queryFn: async () => {
      const page = await answer(
        api.GET('/directory/changes', {
          params: { query: { entityType: 'service', entityId: props.serviceId, limit: 1000 } },
        }),
      );
      return page.items.filter((change) => change.entityVersion > props.readVersion);
    },
  });
  return (
    <Alert color="warning" role="alert">
      <p className="fw-semibold mb-2">{t('directory.staleTitle', { version: props.readVersion })}</p>
      {changes.data?.map((change) => (
        <div key={change.id} className="mb-2">
          <p className="mb-1">
            {t('directory.staleBy', {
              version: change.entityVersion,
              actor: change.actorId,
              when: formatInstant(change.changedAt, i18n.language),
              operation: t(`directory.operation_${change.operation}`),
            })}
          </p>
          <ul className="mb-0">
            {change.changedFields.map((field) => (
              <li key={field}>
                {t('directory.staleField', {
                  field,
                  before: shown(change.before, field),
                  after: shown(change.after, field),
                })}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <Button type="button" color="primary" outline size="sm" onClick={props.onReload}>
        {t('directory.staleReload')}
      </Button>
    </Alert>
  );
}

function shown(entry: DirectoryChange['before'], field: string): string {
  const value = entry?.[field];
  if (value === undefined || value === null || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
