import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintDevelopmentToken } from '@helpline/auth';
import type { Settings } from '@helpline/config';
import { createApiApp } from '../../apps/api/src/bootstrap';
import {
  backupEmbeddedStore,
  reapplyRecordedErasures,
  restoreEmbeddedStore,
} from '../../apps/cli/src/commands/backup.commands';
import { busy, fail, loadSettings, withDatabase } from '../../apps/cli/src/program';
import { TEST_JWT_SECRET, testSettings } from '../support/test-settings';

/**
 * The embedded store backed up and restored as `npm run cli -- backup` / `restore` do it, with the API stopped in
 * between (the store is one process's at a time). A backup taken before an erasure must not bring the erased case's
 * personal data back: its keys are not in the backup, and the erasure is recorded again from the ledger.
 */
describe('backup and restore of the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpline-backup-'));
  const backups = mkdtempSync(join(tmpdir(), 'helpline-backups-'));
  const settings: Settings = testSettings({
    database: { kind: 'embedded', dataDir },
    keyStoreDir: join(dataDir, 'keys'),
    masterKey: randomBytes(32),
  });
  const support = { loadSettings, withDatabase, fail, busy };
  const firstContact = {
    lineId: 'sostienimi',
    channel: 'phone',
    callerType: 'media',
    ageBand: 'unknown',
    gender: 'not_stated',
    concern: 'not_stated',
    heardOfLine: 'not_stated',
  };
  let app: INestApplication | undefined;

  const startApi = async () => {
    app = await createApiApp({ settings, bufferLogs: true });
    await app.init();
  };
  const stopApi = async () => {
    await app?.close();
    app = undefined;
  };
  const as = (role: 'operator' | 'supervisor') =>
    mintDevelopmentToken(TEST_JWT_SECRET, { sub: `${role}-1`, role, lines: ['sostienimi'] });
  const post = async (path: string, body: object, role: 'operator' | 'supervisor' = 'operator') =>
    request(app!.getHttpServer())
      .post(path)
      .set('Authorization', `Bearer ${await as(role)}`)
      .send(body);
  const history = async (caseId: string) =>
    request(app!.getHttpServer())
      .get(`/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${await as('operator')}`);
  const openCaseWithNote = async (note: string) => {
    const opened = await post('/cases', firstContact);
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    expect((await post(`/cases/${caseId}/request-framing`, { categories: ['listening'], note })).status).toBe(200);
    return caseId;
  };

  afterAll(async () => {
    await stopApi();
  });

  it('keeps an erased case erased when a backup taken before the erasure is restored', async () => {
    await startApi();
    const erasedLater = await openCaseWithNote('PLANTED-lives-in-via-Padova');
    const kept = await openCaseWithNote('Worried about his drinking');
    await stopApi();

    const { file } = await backupEmbeddedStore(settings, backups, support);
    expect(readdirSync(backups)).toEqual([file.slice(backups.length + 1)]);

    await startApi();
    expect(
      (await post(`/cases/${erasedLater}/personal-data-erasure`, { reason: 'caller_request' }, 'supervisor')).status,
    ).toBe(200);
    const openedAfterBackup = await openCaseWithNote('Opened after the backup');
    await stopApi();

    const restored = await restoreEmbeddedStore(settings, file, support);
    expect(restored.erasures).toEqual({ reapplied: [erasedLater], alreadyRecorded: 0, notInDatabase: 0 });
    expect(restored.previous && existsSync(restored.previous)).toBe(true);

    await startApi();
    const erased = await history(erasedLater);
    expect(erased.status).toBe(200);
    expect(erased.body.events.map((event: { type: string }) => event.type)).toEqual([
      'FirstContactRecorded',
      'RequestFramed',
      'PersonalDataErased',
    ]);
    expect(erased.body.events[1].data.note).toEqual({ value: null, erased: true });
    expect(erased.body.events[2]).toMatchObject({ data: { reason: 'caller_request' } });
    expect(JSON.stringify(erased.body)).not.toContain('PLANTED');
    const refused = await post(`/cases/${erasedLater}/request-framing`, { categories: ['listening'], note: 'again' });
    expect(refused.body.code).toBe('PERSONAL_DATA_ERASED');

    const other = await history(kept);
    expect(other.body.events[1].data.note).toEqual({ value: 'Worried about his drinking', erased: false });
    expect((await history(openedAfterBackup)).status).toBe(404);
    await stopApi();

    // Run again (a second restore step, or `erasures reapply` by hand): nothing more to do.
    expect(await reapplyRecordedErasures(settings, support)).toEqual({
      reapplied: [],
      alreadyRecorded: 1,
      notInDatabase: 0,
    });
  });

  it('refuses to back up while another process holds the store, and says how on a server', async () => {
    await startApi();
    await expect(backupEmbeddedStore(settings, backups, support)).rejects.toMatchObject({ exitCode: 3 });
    await stopApi();
    const onServer = { ...settings, database: { kind: 'postgres' as const, url: 'postgres://x@y/z' } };
    await expect(backupEmbeddedStore(onServer, backups, support)).rejects.toThrow(/pg_dump[\s\S]*erasures reapply/);
  });
});
