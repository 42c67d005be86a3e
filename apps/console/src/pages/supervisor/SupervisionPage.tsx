import { useTranslation } from 'react-i18next';
import { QueueTable } from '../operator/QueuePage';

/** Every open case of the supervisor's lines, in the queue's order; a case opens its workspace with the supervisor's steps. */
export function SupervisionPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('supervision.title')}</h1>
      <p>{t('queue.autoRefresh')}</p>
      <QueueTable queue="cases" />
    </>
  );
}
