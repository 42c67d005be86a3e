import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevelopmentToken } from '@helpline/auth';
import { ConfigurationError, parseLinesFile, resolveSettings } from '@helpline/config';
import { SEED_LINES } from '@helpline/domain';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

/**
 * A city adds a line by configuration (`LINES_FILE`), without a release: the file is validated at start with errors
 * naming the field, the new line takes calls, and its call-backs fall due by its own timetable and holidays.
 */
describe('lines as configuration (LINES_FILE)', () => {
  const example = readFileSync(join(__dirname, '..', '..', 'infra', 'lines.example.json'), 'utf8');
  /** A gambling help line: weekdays 10-14 in Milan, closed on Sant'Ambrogio and the Immacolata (7 and 8 December). */
  const gamblingLine = {
    id: 'gioco-responsabile',
    name: 'Gioco responsabile',
    timeZone: 'Europe/Rome',
    openingHours: { kind: 'weekly', intervals: [{ weekdays: [1, 2, 3, 4, 5], opens: '10:00', closes: '14:00' }] },
    holidays: { everyYear: ['12-07', '12-08'], easter: true, closedOn: [], openOn: [] },
    channels: ['phone', 'voicemail'],
    outOfHoursChannels: ['voicemail'],
    callbackRule: { kind: 'within_opening_hours', hours: 2 },
    callbackNumberRetentionHours: 168,
    personalDataRetentionDays: 365,
    collectedFields: ['age_band', 'gender', 'concern', 'heard_of_line', 'callback_number'],
    aggregatesVisibleToEvaluators: true,
  };
  const writeLines = (document: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'helpline-lines-')), 'lines.json');
    writeFileSync(file, JSON.stringify(document));
    return file;
  };
  const settingsWith = (file: string) =>
    resolveSettings({ DATA_DIR: mkdtempSync(join(tmpdir(), 'helpline-')), LINES_FILE: file });

  it('ships the three seed lines as the example file, which validates', () => {
    const parsed = parseLinesFile(example);
    expect(parsed.problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(parsed.lines))).toEqual(JSON.parse(JSON.stringify(SEED_LINES)));
  });

  it('stops the start with every problem named by its field', () => {
    const { lines } = JSON.parse(example) as { lines: object[] };
    const broken = {
      ...gamblingLine,
      id: 'sostienimi',
      openingHours: { kind: 'weekly', intervals: [{ weekdays: [1], opens: '10am', closes: '14:00' }] },
      channels: ['phone', 'pigeon'],
      callbackRule: { kind: 'within_opening_hours', hours: 0 },
    };
    let error: ConfigurationError | undefined;
    try {
      settingsWith(writeLines({ lines: [...lines, broken] }));
    } catch (caught) {
      error = caught as ConfigurationError;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error!.problems.map((problem) => `${problem.variable}: ${problem.reason}`)).toEqual([
      'LINES_FILE: lines[3].openingHours.intervals[0].opens: must be HH:mm',
      'LINES_FILE: lines[3].channels: pigeon not one of: phone, sms, whatsapp, email, chat_social, voicemail, video',
      'LINES_FILE: lines[3].callbackRule.hours: must be a positive number',
      'LINES_FILE: lines[3].id: sostienimi is used by another line',
    ]);
    expect(() => settingsWith(writeLines({ lines: [] }))).toThrow(/LINES_FILE: lines: must be a non-empty list/);
    expect(() => settingsWith(writeLines({ lines: [{ ...gamblingLine, timeZone: 'Europe/Milano' }] }))).toThrow(
      /LINES_FILE: lines\[0\]: unknown time zone Europe\/Milano/,
    );
  });

  describe('a new line from the file', () => {
    let app: TestApp;
    beforeAll(async () => {
      const { lines } = JSON.parse(example) as { lines: object[] };
      const settings = settingsWith(writeLines({ lines: [...lines, gamblingLine] }));
      app = await TestApp.start({ lines: settings.lines });
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('takes calls from its operators, and its call-backs fall due by its timetable and holidays', async () => {
      const operator = `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, {
        sub: 'operator-gioco',
        role: 'operator',
        lines: ['gioco-responsabile'],
      })}`;
      const post = (path: string, body: object) => app.http().post(path).set('Authorization', operator).send(body);
      // Friday 4 December 2026, 13:00 in Milan: one hour before the line closes for the weekend.
      const firstContact = {
        lineId: 'gioco-responsabile',
        channel: 'phone',
        callerType: 'media',
        ageBand: 'unknown',
        gender: 'not_stated',
        concern: 'not_stated',
        heardOfLine: 'not_stated',
        occurredAt: '2026-12-04T12:00:00.000Z',
      };
      const opened = await post('/cases', firstContact);
      expect(opened.status).toBe(201);
      const caseId = opened.body.caseId as string;
      // At 13:30: half an hour left on Friday; Monday 7 and Tuesday 8 are the line's holidays; so the remaining
      // hour and a half runs on Wednesday 9 from 10:00, and the call-back is due at 11:30 in Milan (10:30 UTC).
      const requested = await post(`/cases/${caseId}/callbacks`, {
        number: '+39 333 765 4321',
        occurredAt: '2026-12-04T12:30:00.000Z',
      });
      expect(requested.status).toBe(201);
      const queue = await app
        .http()
        .get('/queues/callbacks')
        .query({ waitFor: requested.body.position })
        .set('Authorization', operator);
      expect(queue.status).toBe(200);
      expect(queue.body.items).toEqual([
        expect.objectContaining({ caseId, lineId: 'gioco-responsabile', callbackDueAt: '2026-12-09T10:30:00.000Z' }),
      ]);

      const onSeedLine = await post('/cases', { ...firstContact, lineId: 'sostienimi' });
      expect(onSeedLine.status).toBe(403);
      const unknownLine = await post('/cases', { ...firstContact, lineId: 'no-such-line' });
      expect(unknownLine.status).toBe(400);
      expect(JSON.stringify(unknownLine.body)).toContain('gioco-responsabile');
    });
  });
});
