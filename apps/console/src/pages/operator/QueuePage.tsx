import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { useMe } from '../../auth/session';
import { ProblemMessage } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { formatInstant } from '../../lib/time';

const PAGE_SIZE = 25;
const REFRESH_MS = 15_000;
type QueueName = 'mine' | 'unassigned';

/** The operator's queues as the API orders them (at risk, call-back overdue, follow-up due, longest waiting). */
export function QueuePage() {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<QueueName>('mine');
  return (
    <>
      <h1>{t('queue.title')}</h1>
      <p>{t('queue.autoRefresh')}</p>
      <div role="group" className="mb-3" aria-label={t('queue.title')}>
        {(['mine', 'unassigned'] as const).map((name) => (
          <Button
            key={name}
            color="primary"
            outline={queue !== name}
            aria-pressed={queue === name}
            className="me-2"
            onClick={() => setQueue(name)}
          >
            {t(`queue.${name}`)}
          </Button>
        ))}
      </div>
      <QueueTable key={queue} queue={queue} />
    </>
  );
}

export function QueueTable({ queue }: { queue: QueueName | 'cases'; atRiskOnly?: boolean }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  // Pages by the API's cursor: only the page on screen is ever loaded, however long the queue.
  const pages = useCursorPages();
  const after = pages.after;
  // After taking a case the queue is read once it has caught up with that write (the API's `waitFor`).
  const [position, setPosition] = useState<string>();
  const page = useQuery({
    queryKey: ['queue', queue, after, position],
    queryFn: () =>
      answer(
        api.GET(`/queues/${queue}`, {
          params: {
            query: { limit: PAGE_SIZE, ...(after ? { after } : {}), ...(position ? { waitFor: position } : {}) },
          },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  const take = useMutation({
    mutationFn: (caseId: string) =>
      answer(api.POST('/cases/{caseId}/assignment', { params: { path: { caseId } }, body: { operatorId: me.id } })),
    onSuccess: (taken) => taken.position && setPosition(taken.position),
  });
  if (page.isError) return <ProblemMessage error={page.error} />;
  if (!page.data) return <p>{t('app.loading')}</p>;
  return (
    <>
      <ProblemMessage error={take.error} />
      {page.data.items.length === 0 ? (
        <p>{t('app.none')}</p>
      ) : (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('queue.caseCol')}</th>
              <th scope="col">{t('queue.phase')}</th>
              <th scope="col">{t('queue.channel')}</th>
              <th scope="col">{t('queue.concern')}</th>
              <th scope="col">{t('queue.waiting')}</th>
              <th scope="col">{t('queue.flags')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((item) => (
              <tr key={item.caseId} className={item.atRisk ? 'queue-row-risk' : undefined}>
                <td>
                  <Link to={`/cases/${item.caseId}`}>{item.caseId.slice(0, 8)}</Link>
                  <div className="small">{t(`vocab.line.${item.lineId}`, { defaultValue: item.lineId })}</div>
                </td>
                <td>{t(`vocab.phase.${item.phase}`, { defaultValue: item.phase })}</td>
                <td>{item.channel ? t(`vocab.channel.${item.channel}`) : '—'}</td>
                <td>{item.concern ? t(`vocab.concern.${item.concern}`) : '—'}</td>
                <td>{formatInstant(item.waitingSince, i18n.language)}</td>
                <td>
                  {item.atRisk && (
                    <Badge color="danger" className="me-1">
                      {t('queue.atRisk')}
                    </Badge>
                  )}
                  {item.callbackOverdue && (
                    <Badge color="danger" className="me-1">
                      {t('queue.callbackOverdue')}
                    </Badge>
                  )}
                  {!item.callbackOverdue && item.callbackDueAt && (
                    <Badge color="warning" className="me-1">
                      {t('queue.callbackDue', { when: formatInstant(item.callbackDueAt, i18n.language) })}
                    </Badge>
                  )}
                  {item.outOfHours && <Badge color="secondary">{t('queue.outOfHours')}</Badge>}
                </td>
                <td>
                  {queue !== 'mine' && item.assignedOperatorId !== me.id && me.role === 'operator' && (
                    <Button
                      color="primary"
                      size="sm"
                      disabled={take.isPending}
                      onClick={() => take.mutate(item.caseId)}
                    >
                      {t('queue.take')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <PageButtons pages={pages} nextCursor={page.data.nextCursor} />
    </>
  );
}
