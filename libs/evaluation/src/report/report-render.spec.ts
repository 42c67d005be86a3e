import type { ContactGroup, LineFigures } from '../evaluation.queries';
import { buildReport, BuildReportOptions } from './build-report';
import { countCases, medianSampleOf, type CaseFacts } from './case-counts';
import type { EvaluationReport, Figure, ReportTable } from './report.model';
import { renderReportCsv, renderReportJson } from './render-data';
import { renderReportHtml } from './render-html';

function group(partial: Partial<ContactGroup> & { count: number }): ContactGroup {
  return {
    month: '2020-03',
    kind: 'first',
    callerType: 'person_concerned',
    channel: 'phone',
    ageBand: '40_50',
    gender: 'female',
    concern: 'cocaine',
    heardOfLine: 'web_search',
    hours: 'in_hours',
    ...partial,
  };
}

function cases(count: number, partial: Partial<CaseFacts> = {}): CaseFacts[] {
  return Array.from({ length: count }, () => ({
    openedMonth: '2020-03',
    openedAt: '2020-03-10T10:00:00.000Z',
    furthestPhase: 'framing',
    phaseAt: {
      framing: '2020-03-10T10:05:00.000Z',
      reframing: null,
      goal: null,
      orientation: null,
      accompaniment: null,
    },
    firstProposedAt: null,
    firstSentAt: null,
    firstAcceptedAt: null,
    firstDeclinedAt: null,
    firstCareAt: null,
    callerStatus: null,
    ...partial,
  }));
}

const figures: LineFigures = {
  lineId: 'sostienimi',
  months: ['2020-03'],
  contacts: [
    group({ count: 40 }),
    group({ kind: 'follow_up', count: 12 }),
    group({ callerType: 'media', count: 2 }),
    group({ callerType: 'family_or_acquaintance', gender: 'male', count: 18 }),
  ],
  cases: countCases([
    ...cases(50),
    ...cases(10, {
      furthestPhase: 'accompaniment',
      phaseAt: {
        framing: '2020-03-10T10:05:00.000Z',
        reframing: '2020-03-11T10:05:00.000Z',
        goal: '2020-03-11T10:05:00.000Z',
        orientation: '2020-03-12T10:05:00.000Z',
        accompaniment: '2020-03-13T10:05:00.000Z',
      },
      firstProposedAt: '2020-03-12T10:05:00.000Z',
      firstSentAt: '2020-03-13T10:05:00.000Z',
      firstAcceptedAt: '2020-04-20T10:00:00.000Z',
    }),
  ]),
  referralSteps: { proposed: 10, sent: 10, accepted: 0, declined: 0, taken_into_care: 0 },
  daysToHandoffAccepted: medianSampleOf([]),
  daysToTakenIntoCare: medianSampleOf([]),
  closings: [{ outcome: 'information_given', count: 30 }],
};

const options = (audience: BuildReportOptions['audience']): BuildReportOptions => ({
  audience,
  threshold: 5,
  period: { from: '2020-03', to: '2020-03', months: ['2020-03'] },
  asOf: '2020-06-30T21:59:59.999Z',
  observedAt: '2020-06-30T21:59:59.999Z',
  log: { position: '812:4077', recordedAt: '2020-07-01T08:00:00.000Z' },
});

describe('the report in JSON, CSV and HTML', () => {
  const evaluator = buildReport([figures], options('evaluator'));
  const full = buildReport([figures], options('line'));

  it('marks the suppressed cells as such, in every format', () => {
    const callers = evaluator.lines[0]!.tables.find((t) => t.id === 'contacts_by_caller_type')!;
    expect(callers.rowTotals![callers.rows.indexOf('media')]).toBeNull();
    expect(
      full.lines[0]!.tables.find((t) => t.id === 'contacts_by_caller_type')!.rowTotals![callers.rows.indexOf('media')],
    ).toBe(2);
    const csv = renderReportCsv(evaluator).split('\r\n');
    expect(csv).toContain('sostienimi,table,contacts_by_caller_type,media,total,,suppressed');
    expect(renderReportCsv(full).split('\r\n')).toContain('sostienimi,table,contacts_by_caller_type,media,total,2,');
    const html = renderReportHtml(evaluator);
    expect(html).toContain('class="num hidden"');
    expect(html).toContain('Celle oscurate');
    expect(html).toContain('Suppressed cells');
  });

  it('says which state of the log it was built from, in every format', () => {
    expect(renderReportJson(evaluator)).toContain('"position": "812:4077"');
    expect(renderReportCsv(evaluator).split('\r\n')).toEqual(
      expect.arrayContaining([
        ',report,meta,log_position,,812:4077,',
        ',report,meta,log_recorded_at,,2020-07-01T08:00:00.000Z,',
      ]),
    );
    expect(renderReportHtml(evaluator)).toContain('<code>812:4077</code>');
  });

  it('follows a cohort: the month’s cases reached accompaniment within 30 days, acceptance came after 30', () => {
    const cohort = full.lines[0]!.cohorts[0]!;
    expect(cohort.complete).toEqual([true, true, true]);
    const reached = Object.fromEntries(
      cohort.reached.referrals.rows.map((row, rowIndex) => [row, cohort.reached.referrals.cells[rowIndex]]),
    );
    expect(reached.sent).toEqual([10, 10, 10]);
    expect(reached.accepted).toEqual([0, 10, 10]);
  });

  it('is a self-contained, printable page in Italian and English: no script, nothing fetched', () => {
    const html = renderReportHtml(full);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('<svg');
    expect(html).toContain('@media print');
    expect(html).toContain('<span lang="it">Relazione di valutazione</span><span lang="en">Evaluation report</span>');
  });

  it('renders the same report to the same bytes', () => {
    const again = buildReport([figures], options('evaluator'));
    expect(renderReportJson(again)).toBe(renderReportJson(evaluator));
    expect(renderReportCsv(again)).toBe(renderReportCsv(evaluator));
    expect(renderReportHtml(again)).toBe(renderReportHtml(evaluator));
  });
});

describe('the monthly chart', () => {
  const withMonths = (cells: Figure[][], rowTotals: Figure[]): EvaluationReport => {
    const months = cells.map((_, index) => `2020-0${index + 1}`);
    const report = buildReport([figures], options('evaluator'));
    const line = report.lines[0]!;
    const byMonth: ReportTable = {
      id: 'contacts_by_month',
      rows: months,
      columns: ['first', 'follow_up'],
      cells,
      rowTotals,
      columnTotals: [null, null],
      total: null,
      suppressedCells: 4,
    };
    return {
      ...report,
      period: { from: months[0]!, to: months.at(-1)!, months },
      lines: [{ ...line, tables: line.tables.map((table) => (table.id === 'contacts_by_month' ? byMonth : table)) }],
    };
  };
  /** The bars and the axis ticks of the chart, as drawn in one language. */
  const chart = (html: string) => {
    const svg = /<figure class="wide">.*?<div lang="en">(<svg.*?<\/svg>)/s.exec(html)![1]!;
    const bars = [
      ...svg.matchAll(
        /<rect x="[\d.]+" y="([\d.-]+)" width="[\d.]+" height="([\d.-]+)" fill="([^"]+)"><title>([^<]*)</g,
      ),
    ].map((match) => ({ y: Number(match[1]), height: Number(match[2]), fill: match[3], title: match[4] }));
    const ticks = [...svg.matchAll(/class="tick">(\d+)<\/text>/g)].map((match) => Number(match[1]));
    return { svg, bars, top: Math.max(...ticks) };
  };

  it('scales its axis from every plotted value, when the month totals are suppressed', () => {
    const { bars, top } = chart(
      renderReportHtml(
        withMonths(
          [
            [40, 12],
            [55, null],
            [null, 3],
          ],
          [null, null, null],
        ),
      ),
    );
    expect(top).toBeGreaterThanOrEqual(55);
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar.y).toBeGreaterThanOrEqual(14);
      expect(bar.height).toBeGreaterThanOrEqual(0);
    }
  });

  it('draws a suppressed part of a month as suppressed, not as nothing', () => {
    const { svg } = chart(renderReportHtml(withMonths([[55, null]], [null])));
    expect(svg).toContain('suppressed');
  });
});
