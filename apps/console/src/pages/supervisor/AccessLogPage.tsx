import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { ProblemMessage, TextField } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { formatInstant } from '../../lib/time';

/** Who read which case, newest first; filtered by a case when one is given. */
export function AccessLogPage() {
  const { t, i18n } = useTranslation();
  const [caseId, setCaseId] = useState(new URLSearchParams(window.location.search).get('caseId') ?? '');
  const [filter, setFilter] = useState(caseId);
  const pages = useCursorPages<number>();
  const log = useQuery({
    queryKey: ['access-log', filter, pages.after],
    queryFn: () =>
      answer(
        api.GET('/access-log', {
          params: {
            query: {
              limit: 100,
              ...(filter ? { caseId: filter } : {}),
              ...(pages.after !== undefined ? { before: pages.after } : {}),
            },
          },
        }),
      ),
  });
  return (
    <>
      <h1>{t('accessLog.title')}</h1>
      <form
        className="row align-items-end"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(caseId.trim());
          pages.reset();
        }}
      >
        <div className="col-md-8">
          <TextField label={t('accessLog.caseId')} value={caseId} onChange={setCaseId} />
        </div>
        <div className="col-md-4 mb-4">
          <Button type="submit" color="primary">
            {t('accessLog.filter')}
          </Button>
        </div>
      </form>
      <ProblemMessage error={log.error} />
      {log.data?.entries.length === 0 && <p>{t('app.none')}</p>}
      {log.data && log.data.entries.length > 0 && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('accessLog.when')}</th>
              <th scope="col">{t('accessLog.actor')}</th>
              <th scope="col">{t('accessLog.role')}</th>
              <th scope="col">{t('accessLog.what')}</th>
              <th scope="col">{t('queue.caseCol')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.entries.map((entry) => (
              <tr key={entry.id}>
                <td>{formatInstant(entry.accessedAt, i18n.language)}</td>
                <td>{entry.actorId}</td>
                <td>{t(`roles.${entry.actorRole}`, { defaultValue: entry.actorRole })}</td>
                <td>{t(`vocab.accessWhat.${entry.what}`, { defaultValue: entry.what })}</td>
                <td>{entry.caseId.slice(0, 8)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <PageButtons pages={pages} nextCursor={log.data?.nextBefore} />
    </>
  );
}
