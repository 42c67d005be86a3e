import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { replayProjection, tablesInSchema } from '@helpline/projections';
import { sql } from 'kysely';
import { EVALUATION_TABLES, evaluationProjection } from './evaluation.projection';
import { EvaluationReports, ReportAccess } from './evaluation-reports';
import type { EvaluationReport, Figure, TableId } from './report/report.model';
import { CaseHistory, projectLive, rome, sealed } from './testing/case-history';

// The project-level testTimeout is not applied on every run (see the directory suites); the history takes time.
jest.setTimeout(120_000);

const FULL: ReportAccess = { audience: 'line', lines: '*', smallCellThreshold: 5 };
const EVALUATOR: ReportAccess = { audience: 'evaluator', lines: '*', smallCellThreshold: 5 };

/** A table of one line as `{ row: [cells..., row total] }`, zero rows left out, plus its column totals. */
function table(report: EvaluationReport, tableId: TableId, lineId = 'sostienimi'): Record<string, Figure[]> {
  const line = report.lines.find((l) => l.lineId === lineId)!;
  const found = line.tables.find((t) => t.id === tableId)!;
  const rows: Record<string, Figure[]> = {};
  found.rows.forEach((row, rowIndex) => {
    const values = [...found.cells[rowIndex]!, ...(found.rowTotals ? [found.rowTotals[rowIndex]!] : [])];
    if (values.some((value) => value !== 0)) rows[row] = values;
  });
  if (found.columnTotals) rows.total = [...found.columnTotals, ...(found.rowTotals ? [found.total] : [])];
  return rows;
}

function indicator(report: EvaluationReport, id: string, lineId = 'sostienimi') {
  return report.lines.find((l) => l.lineId === lineId)!.indicators.find((i) => i.id === id)!;
}

/*
 * A crafted history on SostieniMi (Rome times), whose figures are worked out by hand below.
 *
 * March 2020
 *   A  Mon 2 Mar 10:00, phone, person concerned, 40-49, woman, cocaine, web: framed, reframed, goal, referral r1
 *      proposed; handoff sent 3 Mar, accepted 5 Mar 10:00, taken into care 12 Mar 10:00; follow-up 10 Mar (phone,
 *      outbound); closed 20 Mar, taken into care. A second follow-up on 1 Apr 00:30 Rome (still 31 Mar in UTC),
 *      WhatsApp, out of hours.
 *   B  Tue 3 Mar 22:00 (closed at 21:00 on Tuesdays), answering machine, family, 50-59, woman, alcohol, social:
 *      call-back requested (caller P1), reached on 4 Mar 09:30; framed; closed 4 Mar, information given.
 *   C  Wed 4 Mar 23:30, WhatsApp, person concerned, 25-29, man, gambling, web: call-back (caller P2) not reached,
 *      completed "attempts exhausted" 6 Mar; closed 10 Mar, not reachable.
 *   D  Fri 20 Mar 15:00, phone, media, age unknown, gender not stated, concern not stated, press: framed; closed
 *      the same day, information given.
 *   F  Tue 31 Mar 23:30 Rome (21:30 UTC, after daylight saving began), SMS, other, 60+, non-binary, other, other.
 * April 2020
 *   E  Wed 1 Apr 10:00, phone, family, 50-59, man, cocaine, services: call-back requested by P1 again (returning
 *      caller) and reached; framed, reframed; r2 proposed 2 Apr, sent 3 Apr, declined 6 Apr; r3 proposed 7 Apr,
 *      sent 8 Apr, accepted 10 Apr 10:00.
 * On the employee-support line, one case in March (never shown to evaluators).
 */
async function craftHistory(store: PostgresEventStore): Promise<void> {
  const history = new CaseHistory(store);
  const a = await history.open(rome('2020-03-02T10:00'), { ageBand: '40_50', concern: 'cocaine' });
  await a.run({ type: 'FrameRequest', occurredAt: rome('2020-03-02T10:05'), categories: ['information_on_services'] });
  await a.run({ type: 'ReframeProblem', occurredAt: rome('2020-03-02T10:15'), categories: ['own_substance_use'] });
  await a.run({ type: 'SetGoal', occurredAt: rome('2020-03-02T10:20'), goalKind: 'start_treatment' });
  await a.run({
    type: 'ProposeReferral',
    occurredAt: rome('2020-03-02T10:25'),
    referralId: 'r1',
    serviceId: 'esempio-serd-centro',
  });
  const b = await history.open(rome('2020-03-03T22:00'), {
    channel: 'voicemail',
    callerType: 'family_or_acquaintance',
    ageBand: '50_60',
    concern: 'alcohol',
    heardOfLine: 'social_media',
    outOfHours: true,
  });
  await b.run({
    type: 'RequestCallback',
    occurredAt: rome('2020-03-03T22:01'),
    callbackId: 'cb1',
    number: sealed('b'),
    callerPseudonym: 'ps_P1',
  });
  await a.run({
    type: 'SendHandoff',
    occurredAt: rome('2020-03-03T10:00'),
    referralId: 'r1',
    consent: { given: true, method: 'verbal' },
    sharedFields: ['age_band', 'concern'],
  });
  await b.run({
    type: 'RecordCallbackAttempt',
    occurredAt: rome('2020-03-04T09:30'),
    callbackId: 'cb1',
    outcome: 'reached',
  });
  await b.run({
    type: 'CompleteCallback',
    occurredAt: rome('2020-03-04T09:30'),
    callbackId: 'cb1',
    resolution: 'caller_reached',
  });
  await b.run({ type: 'FrameRequest', occurredAt: rome('2020-03-04T09:35'), categories: ['support_for_a_relative'] });
  await b.run({ type: 'CloseCase', occurredAt: rome('2020-03-04T09:50'), outcome: 'information_given' });
  const c = await history.open(rome('2020-03-04T23:30'), {
    channel: 'whatsapp',
    ageBand: '25_30',
    gender: 'male',
    concern: 'gambling',
    outOfHours: true,
  });
  await c.run({
    type: 'RequestCallback',
    occurredAt: rome('2020-03-04T23:31'),
    callbackId: 'cb2',
    number: sealed('c'),
    callerPseudonym: 'ps_P2',
  });
  await a.run({
    type: 'AcceptHandoff',
    occurredAt: rome('2020-03-05T10:00'),
    referralId: 'r1',
    appointmentAt: rome('2020-03-12T09:00'),
  });
  await c.run({
    type: 'RecordCallbackAttempt',
    occurredAt: rome('2020-03-05T09:30'),
    callbackId: 'cb2',
    outcome: 'no_answer',
  });
  await c.run({
    type: 'CompleteCallback',
    occurredAt: rome('2020-03-06T10:30'),
    callbackId: 'cb2',
    resolution: 'attempts_exhausted',
  });
  await a.run({
    type: 'RecordFollowUpContact',
    occurredAt: rome('2020-03-10T11:00'),
    channel: 'phone',
    direction: 'outbound',
    outOfHours: false,
  });
  await c.run({ type: 'CloseCase', occurredAt: rome('2020-03-10T12:00'), outcome: 'not_reachable' });
  await a.run({ type: 'RecordTakenIntoCare', occurredAt: rome('2020-03-12T10:00'), referralId: 'r1' });
  const d = await history.open(rome('2020-03-20T15:00'), {
    callerType: 'media',
    ageBand: 'unknown',
    gender: 'not_stated',
    concern: 'not_stated',
    heardOfLine: 'press',
  });
  await d.run({ type: 'FrameRequest', occurredAt: rome('2020-03-20T15:05'), categories: ['information_on_services'] });
  await d.run({ type: 'CloseCase', occurredAt: rome('2020-03-20T15:30'), outcome: 'information_given' });
  await history.open(rome('2020-03-22T11:00'), {
    lineId: 'employee-support',
    channel: 'phone',
    callerType: 'person_concerned',
    ageBand: 'unknown',
    gender: 'not_stated',
    concern: 'not_stated',
    heardOfLine: 'not_stated',
  });
  await a.run({ type: 'CloseCase', occurredAt: rome('2020-03-20T17:00'), outcome: 'taken_into_care' });
  await a.run({ type: 'ReopenCase', occurredAt: rome('2020-03-31T10:00'), reason: 'caller_recontacted' });
  await history.open(rome('2020-03-31T23:30'), {
    channel: 'sms',
    callerType: 'other',
    ageBand: 'over_60',
    gender: 'non_binary',
    concern: 'other',
    heardOfLine: 'other',
    outOfHours: true,
  });
  await a.run({
    type: 'RecordFollowUpContact',
    occurredAt: '2020-03-31T22:30:00.000Z',
    channel: 'whatsapp',
    direction: 'inbound',
    outOfHours: true,
  });
  const e = await history.open(rome('2020-04-01T10:00'), {
    callerType: 'family_or_acquaintance',
    ageBand: '50_60',
    gender: 'male',
    concern: 'cocaine',
    heardOfLine: 'services',
  });
  await e.run({
    type: 'RequestCallback',
    occurredAt: rome('2020-04-01T10:10'),
    callbackId: 'cb3',
    number: sealed('e'),
    callerPseudonym: 'ps_P1',
  });
  await e.run({
    type: 'CompleteCallback',
    occurredAt: rome('2020-04-01T15:00'),
    callbackId: 'cb3',
    resolution: 'caller_reached',
  });
  await e.run({ type: 'FrameRequest', occurredAt: rome('2020-04-01T15:05'), categories: ['support_for_a_relative'] });
  await e.run({ type: 'ReframeProblem', occurredAt: rome('2020-04-01T15:15'), categories: ['relative_addiction'] });
  await e.run({
    type: 'ProposeReferral',
    occurredAt: rome('2020-04-02T10:00'),
    referralId: 'r2',
    serviceId: 'esempio-serd-sud',
  });
  await e.run({
    type: 'SendHandoff',
    occurredAt: rome('2020-04-03T10:00'),
    referralId: 'r2',
    consent: { given: true, method: 'verbal' },
    sharedFields: ['age_band'],
  });
  await e.run({
    type: 'DeclineHandoff',
    occurredAt: rome('2020-04-06T10:00'),
    referralId: 'r2',
    reason: 'outside_catchment_area',
  });
  await e.run({
    type: 'ProposeReferral',
    occurredAt: rome('2020-04-07T10:00'),
    referralId: 'r3',
    serviceId: 'esempio-smi-porta-romana',
  });
  await e.run({
    type: 'SendHandoff',
    occurredAt: rome('2020-04-08T10:00'),
    referralId: 'r3',
    consent: { given: true, method: 'verbal' },
    sharedFields: ['age_band'],
  });
  await e.run({ type: 'AcceptHandoff', occurredAt: rome('2020-04-10T10:00'), referralId: 'r3' });
}

describe('the evaluation indicators, on a history worked out by hand', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let reports: EvaluationReports;
  const now = () => new Date('2020-12-31T12:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
    await craftHistory(store);
    await projectLive(database, store, 4);
    reports = new EvaluationReports({ database, eventStore: store, now });
  });
  afterAll(async () => {
    await store.close();
    await database.close();
  });

  it('counts March contacts, first and follow-up, by every dimension, in Rome months', async () => {
    const march = await reports.report({ month: '2020-03', lineIds: ['sostienimi'] }, FULL);
    expect(march.period).toEqual({ from: '2020-03', to: '2020-03', months: ['2020-03'] });
    expect(march.lines.map((l) => l.lineId)).toEqual(['sostienimi']);
    expect(march.lines[0]!.headline).toEqual({ contacts: 6, firstContacts: 5, followUpContacts: 1 });
    expect(table(march, 'contacts_by_caller_type')).toEqual({
      person_concerned: [2, 1, 3],
      family_or_acquaintance: [1, 0, 1],
      media: [1, 0, 1],
      other: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_channel')).toEqual({
      phone: [2, 1, 3],
      sms: [1, 0, 1],
      whatsapp: [1, 0, 1],
      voicemail: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_age_band')).toEqual({
      '25_30': [1, 0, 1],
      '40_50': [1, 1, 2],
      '50_60': [1, 0, 1],
      over_60: [1, 0, 1],
      unknown: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_gender')).toEqual({
      female: [2, 1, 3],
      male: [1, 0, 1],
      non_binary: [1, 0, 1],
      not_stated: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_concern')).toEqual({
      alcohol: [1, 0, 1],
      cocaine: [1, 1, 2],
      gambling: [1, 0, 1],
      other: [1, 0, 1],
      not_stated: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_heard_of_line')).toEqual({
      web_search: [2, 1, 3],
      social_media: [1, 0, 1],
      press: [1, 0, 1],
      other: [1, 0, 1],
      total: [5, 1, 6],
    });
    expect(table(march, 'contacts_by_month')).toEqual({ '2020-03': [5, 1, 6], total: [5, 1, 6] });
  });

  it('tells in-hours from out-of-hours contacts, and those a call-back recovered', async () => {
    const march = await reports.report({ month: '2020-03', lineIds: ['sostienimi'] }, FULL);
    // B was reached by its call-back; C's call-back ran out of attempts; F left no number.
    expect(table(march, 'contacts_by_hours')).toEqual({
      in_hours: [2, 1, 3],
      out_of_hours_recovered: [1, 0, 1],
      out_of_hours_not_recovered: [2, 0, 2],
      total: [5, 1, 6],
    });
    expect(indicator(march, 'out_of_hours_recovery_rate')).toEqual({
      id: 'out_of_hours_recovery_rate',
      value: 0.3333,
      n: 3,
    });
    const april = await reports.report({ month: '2020-04', lineIds: ['sostienimi'] }, FULL);
    // A's follow-up at 00:30 on 1 April in Rome is April's, though it is 31 March in UTC.
    expect(table(april, 'contacts_by_hours')).toEqual({
      in_hours: [1, 0, 1],
      out_of_hours_not_recovered: [0, 1, 1],
      total: [1, 1, 2],
    });
  });

  it('recognises new and returning callers by their pseudonym, without keeping it', async () => {
    const march = await reports.report({ month: '2020-03', lineIds: ['sostienimi'] }, FULL);
    expect(table(march, 'cases_by_caller')).toEqual({ new: [2], not_identified: [3], total: [5] });
    const april = await reports.report({ month: '2020-04', lineIds: ['sostienimi'] }, FULL);
    expect(table(april, 'cases_by_caller')).toEqual({ returning: [1], total: [1] });
    const { rows } = await database.db
      .selectFrom('evaluation_callers')
      .selectAll()
      .execute()
      .then((r) => ({ rows: r }));
    // Since call-backs say themselves whether the caller returned, nothing about a caller is kept here at all.
    expect(rows).toEqual([]);
  });

  it('counts cases by the furthest phase they reached, referral steps in the month they happen, and closings by outcome', async () => {
    const march = await reports.report({ month: '2020-03', lineIds: ['sostienimi'] }, FULL);
    expect(table(march, 'cases_by_furthest_phase')).toEqual({
      first_contact: [2],
      framing: [2],
      accompaniment: [1],
      total: [5],
    });
    expect(table(march, 'referral_steps')).toEqual({ proposed: [1], sent: [1], accepted: [1], taken_into_care: [1] });
    expect(table(march, 'closings_by_outcome')).toEqual({
      information_given: [2],
      taken_into_care: [1],
      not_reachable: [1],
      total: [4],
    });
    expect(indicator(march, 'handoff_acceptance_rate')).toEqual({ id: 'handoff_acceptance_rate', value: 1, n: 1 });
    expect(indicator(march, 'median_days_to_handoff_accepted')).toEqual({
      id: 'median_days_to_handoff_accepted',
      value: 3,
      n: 1,
    });
    expect(indicator(march, 'median_days_to_taken_into_care')).toEqual({
      id: 'median_days_to_taken_into_care',
      value: 10,
      n: 1,
    });

    const april = await reports.report({ month: '2020-04', lineIds: ['sostienimi'] }, FULL);
    expect(table(april, 'referral_steps')).toEqual({ proposed: [2], sent: [2], accepted: [1], declined: [1] });
    expect(indicator(april, 'handoff_acceptance_rate')).toEqual({ id: 'handoff_acceptance_rate', value: 0.5, n: 2 });
    expect(indicator(april, 'median_days_to_handoff_accepted')).toEqual({
      id: 'median_days_to_handoff_accepted',
      value: 9,
      n: 1,
    });
    expect(indicator(april, 'median_days_to_taken_into_care')).toEqual({
      id: 'median_days_to_taken_into_care',
      value: null,
      n: 0,
    });
  });

  it('takes the median over the cases of a span of months', async () => {
    const both = await reports.report({ from: '2020-03', to: '2020-04', lineIds: ['sostienimi'] }, FULL);
    expect(indicator(both, 'median_days_to_handoff_accepted')).toEqual({
      id: 'median_days_to_handoff_accepted',
      value: 6,
      n: 2,
    });
    expect(both.lines[0]!.headline).toEqual({ contacts: 8, firstContacts: 6, followUpContacts: 2 });
    expect(table(both, 'contacts_by_month')).toEqual({ '2020-03': [5, 1, 6], '2020-04': [1, 1, 2], total: [6, 2, 8] });
  });

  it('follows each month’s cohort for 30, 60 and 90 days', async () => {
    const both = await reports.report({ from: '2020-03', to: '2020-04', lineIds: ['sostienimi'] }, FULL);
    const [march, april] = both.lines[0]!.cohorts;
    if (!march || !april) throw new Error('expected the March and April cohorts');
    expect(march.month).toBe('2020-03');
    expect(march.size).toBe(5);
    expect(march.complete).toEqual([true, true, true]);
    expect(Object.fromEntries(march.phases.rows.map((row, rowIndex) => [row, march.phases.cells[rowIndex]]))).toEqual({
      first_contact: [2, 2, 2],
      framing: [2, 2, 2],
      reframing: [0, 0, 0],
      goal: [0, 0, 0],
      orientation: [0, 0, 0],
      accompaniment: [1, 1, 1],
    });
    expect(
      Object.fromEntries(march.reached.phases.rows.map((row, rowIndex) => [row, march.reached.phases.cells[rowIndex]])),
    ).toEqual({
      framing: [3, 3, 3],
      reframing: [1, 1, 1],
      goal: [1, 1, 1],
      orientation: [1, 1, 1],
      accompaniment: [1, 1, 1],
    });
    expect(
      Object.fromEntries(
        march.reached.referrals.rows.map((row, rowIndex) => [row, march.reached.referrals.cells[rowIndex]]),
      ),
    ).toEqual({
      proposed: [1, 1, 1],
      sent: [1, 1, 1],
      accepted: [1, 1, 1],
      declined: [0, 0, 0],
      taken_into_care: [1, 1, 1],
    });
    // E was declined by one service and accepted by another: it counts as accepted, not as declined.
    expect(april.size).toBe(1);
    expect(
      Object.fromEntries(april.referrals.rows.map((row, rowIndex) => [row, april.referrals.cells[rowIndex]])),
    ).toMatchObject({
      declined: [0, 0, 0],
      accepted: [1, 1, 1],
    });
  });

  it('leaves the employee line out of everything an evaluator gets, and suppresses small cells for them', async () => {
    const full = await reports.report({ month: '2020-03' }, FULL);
    expect(full.lines.map((l) => l.lineId)).toEqual(['sostienimi', 'employee-support', 'psych-emergency']);
    expect(full.lines[1]!.headline.contacts).toBe(1);
    const evaluator = await reports.report({ month: '2020-03' }, EVALUATOR);
    expect(evaluator.lines.map((l) => l.lineId)).toEqual(['sostienimi', 'psych-emergency']);
    expect(JSON.stringify(evaluator)).not.toContain('employee');
    await expect(reports.report({ month: '2020-03', lineIds: ['employee-support'] }, EVALUATOR)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'LINE_NOT_AVAILABLE',
    });
    // One follow-up: hidden, and so is one of the other two, or 6 - 5 would give it away.
    const { contacts, firstContacts, followUpContacts } = evaluator.lines[0]!.headline;
    expect(followUpContacts).toBeNull();
    expect([contacts, firstContacts].filter((v) => v !== null).length).toBeLessThan(2);
    expect(evaluator.suppression).toMatchObject({ threshold: 5, method: 'primary-and-complementary' });
    expect(evaluator.suppression!.suppressedCells).toBeGreaterThan(0);
  });

  it('gives the same rows whatever the batches the log is applied in', async () => {
    const snapshots = [];
    for (const batchSize of [1, 2, 3, 5, 1000]) {
      const schema = `batches_${batchSize}`;
      const tables = tablesInSchema(evaluationProjection, schema);
      await replayProjection({ database, eventStore: store, projection: evaluationProjection, tables, batchSize });
      const snapshot: Record<string, string[]> = {};
      for (const base of EVALUATION_TABLES) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(tables[base]!)}`.execute(
          database.db,
        );
        snapshot[base] = rows.map((row) => JSON.stringify(row)).sort();
      }
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      snapshots.push(snapshot);
    }
    for (const snapshot of snapshots.slice(1)) expect(snapshot).toEqual(snapshots[0]);
    expect(snapshots[0]!.evaluation_contacts!.filter((row) => row.includes('"recovered_at":"2020-'))).toHaveLength(2);
  });

  it('refuses a period it cannot read', async () => {
    await expect(reports.report({ month: '2020-13' }, FULL)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_PERIOD',
      field: 'month',
    });
    await expect(reports.report({ month: '2020-03', from: '2020-01' }, FULL)).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
    });
    await expect(reports.report({ from: '2020-05', to: '2020-03' }, FULL)).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
      field: 'from',
    });
    await expect(reports.report({ asOf: 'yesterday' }, FULL)).rejects.toMatchObject({ code: 'INVALID_AS_OF' });
  });

  it('forgets an erased case’s caller, whichever of their cases was erased: the next case is a new caller', async () => {
    const history = new CaseHistory(store);
    const erasedCase = await history.open(rome('2020-05-04T10:00'));
    await erasedCase.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-05-04T10:01'),
      callbackId: 'cb',
      number: sealed('x'),
      callerPseudonym: 'ps_P9',
    });
    const again = await history.open(rome('2020-05-05T10:00'));
    await again.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-05-05T10:01'),
      callbackId: 'cb',
      number: sealed('y'),
      callerPseudonym: 'ps_P9',
    });
    await erasedCase.run({ type: 'ErasePersonalData', occurredAt: rome('2020-05-06T10:00'), reason: 'caller_request' });
    await again.run({ type: 'ErasePersonalData', occurredAt: rome('2020-05-06T10:05'), reason: 'caller_request' });
    const third = await history.open(rome('2020-05-07T10:00'));
    await third.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-05-07T10:01'),
      callbackId: 'cb',
      number: sealed('z'),
      callerPseudonym: 'ps_P9',
    });
    await projectLive(database, store);
    const expected = { new: [2], returning: [1], total: [3] };
    const may = await reports.report({ month: '2020-05', lineIds: ['sostienimi'] }, FULL);
    expect(table(may, 'cases_by_caller')).toEqual(expected);
    const replayed = await reports.report({ month: '2020-05', asOf: '2020-05-31', lineIds: ['sostienimi'] }, FULL);
    expect(table(replayed, 'cases_by_caller')).toEqual(expected);
  });
});
