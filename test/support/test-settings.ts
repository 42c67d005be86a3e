import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '@helpline/config';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    port: 0,
    database: { kind: 'embedded', dataDir: '(test database)' },
    eventStore: { kind: 'postgres' },
    auth: { kind: 'hs256', secret: TEST_JWT_SECRET },
    masterKey: randomBytes(32),
    pseudonymSecret: 'test-pseudonym-secret-long-enough-0123456789',
    keyStoreDir: join(tmpdir(), `helpline-test-keys-${randomBytes(6).toString('hex')}`),
    developmentMode: false,
    callbackNumberRetentionHours: 72,
    smallCellThreshold: 5,
    projectionsInProcess: true,
    projectorPort: 0,
    logLevel: 'silent',
    rateLimitPerMinute: 0,
    reportReplaysAtOnce: 2,
    mailFrom: 'helpline@localhost',
    publicBaseUrl: 'http://localhost',
    safetyNoticeHours: 48,
    safetyPoliceCommandEmail: 'police-command@localhost',
    safetyAreaDirectorEmail: 'area-director@localhost',
    ...overrides,
  };
}
