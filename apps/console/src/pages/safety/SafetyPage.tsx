import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { useMe } from '../../auth/session';
import { ProblemMessage } from '../../components/fields';
import { formatInstant } from '../../lib/time';

/** The safety protocol's register (and, for the police liaison, the requests waiting for an answer). */
export function SafetyPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const liaison = me.role === 'police_liaison';
  const listing = useQuery({
    queryKey: ['safety', liaison],
    queryFn: () =>
      liaison
        ? answer(api.GET('/safety/liaison/worklist'))
        : answer(api.GET('/safety/register', { params: { query: { limit: 50 } } })),
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>{t('safety.title')}</h1>
      <h2 className="h4">{liaison ? t('safety.worklist') : t('safety.register')}</h2>
      <ProblemMessage error={listing.error} />
      {listing.data?.items.length === 0 && <p>{t('app.none')}</p>}
      {listing.data && listing.data.items.length > 0 && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('safety.request')}</th>
              <th scope="col">{t('safety.unit')}</th>
              <th scope="col">{t('safety.status')}</th>
              <th scope="col">{t('safety.meetingAt')}</th>
            </tr>
          </thead>
          <tbody>
            {listing.data.items.map((item) => (
              <tr key={item.id}>
                <td>{item.id.slice(0, 8)}</td>
                <td>{item.unitId}</td>
                <td>{item.status}</td>
                <td>{formatInstant(item.meetingAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
