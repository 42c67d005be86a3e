import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { fetchText } from '../../api/client';
import { ProblemMessage, TextField } from '../../components/fields';
import { useMe } from '../../auth/session';
import { currentLineMonth, lastEndedLineMonth } from '../../lib/time';

const FORMATS = ['html', 'json', 'csv'] as const;

function reportPath(month: string, asOf: string, format: (typeof FORMATS)[number]): string {
  const query = new URLSearchParams({ month, format, ...(asOf ? { asOf } : {}) });
  return `/evaluation/report?${query.toString()}`;
}

/**
 * The monthly report, as the self-contained HTML page the API renders (shown in a sandboxed frame: no script of its
 * own may run), of a month as known now or as it stood on a past date; downloadable as JSON, CSV and HTML.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const me = useMe();
  // Evaluators get ended months only (the API refuses one in progress); the line's staff see the month so far.
  const [month, setMonth] = useState(me.role === 'evaluator' ? lastEndedLineMonth() : currentLineMonth());
  const [asOf, setAsOf] = useState('');
  const [shown, setShown] = useState({ month, asOf });
  const report = useQuery({
    queryKey: ['report', shown],
    queryFn: () => fetchText(reportPath(shown.month, shown.asOf, 'html')),
  });
  const download = async (format: (typeof FORMATS)[number]) => {
    const { text, type } = await fetchText(reportPath(shown.month, shown.asOf, format));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = `report-${shown.month}${shown.asOf ? `-as-of-${shown.asOf}` : ''}.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <h1>{t('report.title')}</h1>
      <form
        className="row align-items-end"
        onSubmit={(event) => {
          event.preventDefault();
          setShown({ month, asOf });
        }}
      >
        <div className="col-md-4">
          <TextField label={t('report.month')} type="month" value={month} onChange={setMonth} required />
        </div>
        <div className="col-md-4">
          <TextField label={t('report.asOf')} type="date" value={asOf} onChange={setAsOf} />
        </div>
        <div className="col-md-4 mb-4">
          <Button type="submit" color="primary">
            {t('report.show')}
          </Button>
        </div>
      </form>
      <div className="d-flex gap-2 mb-3">
        {FORMATS.map((format) => (
          <Button key={format} color="primary" outline onClick={() => void download(format)}>
            {t('report.download')} {format.toUpperCase()}
          </Button>
        ))}
      </div>
      <ProblemMessage error={report.error} />
      {report.data && (
        <iframe title={t('report.frame')} className="report-frame" sandbox="" srcDoc={report.data.text} />
      )}
    </>
  );
}
