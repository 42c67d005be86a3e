import { EvaluationReports, EvaluationRequestError, resolveMonths, type ReportAccess } from './evaluation-reports';
import type { EvaluationQueries } from './evaluation.queries';

const FULL: ReportAccess = { audience: 'line', lines: '*', smallCellThreshold: 5 };
/** Refusals come before any read: a report service without a database shows it. */
const reports = new EvaluationReports({ database: undefined as never, eventStore: undefined as never });
const noQueries = {} as EvaluationQueries;

async function refusal(request: Promise<unknown>): Promise<EvaluationRequestError> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EvaluationRequestError);
  return error as EvaluationRequestError;
}

describe('a refused evaluation report', () => {
  it.each([
    ['a month and a span', () => resolveMonths(noQueries, { month: '2020-03', from: '2020-01' }, [], '2020-06-30')],
    ['a month that is not one', () => resolveMonths(noQueries, { month: '2020-13' }, [], '2020-06-30')],
    ['a span that ends before it starts', () => resolveMonths(noQueries, { from: '2020-05', to: '2020-03' }, [], 'x')],
    ['a span of more than ten years', () => resolveMonths(noQueries, { from: '2000-01', to: '2020-03' }, [], 'x')],
    ['an as-of date that is not one', () => reports.report({ asOf: 'yesterday' }, FULL)],
    ['a line the reader may not see', () => reports.report({ lineIds: ['nowhere'] }, FULL)],
  ])('says what went wrong in words a client can show: %s', async (_, ask) => {
    const error = await refusal(ask());
    expect(error.reason).toMatch(/^[A-Za-z].*[a-z0-9)]\.$/);
    expect(error.reason).not.toMatch(/^(must|needs|is)\b/);
    if (error.field !== 'line') expect(error.reason).toContain(error.field);
  });
});
