import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import type { Page, QueueItem } from '../../api/responses';
import { ProblemMessage } from '../../components/fields';
import { formatInstant } from '../../lib/time';

/** The call-backs due, by their due time in the line's opening hours; the number is on the case, for the caller. */
export function CallbacksPage() {
  const { t, i18n } = useTranslation();
  const page = useQuery({
    queryKey: ['queue', 'callbacks'],
    queryFn: () =>
      answer(api.GET('/queues/callbacks', { params: { query: { limit: 50 } } })) as Promise<Page<QueueItem>>,
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>{t('callbacks.title')}</h1>
      <p>{t('callbacks.numberHint')}</p>
      <ProblemMessage error={page.error} />
      {page.data?.items.length === 0 && <p>{t('app.none')}</p>}
      {page.data && page.data.items.length > 0 && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('queue.caseCol')}</th>
              <th scope="col">{t('callbacks.due')}</th>
              <th scope="col">{t('queue.flags')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((item) => (
              <tr key={item.caseId}>
                <td>
                  <Link to={`/cases/${item.caseId}`}>{item.caseId.slice(0, 8)}</Link>
                </td>
                <td>{formatInstant(item.callbackDueAt, i18n.language)}</td>
                <td>{item.callbackOverdue && <Badge color="danger">{t('queue.callbackOverdue')}</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
