import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintDevelopmentToken, Role } from '@helpline/auth';
import type { Settings } from '@helpline/config';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { TEST_JWT_SECRET, testSettings } from './test-settings';

export interface TestUser {
  sub?: string;
  role: Role;
  lines?: string[];
  serviceId?: string;
}

/** The API on a fresh database, as a client reaches it: over HTTP with bearer tokens. */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly database: TestDatabase,
    readonly settings: Settings,
  ) {}

  static async start(overrides: Partial<Settings> = {}, options: { consoleDir?: string } = {}): Promise<TestApp> {
    const database = await createTestDatabase();
    const settings = testSettings(overrides);
    const app = await createApiApp({ settings, database, bufferLogs: true, consoleDir: options.consoleDir });
    await app.init();
    return new TestApp(app, database, settings);
  }

  http() {
    return request(this.app.getHttpServer());
  }

  async token(user: TestUser): Promise<string> {
    return mintDevelopmentToken(TEST_JWT_SECRET, {
      sub: user.sub ?? `${user.role}-1`,
      role: user.role,
      lines: user.lines,
      serviceId: user.serviceId,
    });
  }

  async bearer(user: TestUser): Promise<string> {
    return `Bearer ${await this.token(user)}`;
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.database.close();
  }
}
