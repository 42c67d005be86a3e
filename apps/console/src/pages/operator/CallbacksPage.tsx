import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Badge, Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { useMe } from '../../auth/session';
import { ProblemMessage } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { formatInstant } from '../../lib/time';

/**
 * The call-backs due, by their due time in the line's opening hours. The number is on the case page, opened only
 * for the operator the case is assigned to: whoever makes the call takes the case first, and then sees it.
 */
const PAGE_SIZE = 50;

export function CallbacksPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const pages = useCursorPages();
  const page = useQuery({
    queryKey: ['queue', 'callbacks', pages.after],
    queryFn: () =>
      answer(
        api.GET('/queues/callbacks', {
          params: { query: { limit: PAGE_SIZE, ...(pages.after ? { after: pages.after } : {}) } },
        }),
      ),
    refetchInterval: 15_000,
  });
  const takeAndCall = useMutation({
    mutationFn: (caseId: string) =>
      answer(api.POST('/cases/{caseId}/assignment', { params: { path: { caseId } }, body: { operatorId: me.id } })),
    onSuccess: async (taken) => {
      await client.invalidateQueries({ queryKey: ['case', taken.caseId] });
      await client.invalidateQueries({ queryKey: ['history', taken.caseId] });
      await navigate(`/cases/${taken.caseId}`);
    },
  });
  return (
    <>
      <h1>{t('callbacks.title')}</h1>
      <p>{t('callbacks.numberHint')}</p>
      <ProblemMessage error={page.error ?? takeAndCall.error} />
      {page.data?.items.length === 0 && <p>{t('app.none')}</p>}
      {page.data && page.data.items.length > 0 && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('queue.caseCol')}</th>
              <th scope="col">{t('callbacks.due')}</th>
              <th scope="col">{t('callbacks.caller')}</th>
              <th scope="col">{t('queue.flags')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((item) => {
              const mine = item.assignedOperatorId === me.id;
              return (
                <tr key={item.caseId}>
                  <td>
                    <Link to={`/cases/${item.caseId}`}>{item.caseId.slice(0, 8)}</Link>
                  </td>
                  <td>{formatInstant(item.callbackDueAt, i18n.language)}</td>
                  <td>
                    {mine
                      ? t('callbacks.yours')
                      : t('callbacks.whoCalls', { operator: item.assignedOperatorId ?? t('case.nobody') })}
                  </td>
                  <td>{item.callbackOverdue && <Badge color="danger">{t('queue.callbackOverdue')}</Badge>}</td>
                  <td>
                    {mine ? (
                      <Link className="btn btn-primary btn-sm" to={`/cases/${item.caseId}`}>
                        {t('callbacks.call', { caseRef: item.caseId.slice(0, 8) })}
                      </Link>
                    ) : (
                      me.role === 'operator' && (
                        <Button
                          color="primary"
                          size="sm"
                          aria-disabled={takeAndCall.isPending}
                          onClick={() => !takeAndCall.isPending && takeAndCall.mutate(item.caseId)}
                        >
                          {t('callbacks.takeAndCall', { caseRef: item.caseId.slice(0, 8) })}
                        </Button>
                      )
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <PageButtons pages={pages} nextCursor={page.data?.nextCursor} />
    </>
  );
}
