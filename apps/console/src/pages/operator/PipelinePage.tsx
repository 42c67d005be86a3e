import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { ProblemMessage } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { formatInstant } from '../../lib/time';

/** The referral pipeline of the user's lines: every referral and where it stands. */
export function PipelinePage() {
  const { t, i18n } = useTranslation();
  const pages = useCursorPages();
  const page = useQuery({
    queryKey: ['pipeline', pages.after],
    queryFn: () =>
      answer(
        api.GET('/referrals', { params: { query: { limit: 50, ...(pages.after ? { after: pages.after } : {}) } } }),
      ),
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>{t('pipeline.title')}</h1>
      <ProblemMessage error={page.error} />
      {page.data?.items.length === 0 && <p>{t('app.none')}</p>}
      {page.data && page.data.items.length > 0 && (
        <Table responsive>
          <thead>
            <tr>
              <th scope="col">{t('queue.caseCol')}</th>
              <th scope="col">{t('pipeline.service')}</th>
              <th scope="col">{t('pipeline.status')}</th>
              <th scope="col">{t('pipeline.proposedAt')}</th>
              <th scope="col">{t('pipeline.sentAt')}</th>
              <th scope="col">{t('pipeline.acceptedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((referral) => (
              <tr key={referral.referralId}>
                <td>
                  <Link to={`/cases/${referral.caseId}`}>{referral.caseId.slice(0, 8)}</Link>
                </td>
                <td>{referral.serviceId}</td>
                <td>{t(`vocab.referralStatus.${referral.status}`, { defaultValue: referral.status })}</td>
                <td>{formatInstant(referral.proposedAt, i18n.language)}</td>
                <td>{formatInstant(referral.sentAt, i18n.language)}</td>
                <td>{formatInstant(referral.acceptedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <PageButtons pages={pages} nextCursor={page.data?.nextCursor} />
    </>
  );
}
